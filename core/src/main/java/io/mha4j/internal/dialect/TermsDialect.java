package io.mha4j.internal.dialect;

import io.mha4j.gtid.GtidSet;
import io.mha4j.server.BinlogPosition;
import io.mha4j.server.Dialect;
import io.mha4j.server.HeartbeatStatus;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.ReplicationError;
import io.mha4j.server.ReplicationFilters;
import io.mha4j.server.ReplicationSource;
import io.mha4j.server.Row;
import io.mha4j.server.ServerVersion;
import io.mha4j.server.SqlStatement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What all dialects share once their {@link Terms} are known: the plain replication
 * statements and the reading of the replica status row. Flavor-specific GTID handling is
 * left to the subclasses.
 */
abstract class TermsDialect implements Dialect {
    /** Replication receivers and appliers, and MySQL's other internal threads, run as this user. */
    private static final Set<String> SYSTEM_USERS = Set.of("system user", "event_scheduler");

    private final ServerVersion version;
    final Terms terms;

    TermsDialect(ServerVersion version, Terms terms) {
        this.version = version;
        this.terms = terms;
    }

    @Override
    public ServerVersion version() {
        return version;
    }

    @Override
    public SqlStatement binaryLogStatus() {
        return SqlStatement.of(terms.binaryLogStatus());
    }

    @Override
    public SqlStatement replicaStatus() {
        return SqlStatement.of("SHOW " + terms.replica() + " STATUS");
    }

    @Override
    public String replicaStatusHostColumn() {
        return terms.columns().sourceHost();
    }

    @Override
    public HeartbeatStatus heartbeatStatus(List<Row> rows) {
        if (rows.isEmpty()) {
            return HeartbeatStatus.UNKNOWN;
        }
        Row r = rows.get(0);
        return new HeartbeatStatus(
                r.number("Received"),
                HeartbeatStatus.seconds(r.get("Period")),
                HeartbeatStatus.seconds(r.get("Net_timeout")));
    }

    @Override
    public SqlStatement changeHeartbeatPeriod(Duration period) {
        return SqlStatement.of(
                terms.changeSource() + " " + heartbeatOption(period).substring(2));
    }

    /** {@code , MASTER_HEARTBEAT_PERIOD=0.5}: seconds with millisecond precision, as the servers take it. */
    String heartbeatOption(Duration period) {
        return ", " + terms.optionPrefix() + "HEARTBEAT_PERIOD=" + MariaDbDialect.seconds(period);
    }

    @Override
    public SqlStatement stopReplica() {
        return SqlStatement.of("STOP " + terms.replica());
    }

    @Override
    public SqlStatement stopReplicaIoThread() {
        return SqlStatement.of("STOP " + terms.replica() + " IO_THREAD");
    }

    @Override
    public SqlStatement stopReplicaSqlThread() {
        return SqlStatement.of("STOP " + terms.replica() + " SQL_THREAD");
    }

    @Override
    public SqlStatement startReplica() {
        return SqlStatement.of("START " + terms.replica());
    }

    @Override
    public SqlStatement startReplicaIoThread() {
        return SqlStatement.of("START " + terms.replica() + " IO_THREAD");
    }

    @Override
    public SqlStatement startReplicaSqlThread() {
        return SqlStatement.of("START " + terms.replica() + " SQL_THREAD");
    }

    @Override
    public SqlStatement resetReplicaAll() {
        return SqlStatement.of("RESET " + terms.replica() + " ALL");
    }

    @Override
    public SqlStatement changeSourceByPosition(ReplicationSource source, BinlogPosition position) {
        String p = terms.optionPrefix();
        return changeSource(
                source,
                p + "LOG_FILE=" + SqlText.quote(position.file()) + ", " + p + "LOG_POS=" + position.position() + ", "
                        + filePositionMode());
    }

    /** The option that switches GTID positioning off, e.g. {@code MASTER_AUTO_POSITION=0}. */
    abstract String filePositionMode();

    /**
     * {@code CHANGE MASTER TO MASTER_HOST='h', MASTER_PORT=3306, MASTER_USER='u',
     * MASTER_PASSWORD='…', <tail>}, the password masked in the shown form.
     */
    SqlStatement changeSource(ReplicationSource source, String tail) {
        String p = terms.optionPrefix();
        String head = terms.changeSource() + " " + p + "HOST=" + SqlText.quote(source.host()) + ", " + p + "PORT="
                + source.port() + ", " + p + "USER=" + SqlText.quote(source.user()) + ", " + p + "PASSWORD=";
        String[] password = SqlText.password(source.password());
        return SqlStatement.withSecret(head + password[0] + ", " + tail, head + password[1] + ", " + tail);
    }

    @Override
    public ReplicaStatus replicaStatus(Row row, Row variables) {
        ReplicaStatusColumns c = terms.columns();
        return new ReplicaStatus(
                row.text(c.sourceHost()),
                (int) row.number(c.sourcePort()).orElse(0),
                row.text(c.sourceUser()),
                ReplicaStatus.IoThread.parse(row.text(c.ioRunning())),
                "Yes".equals(row.text(c.sqlRunning())),
                position(row, c.sourceLogFile(), c.readSourceLogPos()),
                position(row, c.relaySourceLogFile(), c.execSourceLogPos()),
                position(row, "Relay_Log_File", "Relay_Log_Pos"),
                receivedGtids(row),
                executedGtids(row, variables),
                positioning(row),
                row.number(c.secondsBehindSource()),
                row.number("SQL_Delay").orElse(0),
                new ReplicationError((int) row.number("Last_IO_Errno").orElse(0), row.text("Last_IO_Error")),
                new ReplicationError((int) row.number("Last_SQL_Errno").orElse(0), row.text("Last_SQL_Error")),
                row.number(c.sourceServerId()).orElse(0),
                row.text(c.sqlRunningState()),
                new ReplicationFilters(
                        "",
                        "",
                        row.text("Replicate_Do_DB"),
                        row.text("Replicate_Ignore_DB"),
                        row.text("Replicate_Do_Table"),
                        row.text("Replicate_Ignore_Table"),
                        row.text("Replicate_Wild_Do_Table"),
                        row.text("Replicate_Wild_Ignore_Table")),
                row.get(c.sourceUuid()).filter(u -> !u.isBlank()),
                row.number("Relay_Log_Space").orElse(0));
    }

    abstract Optional<GtidSet> receivedGtids(Row row);

    abstract Optional<GtidSet> executedGtids(Row row, Row variables);

    abstract ReplicaStatus.Positioning positioning(Row row);

    Optional<GtidSet> gtidsIn(Row row, String column) {
        return row.get(column).map(this::parseGtids);
    }

    private static Optional<BinlogPosition> position(Row row, String fileColumn, String posColumn) {
        String file = row.text(fileColumn);
        OptionalLong pos = row.number(posColumn);
        return file.isEmpty() || pos.isEmpty()
                ? Optional.empty()
                : Optional.of(new BinlogPosition(file, pos.getAsLong()));
    }

    static SqlStatement variablesQuery(List<String> names) {
        return SqlStatement.of("SHOW GLOBAL VARIABLES WHERE Variable_name IN ("
                + String.join(", ", names.stream().map(SqlText::quote).toList()) + ")");
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + version + "]";
    }

    @Override
    public SqlStatement lockWaitTimeout(Duration timeout) {
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        return SqlStatement.of("SET SESSION lock_wait_timeout=" + seconds);
    }

    @Override
    public SqlStatement sessions() {
        return SqlStatement.of(
                "SELECT ID, USER, COMMAND FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()");
    }

    @Override
    public List<Long> applicationSessions(List<Row> sessions) {
        return sessions.stream()
                .filter(r -> !SYSTEM_USERS.contains(r.text("USER")))
                .filter(r -> !serverThreadCommands().contains(r.text("COMMAND")))
                .map(r -> r.number("ID"))
                .filter(OptionalLong::isPresent)
                .map(OptionalLong::getAsLong)
                .toList();
    }

    /**
     * The {@code COMMAND} of sessions that belong to the server or to replication whatever their
     * user: a replica's binlog dump here, a daemon thread, this server's own replica threads.
     */
    abstract Set<String> serverThreadCommands();

    @Override
    public SqlStatement killSession(long id) {
        return SqlStatement.of("KILL CONNECTION " + id);
    }

    /** The flavor's binary log tool: {@code mariadb-binlog} or {@code mysqlbinlog}. */
    abstract String binlogProgram();

    /** The flavor's command-line client: {@code mariadb} or {@code mysql}. */
    abstract String clientProgram();

    @Override
    public String sqlClient(String bindir) {
        return Tools.path(bindir, clientProgram());
    }

    @Override
    public List<String> binlogFollow(
            String bindir, String optionFile, String sourceHost, int sourcePort, String directory, String firstFile) {
        return Tools.binlogFollow(
                Tools.path(bindir, binlogProgram()), optionFile, sourceHost, sourcePort, directory, firstFile);
    }
}
