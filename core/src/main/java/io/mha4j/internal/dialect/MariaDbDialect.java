package io.mha4j.internal.dialect;

import io.mha4j.gtid.GtidSet;
import io.mha4j.gtid.MariadbGtidSet;
import io.mha4j.server.GtidStart;
import io.mha4j.server.GtidState;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.ReplicationSource;
import io.mha4j.server.Row;
import io.mha4j.server.ServerState;
import io.mha4j.server.ServerVersion;
import io.mha4j.server.SqlStatement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * MariaDB 10.x and 11.x. GTIDs are always written ({@code domain-server-seq}); replication uses
 * them when {@code MASTER_USE_GTID} says so. MariaDB keeps the master/slave spellings and has
 * no {@code super_read_only}: {@code read_only} stops everyone without READ_ONLY ADMIN.
 */
final class MariaDbDialect extends TermsDialect {
    private static final List<String> VARIABLES = List.of(
            "version",
            "version_comment",
            "server_id",
            "log_bin",
            "binlog_format",
            "log_slave_updates",
            "gtid_strict_mode",
            "gtid_domain_id",
            "gtid_binlog_pos",
            "gtid_current_pos",
            "gtid_slave_pos",
            "read_only",
            "relay_log_purge");

    MariaDbDialect(ServerVersion version) {
        super(version, Terms.MASTER_SLAVE);
    }

    @Override
    public SqlStatement globalVariables() {
        return variablesQuery(VARIABLES);
    }

    /**
     * The default connection's count and period (status variables, so one query gives them with
     * the variable); multi-source connections have theirs in SHOW ALL SLAVES STATUS.
     */
    @Override
    public SqlStatement heartbeatStatus() {
        return SqlStatement.of("SELECT " + status("SLAVE_RECEIVED_HEARTBEATS") + " AS Received, "
                + status("SLAVE_HEARTBEAT_PERIOD") + " AS Period, @@global.slave_net_timeout AS Net_timeout");
    }

    private static String status(String name) {
        return "(SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = '" + name + "')";
    }

    @Override
    public GtidSet parseGtids(String text) {
        return MariadbGtidSet.parse(text);
    }

    @Override
    public GtidState gtidState(Row v) {
        GtidSet binlog = parseGtids(v.text("gtid_binlog_pos"));
        GtidSet replicated = parseGtids(v.text("gtid_slave_pos"));
        // gtid_current_pos counts binlogged GTIDs only under this server's own server_id, so it
        // misses transactions replayed with their original GTIDs (a dead master's, recovered by a
        // failover): what the server has is everything in any of its positions.
        GtidSet executed = parseGtids(v.text("gtid_current_pos")).union(binlog).union(replicated);
        return new GtidState(
                true,
                Optional.empty(),
                Optional.empty(),
                Optional.of(SqlText.isOn(v.text("gtid_strict_mode"))),
                v.number("gtid_domain_id").isPresent() ? v.number("gtid_domain_id") : OptionalLong.of(0),
                executed,
                Optional.empty(),
                Optional.of(binlog),
                Optional.of(replicated));
    }

    @Override
    public boolean logReplicaUpdates(Row variables) {
        return SqlText.isOn(variables.text("log_slave_updates"));
    }

    @Override
    public Optional<Boolean> superReadOnly(Row variables) {
        return Optional.empty();
    }

    @Override
    Optional<GtidSet> receivedGtids(Row row) {
        return gtidsIn(row, "Gtid_IO_Pos");
    }

    @Override
    Optional<GtidSet> executedGtids(Row row, Row variables) {
        return gtidsIn(row, "Gtid_Slave_Pos").or(() -> gtidsIn(variables, "gtid_slave_pos"));
    }

    @Override
    ReplicaStatus.Positioning positioning(Row row) {
        return switch (row.text("Using_Gtid")) {
            case "Slave_Pos" -> ReplicaStatus.Positioning.GTID_REPLICATED_POSITION;
            case "Current_Pos" -> ReplicaStatus.Positioning.GTID_CURRENT_POSITION;
            default -> ReplicaStatus.Positioning.FILE_POSITION;
        };
    }

    @Override
    public SqlStatement changeSourceByGtid(ReplicationSource source, GtidStart start) {
        return changeSource(source, gtidMode(start));
    }

    @Override
    public SqlStatement changeSourceByGtid(ReplicationSource source, GtidStart start, Duration heartbeatPeriod) {
        return changeSource(source, gtidMode(start) + heartbeatOption(heartbeatPeriod));
    }

    private static String gtidMode(GtidStart start) {
        return "MASTER_USE_GTID=" + (start == GtidStart.REPLICATED ? "slave_pos" : "current_pos");
    }

    @Override
    String filePositionMode() {
        return "MASTER_USE_GTID=no";
    }

    /**
     * {@code MASTER_GTID_WAIT} takes a position, not an arbitrary set, and compares it with
     * what replication applied ({@code gtid_slave_pos}).
     *
     * @throws IllegalArgumentException if {@code gtids} is not a position
     */
    @Override
    public SqlStatement waitForGtids(GtidSet gtids, Duration timeout) {
        if (!(gtids instanceof MariadbGtidSet position) || !position.isPosition()) {
            throw new IllegalArgumentException("MariaDB can only wait for a GTID position, not '" + gtids + "'");
        }
        return SqlStatement.of(
                "SELECT MASTER_GTID_WAIT(" + SqlText.quote(position.toString()) + ", " + seconds(timeout) + ")");
    }

    static String seconds(Duration timeout) {
        return java.math.BigDecimal.valueOf(Math.max(1, timeout.toMillis()))
                .movePointLeft(3)
                .stripTrailingZeros()
                .toPlainString();
    }

    @Override
    public List<SqlStatement> enableReadOnly() {
        return List.of(SqlStatement.of("SET GLOBAL read_only=ON"));
    }

    @Override
    public List<SqlStatement> disableReadOnly() {
        return List.of(SqlStatement.of("SET GLOBAL read_only=OFF"));
    }

    // ---- errant transactions ----

    @Override
    public Optional<String> sourceOrigin(ReplicaStatus replica) {
        return replica.sourceServerId() > 0 ? Optional.of(Long.toString(replica.sourceServerId())) : Optional.empty();
    }

    @Override
    public String origin(ServerState server) {
        return Long.toString(server.serverId());
    }

    @Override
    public GtidSet writtenBy(GtidSet gtids, String origin) {
        MariadbGtidSet set = (MariadbGtidSet) gtids;
        MariadbGtidSet.Builder domains = MariadbGtidSet.builder();
        for (long domain : set.domains()) {
            if (Long.toString(set.serverIdOf(domain).orElseThrow()).equals(origin)) {
                domains.addRange(domain, set.serverIdOf(domain).orElseThrow(), 1, Long.MAX_VALUE);
            }
        }
        return set.intersect(domains.build());
    }

    @Override
    public GtidSet divergedFrom(GtidSet mine, GtidSet theirs) {
        MariadbGtidSet a = (MariadbGtidSet) mine;
        MariadbGtidSet b = (MariadbGtidSet) theirs;
        MariadbGtidSet.Builder diverged = MariadbGtidSet.builder();
        for (long domain : a.domains()) {
            long last = a.lastSeq(domain).orElseThrow();
            if (b.lastSeq(domain).equals(a.lastSeq(domain))
                    && !b.serverIdOf(domain).equals(a.serverIdOf(domain))) {
                diverged.addRange(domain, a.serverIdOf(domain).orElseThrow(), last, last);
            }
        }
        return diverged.build();
    }

    @Override
    public boolean collides(GtidSet errant, GtidSet master) {
        return !java.util.Collections.disjoint(
                ((MariadbGtidSet) errant).domains(), ((MariadbGtidSet) master).domains());
    }

    /** MariaDB has no offline_mode: read_only and the killed sessions are the fence. */
    @Override
    public List<SqlStatement> enableOfflineMode() {
        return List.of();
    }

    @Override
    Set<String> serverThreadCommands() {
        return Set.of("Binlog Dump", "Binlog Dump GTID", "Daemon", "Slave_IO", "Slave_SQL", "Slave_worker");
    }

    /**
     * GTID start positions are exclusive: only transactions after {@code have} are printed.
     * {@code --skip-gtid-strict-mode}: in strict mode mariadb-binlog 10.11 fails ("never reached
     * expected GTID state") when {@code have} ends exactly at the last transaction of the logs,
     * i.e. when there is nothing to recover; the failover checks the outcome by GTID itself.
     */
    @Override
    public List<String> binlogToSql(String bindir, GtidSet have, List<String> binlogs, String resultFile) {
        return Tools.binlogToSql(
                Tools.path(bindir, binlogProgram()),
                have.isEmpty()
                        ? List.of("--skip-gtid-strict-mode")
                        : List.of("--skip-gtid-strict-mode", "--start-position=" + have),
                binlogs,
                resultFile);
    }

    @Override
    public boolean binlogToolStartsAtByte() {
        return true;
    }

    /** A byte start position replaces the GTID one: the two are one option of mariadb-binlog. */
    @Override
    public List<String> binlogToSqlFrom(String bindir, GtidSet have, List<String> binlogs, long offset) {
        return Tools.binlogToSql(
                Tools.path(bindir, binlogProgram()),
                List.of("--skip-gtid-strict-mode", "--start-position=" + offset),
                binlogs,
                "");
    }

    @Override
    String binlogProgram() {
        return "mariadb-binlog";
    }

    @Override
    public boolean gtidIsPosition() {
        return true; // a domain's last GTID stands for all before it
    }

    @Override
    String clientProgram() {
        return "mariadb";
    }
}
