package io.mha4j.internal.failover;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.server.Row;
import io.mha4j.server.ServerConnection;
import io.mha4j.server.SqlFailure;
import io.mha4j.server.SqlSession;
import io.mha4j.server.SqlStatement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A MariaDB 10.11 replica over a scripted session: each read answers its current GTID position
 * and thread states, which a test changes between polls; {@link #freeze()} makes every statement
 * time out as a SIGSTOPped server's would.
 */
final class ScriptedReplica implements SqlSession {
    static final ApplicationConfig CONFIG = ApplicationConfig.builder("app1").user("mha").password("pw")
            .server("server3", s -> s.hostname("127.0.0.1").port(3308)).build();

    volatile String gtid = "0-1-10";
    volatile boolean sqlRunning = true;
    volatile int sqlErrno;
    volatile String sqlError = "";
    volatile boolean frozen;
    /** Whether the SQL thread executed everything the IO thread received. */
    volatile boolean appliedAll = true;
    final List<String> executed = new ArrayList<>();
    int reads;

    /** Its SQL thread stops on {@code errno}: {@code message}. */
    void sqlStops(int errno, String message) {
        sqlRunning = false;
        sqlErrno = errno;
        sqlError = message;
    }

    void freeze() {
        frozen = true;
    }

    Survivor survivor() {
        ServerConnection c = ServerConnection.over(CONFIG.server("server3").orElseThrow(), this, Clock.systemUTC());
        return new Survivor(c.config(), c, c.readState());
    }

    @Override
    public List<Row> query(SqlStatement query) {
        answerOrFreeze(query);
        String sql = query.sql();
        if (sql.startsWith("SELECT @@version")) {
            return List.of(Row.of(Map.of("version", "10.11.19-MariaDB", "version_comment", "test")));
        }
        if (sql.startsWith("SHOW GLOBAL VARIABLES")) {
            reads++;
            return variables();
        }
        if (sql.equals("SHOW MASTER STATUS")) {
            return List.of(Row.of(Map.of("File", "mysql-bin.000001", "Position", "100")));
        }
        if (sql.equals("SHOW SLAVE STATUS")) {
            Map<String, String> r = new HashMap<>();
            r.put("Master_Host", "127.0.0.1");
            r.put("Master_Port", "3306");
            r.put("Slave_IO_Running", "Yes");
            r.put("Slave_SQL_Running", sqlRunning ? "Yes" : "No");
            r.put("Last_SQL_Errno", Integer.toString(sqlErrno));
            r.put("Last_SQL_Error", sqlError);
            r.put("Master_Server_Id", "1");
            r.put("Using_Gtid", "Slave_Pos");
            r.put("Master_Log_File", "mysql-bin.000001");
            r.put("Read_Master_Log_Pos", "200");
            r.put("Relay_Master_Log_File", "mysql-bin.000001");
            r.put("Exec_Master_Log_Pos", appliedAll ? "200" : "100");
            return List.of(Row.of(r));
        }
        throw new SqlFailure(serverName(), sql, SqlFailure.Kind.STATEMENT_ERROR, 1064, "42000", "not scripted", null);
    }

    private List<Row> variables() {
        Map<String, String> v = Map.ofEntries(Map.entry("version", "10.11.19-MariaDB"),
                Map.entry("version_comment", "test"), Map.entry("server_id", "3"), Map.entry("log_bin", "ON"),
                Map.entry("binlog_format", "ROW"), Map.entry("log_slave_updates", "ON"),
                Map.entry("gtid_strict_mode", "ON"), Map.entry("gtid_domain_id", "0"),
                Map.entry("gtid_binlog_pos", gtid), Map.entry("gtid_current_pos", gtid),
                Map.entry("gtid_slave_pos", gtid), Map.entry("read_only", "ON"), Map.entry("relay_log_purge", "ON"));
        List<Row> rows = new ArrayList<>();
        v.forEach((k, val) -> rows.add(Row.of(Map.of("Variable_name", k, "Value", val))));
        return rows;
    }

    private void answerOrFreeze(SqlStatement statement) {
        if (frozen) {
            throw new SqlFailure(serverName(), statement.redacted(), SqlFailure.Kind.TIMEOUT, 0, null,
                    "no answer in time", null);
        }
    }

    @Override
    public void execute(SqlStatement statement) {
        answerOrFreeze(statement);
        executed.add(statement.sql());
    }

    @Override
    public String serverName() {
        return "127.0.0.1(127.0.0.1:3308)";
    }

    @Override
    public void close() {}
}
