package io.mha4j.internal.dialect;

import io.mha4j.gtid.GtidSet;
import io.mha4j.gtid.MysqlGtidSet;
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
 * MySQL 5.7, 8.0 and 8.4+. The three differ in data, not in logic: 8.0 adds the option that
 * lets replication fetch the source's RSA key (caching_sha2_password without TLS fails
 * otherwise), and 8.4 (from 8.2, where {@code SHOW BINARY LOG STATUS} appeared) drops the
 * master/slave spellings that MHA 0.58 still uses — the reason MHA cannot manage 8.4.
 */
final class MySqlDialect extends TermsDialect {
    private static final List<String> VARIABLES = List.of(
            "version",
            "version_comment",
            "server_id",
            "server_uuid",
            "log_bin",
            "binlog_format",
            "log_slave_updates",
            "log_replica_updates",
            "gtid_mode",
            "enforce_gtid_consistency",
            "gtid_executed",
            "gtid_purged",
            "read_only",
            "super_read_only",
            "relay_log_purge");

    private final String publicKeyOption;

    private MySqlDialect(ServerVersion version, Terms terms, String publicKeyOption) {
        super(version, terms);
        this.publicKeyOption = publicKeyOption;
    }

    static MySqlDialect mysql57(ServerVersion version) {
        return new MySqlDialect(version, Terms.MASTER_SLAVE, "");
    }

    static MySqlDialect mysql80(ServerVersion version) {
        return new MySqlDialect(version, Terms.MASTER_SLAVE, ", GET_MASTER_PUBLIC_KEY=1");
    }

    static MySqlDialect mysql84(ServerVersion version) {
        return new MySqlDialect(version, Terms.SOURCE_REPLICA, ", GET_SOURCE_PUBLIC_KEY=1");
    }

    @Override
    public SqlStatement globalVariables() {
        return variablesQuery(VARIABLES);
    }

    /**
     * Needs performance_schema (on by default); without it the query fails and heartbeats are
     * unknown. 8.4 knows {@code slave_net_timeout} only as {@code replica_net_timeout}.
     */
    @Override
    public SqlStatement heartbeatStatus() {
        String netTimeout = terms == Terms.SOURCE_REPLICA ? "replica_net_timeout" : "slave_net_timeout";
        return SqlStatement.of("SELECT (SELECT COUNT_RECEIVED_HEARTBEATS FROM"
                + " performance_schema.replication_connection_status WHERE CHANNEL_NAME = '') AS Received,"
                + " (SELECT HEARTBEAT_INTERVAL FROM performance_schema.replication_connection_configuration"
                + " WHERE CHANNEL_NAME = '') AS Period, @@global." + netTimeout + " AS Net_timeout");
    }

    @Override
    public GtidSet parseGtids(String text) {
        return MysqlGtidSet.parse(text);
    }

    @Override
    public GtidState gtidState(Row v) {
        String mode = v.text("gtid_mode");
        return new GtidState(
                "ON".equalsIgnoreCase(mode),
                Optional.of(mode),
                Optional.of(v.text("enforce_gtid_consistency")),
                Optional.empty(),
                OptionalLong.empty(),
                parseGtids(v.text("gtid_executed")),
                Optional.of(parseGtids(v.text("gtid_purged"))),
                Optional.empty(),
                Optional.empty());
    }

    @Override
    public boolean logReplicaUpdates(Row variables) {
        return SqlText.isOn(variables.get("log_replica_updates").orElse(variables.text("log_slave_updates")));
    }

    @Override
    public Optional<Boolean> superReadOnly(Row variables) {
        return variables.get("super_read_only").map(SqlText::isOn);
    }

    @Override
    Optional<GtidSet> receivedGtids(Row row) {
        return gtidsIn(row, "Retrieved_Gtid_Set");
    }

    @Override
    Optional<GtidSet> executedGtids(Row row, Row variables) {
        return gtidsIn(row, "Executed_Gtid_Set");
    }

    @Override
    ReplicaStatus.Positioning positioning(Row row) {
        return "1".equals(row.text("Auto_Position"))
                ? ReplicaStatus.Positioning.GTID_AUTO_POSITION
                : ReplicaStatus.Positioning.FILE_POSITION;
    }

    /** MySQL always starts from everything it executed, so {@code start} makes no difference. */
    @Override
    public SqlStatement changeSourceByGtid(ReplicationSource source, GtidStart start) {
        return changeSource(source, terms.optionPrefix() + "AUTO_POSITION=1" + publicKeyOption);
    }

    @Override
    public SqlStatement changeSourceByGtid(ReplicationSource source, GtidStart start, Duration heartbeatPeriod) {
        return changeSource(
                source, terms.optionPrefix() + "AUTO_POSITION=1" + publicKeyOption + heartbeatOption(heartbeatPeriod));
    }

    @Override
    String filePositionMode() {
        return terms.optionPrefix() + "AUTO_POSITION=0" + publicKeyOption;
    }

    @Override
    public SqlStatement waitForGtids(GtidSet gtids, Duration timeout) {
        if (!(gtids instanceof MysqlGtidSet)) {
            throw new IllegalArgumentException("MySQL cannot wait for a MariaDB GTID position '" + gtids + "'");
        }
        return SqlStatement.of("SELECT WAIT_FOR_EXECUTED_GTID_SET(" + SqlText.quote(gtids.toString()) + ", "
                + MariaDbDialect.seconds(timeout) + ")");
    }

    /** super_read_only also stops SUPER users; setting it sets read_only, clearing read_only clears it. */
    @Override
    public List<SqlStatement> enableReadOnly() {
        return List.of(SqlStatement.of("SET GLOBAL read_only=ON"), SqlStatement.of("SET GLOBAL super_read_only=ON"));
    }

    @Override
    public List<SqlStatement> disableReadOnly() {
        return List.of(SqlStatement.of("SET GLOBAL super_read_only=OFF"), SqlStatement.of("SET GLOBAL read_only=OFF"));
    }

    // ---- errant transactions ----

    @Override
    public Optional<String> sourceOrigin(ReplicaStatus replica) {
        return replica.sourceUuid();
    }

    @Override
    public String origin(ServerState server) {
        return server.serverUuid().orElse("");
    }

    @Override
    public GtidSet writtenBy(GtidSet gtids, String origin) {
        return origin.isEmpty() ? MysqlGtidSet.empty() : ((MysqlGtidSet) gtids).only(origin);
    }

    @Override
    public GtidSet divergedFrom(GtidSet mine, GtidSet theirs) {
        return MysqlGtidSet.empty();
    }

    @Override
    public boolean collides(GtidSet errant, GtidSet master) {
        return false;
    }

    /** Every supported MySQL (5.7.5+) has offline_mode; users with CONNECTION_ADMIN/SUPER are not dropped. */
    @Override
    public List<SqlStatement> enableOfflineMode() {
        return List.of(SqlStatement.of("SET GLOBAL offline_mode=ON"));
    }

    @Override
    Set<String> serverThreadCommands() {
        return Set.of("Binlog Dump", "Binlog Dump GTID", "Daemon");
    }

    @Override
    public List<String> binlogToSql(String bindir, GtidSet have, List<String> binlogs, String resultFile) {
        return Tools.binlogToSql(
                Tools.path(bindir, binlogProgram()),
                have.isEmpty() ? List.of() : List.of("--exclude-gtids=" + have),
                binlogs,
                resultFile);
    }

    @Override
    String binlogProgram() {
        return "mysqlbinlog";
    }

    @Override
    public boolean gtidIsPosition() {
        return false; // gtid_executed lists every transaction: a merged one would leave holes
    }

    @Override
    String clientProgram() {
        return "mysql";
    }
}
