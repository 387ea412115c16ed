package io.mha4j.internal.failover;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.internal.sql.SessionConnection;
import io.mha4j.internal.sql.SqlSession;
import io.mha4j.server.Row;
import io.mha4j.server.ServerConnection;
import io.mha4j.server.SqlFailure;
import io.mha4j.server.SqlStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A MariaDB 10.11 replica over a scripted session: each read answers its current GTID position
 * and thread states, which a test changes between polls; {@link #freeze()} makes every statement
 * time out as a SIGSTOPped server's would. The statements a failover sends act as on a server:
 * {@code CHANGE MASTER} points it elsewhere, {@code START SLAVE} (when {@link #sources} knows the
 * source) gives it the source's transactions, {@code RESET SLAVE ALL} forgets replication, {@code
 * read_only} follows {@code SET GLOBAL}.
 */
final class ScriptedReplica implements SqlSession {
    static final ApplicationConfig CONFIG = ApplicationConfig.builder("app1")
            .user("mha")
            .password("pw")
            .server("server3", s -> s.hostname("127.0.0.1").port(3308))
            .build();

    private final ServerConfig config;
    private final int serverId;
    volatile String gtid = "0-1-10";
    volatile boolean readOnly = true;
    /** Whether it has replication configured ({@code SHOW SLAVE STATUS} answers a row). */
    volatile boolean replicates = true;

    volatile int sourcePort = 3306;
    volatile boolean ioRunning = true;
    /** The servers of its cluster by port: where {@code START SLAVE} copies its source's transactions from. */
    volatile java.util.function.IntFunction<ScriptedReplica> sources = port -> null;

    volatile long lagSeconds;
    /** What {@code information_schema.PROCESSLIST} answers about long-running updates. */
    volatile List<Row> runningUpdates = List.of();
    /** Where every statement it executes is also written, as {@code <block>: <sql>}: a cluster's order. */
    volatile List<String> journal = new ArrayList<>();

    volatile boolean sqlRunning = true;
    /** Whether {@code START SLAVE} starts its SQL thread: not when it stops again on the same error. */
    volatile boolean sqlStarts = true;

    volatile int sqlErrno;
    volatile String sqlError = "";
    volatile boolean frozen;
    /** Whether the SQL thread executed everything the IO thread received. */
    volatile boolean appliedAll = true;
    /**
     * Bytes of a transaction it received and applied without its end: {@code Read_Master_Log_Pos}
     * that far past {@code Exec_Master_Log_Pos}, its SQL thread idle at the relay log's end.
     */
    volatile long partialTransaction;
    /** What {@code SHOW SLAVE STATUS} says of its relay logs ({@code Relay_Log_Space}). */
    volatile long relayLogSpace = 1024;
    /** The read timeout a caller set around the last run of each statement, by statement; absent: none. */
    final Map<String, Duration> boundOf = new ConcurrentHashMap<>();

    private final ThreadLocal<Duration> bound = new ThreadLocal<>();

    final List<String> executed = new ArrayList<>();
    int reads;

    /** Its SQL thread stops on {@code errno}: {@code message}. */
    void sqlStops(int errno, String message) {
        sqlRunning = false;
        sqlStarts = false;
        sqlErrno = errno;
        sqlError = message;
    }

    void freeze() {
        frozen = true;
    }

    /** server3 of {@link #CONFIG}, server id 3. */
    ScriptedReplica() {
        this(CONFIG.server("server3").orElseThrow(), 3);
    }

    ScriptedReplica(ServerConfig config, int serverId) {
        this.config = config;
        this.serverId = serverId;
    }

    ServerConfig config() {
        return config;
    }

    /** A connection to it, identified as a real one is. */
    ServerConnection connection() {
        return SessionConnection.over(config, this, Clock.systemUTC());
    }

    Survivor survivor() {
        ServerConnection c = connection();
        return new Survivor(c.config(), c, c.readState());
    }

    @Override
    public List<Row> query(SqlStatement query) {
        answerOrFreeze(query);
        String sql = query.sql();
        if (bound.get() != null) {
            boundOf.put(sql, bound.get());
        }
        if (sql.startsWith("SELECT @@version")) {
            return List.of(Row.of(Map.of("version", "10.11.19-MariaDB", "version_comment", "test")));
        }
        if (sql.startsWith("SHOW GLOBAL VARIABLES")) {
            reads++;
            return variables();
        }
        if (sql.startsWith("SELECT ID, USER, TIME, INFO FROM information_schema.PROCESSLIST")) {
            return runningUpdates;
        }
        if (sql.equals("SHOW MASTER STATUS")) {
            return List.of(Row.of(Map.of("File", "mysql-bin.000001", "Position", "100")));
        }
        if (sql.equals("SHOW SLAVE STATUS")) {
            if (!replicates) {
                return List.of();
            }
            Map<String, String> r = new HashMap<>();
            r.put("Master_Host", "127.0.0.1");
            r.put("Master_Port", Integer.toString(sourcePort));
            r.put("Master_User", "repl");
            r.put("Slave_IO_Running", ioRunning ? "Yes" : "No");
            r.put("Seconds_Behind_Master", Long.toString(lagSeconds));
            r.put("Slave_SQL_Running", sqlRunning ? "Yes" : "No");
            r.put("Last_SQL_Errno", Integer.toString(sqlErrno));
            r.put("Last_SQL_Error", sqlError);
            r.put("Master_Server_Id", "1");
            r.put("Using_Gtid", "Slave_Pos");
            r.put("Master_Log_File", "mysql-bin.000001");
            r.put("Read_Master_Log_Pos", Long.toString(200 + partialTransaction));
            r.put("Relay_Master_Log_File", "mysql-bin.000001");
            r.put("Exec_Master_Log_Pos", appliedAll ? "200" : "100");
            if (partialTransaction > 0) {
                r.put("Slave_SQL_Running_State", "Slave has read all relay log; waiting for more updates");
            }
            r.put("Relay_Log_Space", Long.toString(relayLogSpace));
            return List.of(Row.of(r));
        }
        throw new SqlFailure(serverName(), sql, SqlFailure.Kind.STATEMENT_ERROR, 1064, "42000", "not scripted", null);
    }

    private List<Row> variables() {
        Map<String, String> v = Map.ofEntries(
                Map.entry("version", "10.11.19-MariaDB"),
                Map.entry("version_comment", "test"),
                Map.entry("log_bin", "ON"),
                Map.entry("binlog_format", "ROW"),
                Map.entry("log_slave_updates", "ON"),
                Map.entry("gtid_strict_mode", "ON"),
                Map.entry("gtid_domain_id", "0"),
                Map.entry("server_id", Integer.toString(serverId)),
                Map.entry("gtid_binlog_pos", gtid),
                Map.entry("gtid_current_pos", gtid),
                Map.entry("gtid_slave_pos", gtid),
                Map.entry("read_only", readOnly ? "ON" : "OFF"),
                Map.entry("relay_log_purge", "ON"));
        List<Row> rows = new ArrayList<>();
        v.forEach((k, val) -> rows.add(Row.of(Map.of("Variable_name", k, "Value", val))));
        return rows;
    }

    private void answerOrFreeze(SqlStatement statement) {
        if (frozen) {
            throw new SqlFailure(
                    serverName(), statement.redacted(), SqlFailure.Kind.TIMEOUT, 0, null, "no answer in time", null);
        }
    }

    @Override
    public void execute(SqlStatement statement) {
        answerOrFreeze(statement);
        String sql = statement.sql();
        executed.add(sql);
        journal.add(config.block() + ": " + sql);
        if (bound.get() != null) {
            boundOf.put(sql, bound.get());
        }
        if (sql.startsWith("STOP SLAVE")) {
            ioRunning = false;
            sqlRunning = sql.equals("STOP SLAVE IO_THREAD") && sqlRunning;
        } else if (sql.startsWith("CHANGE MASTER TO")) {
            replicates = true;
            java.util.regex.Matcher port =
                    java.util.regex.Pattern.compile("MASTER_PORT=(\\d+)").matcher(sql);
            if (port.find()) {
                sourcePort = Integer.parseInt(port.group(1));
            }
        } else if (sql.equals("START SLAVE")) {
            ioRunning = true;
            sqlRunning = sqlStarts;
            ScriptedReplica source = sources.apply(sourcePort);
            if (source != null) {
                gtid = source.gtid;
            }
        } else if (sql.equals("RESET SLAVE ALL")) {
            replicates = false;
        } else if (sql.startsWith("SET GLOBAL read_only=")) {
            readOnly = !sql.endsWith("OFF");
        }
    }

    @Override
    public <T> T withReadTimeout(Duration timeout, Supplier<T> body) {
        Duration outer = bound.get();
        bound.set(timeout);
        try {
            return body.get();
        } finally {
            bound.set(outer);
        }
    }

    @Override
    public String serverName() {
        return config.displayName();
    }

    @Override
    public void close() {}
}
