package io.mha4j.internal.sql;

import io.mha4j.server.BinlogPosition;
import io.mha4j.server.Dialect;
import io.mha4j.server.ReplicationFilters;
import io.mha4j.server.Row;
import io.mha4j.server.ServerState;
import io.mha4j.server.ServerVersion;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@link ServerState} in one pass: the global variables, the binary log status and the
 * replica status, three queries on one session. If any of them fails, no snapshot is made:
 * callers never see a state that is half old and half new.
 */
public final class ServerStateReader {
    private final Clock clock;

    public ServerStateReader(Clock clock) {
        this.clock = clock;
    }

    /**
     * @throws SqlFailure if the server cannot be read
     */
    public ServerState read(SqlSession session, Dialect dialect) {
        Instant readAt = clock.instant();
        Row variables = asVariables(session.query(dialect.globalVariables()));
        List<Row> binlog = session.query(dialect.binaryLogStatus());
        List<Row> replica = session.query(dialect.replicaStatus());

        ServerVersion version = ServerVersion.parse(variables.text("version"), variables.text("version_comment"));
        Optional<Row> binlogRow = binlog.stream().findFirst();
        return new ServerState(
                session.serverName(),
                readAt,
                version,
                variables.number("server_id").orElse(0),
                variables.get("server_uuid"),
                isOn(variables.text("log_bin")),
                variables.text("binlog_format"),
                dialect.logReplicaUpdates(variables),
                dialect.gtidState(variables),
                isOn(variables.text("read_only")),
                dialect.superReadOnly(variables),
                isOn(variables.text("relay_log_purge")),
                binlogRow
                        .filter(r -> !r.text("File").isEmpty())
                        .map(r -> new BinlogPosition(
                                r.text("File"), r.number("Position").orElse(0))),
                binlogRow
                        .map(r -> new ReplicationFilters(
                                r.text("Binlog_Do_DB"), r.text("Binlog_Ignore_DB"), "", "", "", "", "", ""))
                        .orElse(ReplicationFilters.NONE),
                // RESET SLAVE without ALL leaves a row with an empty host: not a replica any more.
                replica.stream()
                        .filter(r -> !r.text(dialect.replicaStatusHostColumn()).isEmpty())
                        .findFirst()
                        .map(r -> dialect.replicaStatus(r, variables)));
    }

    private static Row asVariables(List<Row> rows) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (Row r : rows) {
            byName.put(r.text("Variable_name"), r.get("Value").orElse(null));
        }
        return Row.of(byName);
    }

    private static boolean isOn(String value) {
        return "ON".equalsIgnoreCase(value) || "1".equals(value);
    }
}
