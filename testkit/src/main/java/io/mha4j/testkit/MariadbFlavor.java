package io.mha4j.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** MariaDB 10.x/11.x: {@code mariadb-install-db}, {@code --bootstrap}, domain-server-sequence GTIDs. */
final class MariadbFlavor implements Flavor {

    private static final String CERTIFICATE = "tls-cert.pem";
    private static final String KEY = "tls-key.pem";

    private final boolean canDemote;
    private final boolean makesOwnCertificate;

    /**
     * @param version as the server prints it; {@code MASTER_DEMOTE_TO_SLAVE} exists from 10.10,
     *     and from 11.4 the server turns TLS on with a certificate it makes itself
     */
    MariadbFlavor(String version) {
        this.canDemote = atLeast(version, 10, 10);
        this.makesOwnCertificate = atLeast(version, 11, 4);
    }

    static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("[.-]");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public List<String> initializeCommand(ServerBinaries binaries, Path dataDir, Path tmpDir) {
        // install-db passes options it does not know (--tmpdir, the InnoDB sizes) to mariadbd.
        return List.of(
                binaries.installDb().toString(),
                "--no-defaults",
                "--basedir=" + binaries.baseDir(),
                "--datadir=" + dataDir,
                "--tmpdir=" + tmpDir,
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--user=" + System.getProperty("user.name"),
                "--innodb-log-file-size=8M",
                "--innodb-buffer-pool-size=16M");
    }

    @Override
    public List<String> bootstrapCommand(ServerBinaries binaries, Path dataDir, Path tmpDir) {
        return List.of(
                binaries.server().toString(),
                "--no-defaults",
                "--bootstrap",
                "--basedir=" + binaries.baseDir(),
                "--datadir=" + dataDir,
                "--tmpdir=" + tmpDir,
                "--user=" + System.getProperty("user.name"),
                "--innodb-log-file-size=8M",
                "--innodb-buffer-pool-size=16M");
    }

    @Override
    public String bootstrapSql(SandboxCredentials c, List<String> clientHosts) {
        // install-db also grants root@<hostname>; with --skip-name-resolve every start would
        // warn about it, so only loopback entries are kept. The grant tables are loaded only by
        // FLUSH PRIVILEGES: without it --bootstrap runs as if with skip-grant-tables (error 1290).
        StringBuilder sql = new StringBuilder()
                .append("DELETE FROM mysql.global_priv WHERE Host NOT IN ('localhost', '127.0.0.1', '::1');\n")
                .append("DELETE FROM mysql.proxies_priv WHERE Host NOT IN ('localhost', '127.0.0.1', '::1');\n")
                .append("FLUSH PRIVILEGES;\n");
        for (String host : List.of("127.0.0.1", "localhost")) {
            user(sql, c.admin(), host, "ALL PRIVILEGES ON *.* TO %s WITH GRANT OPTION");
        }
        List<String> hosts = new java.util.ArrayList<>(List.of("127.0.0.1"));
        hosts.addAll(clientHosts);
        for (String host : hosts) {
            if (!host.equals("127.0.0.1")) {
                user(sql, c.admin(), host, "ALL PRIVILEGES ON *.* TO %s WITH GRANT OPTION");
            }
            user(sql, c.replication(), host, "REPLICATION SLAVE, BINLOG MONITOR ON *.* TO %s");
            user(sql, c.application(), host, "SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX, ALTER ON *.* TO %s");
        }
        return sql.toString();
    }

    private static void user(StringBuilder sql, Credentials user, String host, String grant) {
        String account = quote(user.user()) + "@" + quote(host);
        sql.append("CREATE USER ")
                .append(account)
                .append(" IDENTIFIED BY ")
                .append(quote(user.password()))
                .append(";\nGRANT ")
                .append(String.format(grant, account))
                .append(";\n");
    }

    /**
     * From 11.4 every node gets a certificate of its own, as the server would make one (see
     * {@link ServerCertificate} for why it is not left to the server); before, TLS stays off
     * as the server's defaults have it.
     */
    @Override
    public void prepareNode(Path nodeDir) throws IOException {
        if (makesOwnCertificate) {
            ServerCertificate.selfSigned("mha4j-sandbox", Instant.now())
                    .writeTo(nodeDir.resolve(CERTIFICATE), nodeDir.resolve(KEY));
        }
    }

    @Override
    public List<String> nodeOptions(Path nodeDir) {
        return makesOwnCertificate
                ? List.of("--ssl-cert=" + nodeDir.resolve(CERTIFICATE), "--ssl-key=" + nodeDir.resolve(KEY))
                : List.of();
    }

    @Override
    public List<String> replicationOptions() {
        return List.of(
                "--log-bin=mysql-bin",
                "--log-slave-updates",
                "--binlog-format=ROW",
                "--gtid-strict-mode=ON",
                "--relay-log=relay-bin");
    }

    @Override
    public String changeMasterByGtid(Endpoint master, Credentials replication) {
        return changeMaster(master, replication) + ", MASTER_USE_GTID=slave_pos";
    }

    @Override
    public String changeMasterByFile(Endpoint master, Credentials replication, String file, long position) {
        return changeMaster(master, replication) + ", MASTER_LOG_FILE=" + quote(file) + ", MASTER_LOG_POS=" + position
                + ", MASTER_USE_GTID=no";
    }

    @Override
    public String repointByGtid(Endpoint master, Credentials replication) {
        // Demoting folds the server's own binlog position into gtid_slave_pos; before 10.10
        // current_pos did the same, and is deprecated since.
        return changeMaster(master, replication)
                + (canDemote
                        ? ", MASTER_USE_GTID=slave_pos, MASTER_DEMOTE_TO_SLAVE=1"
                        : ", MASTER_USE_GTID=current_pos");
    }

    private static String changeMaster(Endpoint master, Credentials replication) {
        // A one-second retry lets a replica reconnect promptly to a restarted master; the
        // server's default of 60 s would make every restart test wait a minute.
        return "CHANGE MASTER TO MASTER_HOST=" + quote(master.host()) + ", MASTER_PORT=" + master.port()
                + ", MASTER_USER=" + quote(replication.user()) + ", MASTER_PASSWORD=" + quote(replication.password())
                + ", MASTER_CONNECT_RETRY=1";
    }

    @Override
    public String startReplica() {
        return "START SLAVE";
    }

    @Override
    public String stopReplica() {
        return "STOP SLAVE";
    }

    @Override
    public String stopReplicaIoThread() {
        return "STOP SLAVE IO_THREAD";
    }

    @Override
    public String stopReplicaSqlThread() {
        return "STOP SLAVE SQL_THREAD";
    }

    @Override
    public String replicaStatus() {
        return "SHOW SLAVE STATUS";
    }

    @Override
    public String masterStatus() {
        return "SHOW MASTER STATUS";
    }

    @Override
    public String masterPositionQuery() {
        return "SELECT @@GLOBAL.gtid_binlog_pos";
    }

    @Override
    public boolean hasApplied(SandboxNode replicaNode, String masterPosition) {
        Map<String, String> row = replicaNode
                .query("SELECT @@GLOBAL.gtid_slave_pos AS slave_pos, @@GLOBAL.gtid_current_pos AS current_pos")
                .get(0);
        GtidPosition applied =
                GtidPosition.parse(row.get("slave_pos")).union(GtidPosition.parse(row.get("current_pos")));
        return applied.covers(GtidPosition.parse(masterPosition));
    }

    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
