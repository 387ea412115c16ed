package io.mha4j.internal.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.internal.sql.SessionConnection;
import io.mha4j.internal.sql.SqlSession;
import io.mha4j.server.Row;
import io.mha4j.server.ServerConnection;
import io.mha4j.server.SqlFailure;
import io.mha4j.server.SqlStatement;
import io.mha4j.time.ManualScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fencing sequence against a scripted session: order, the lock-wait retry, what is never killed. */
class FenceTest {
    private final ManualScheduler time = new ManualScheduler();

    /** Answers the version, the process list and read_only; fails read_only with a lock wait timeout {@code lockWaits} times. */
    private static final class Session implements SqlSession {
        final List<String> executed = new ArrayList<>();
        final String version;
        int lockWaits;
        boolean readOnly;
        List<Row> processes = List.of(
                process(11, "app", "Query"),
                process(12, "app", "Sleep"),
                process(13, "mha", "Sleep"),
                process(1, "system user", "Slave_IO"),
                process(2, "system user", "Slave_SQL"),
                process(5, "repl", "Binlog Dump"),
                process(6, "repl", "Binlog Dump GTID"),
                process(7, "event_scheduler", "Daemon"));

        Session(String version) {
            this.version = version;
        }

        static Row process(long id, String user, String command) {
            return Row.of(Map.of("ID", Long.toString(id), "USER", user, "COMMAND", command));
        }

        @Override
        public List<Row> query(SqlStatement q) {
            String sql = q.sql();
            if (sql.startsWith("SELECT @@version")) {
                return List.of(Row.of(Map.of("version", version, "version_comment", "")));
            }
            if (sql.contains("PROCESSLIST")) {
                return processes;
            }
            if (sql.contains("@@GLOBAL.read_only")) {
                return List.of(Row.of(Map.of("read_only", readOnly ? "1" : "0")));
            }
            throw new AssertionError("unexpected query " + sql);
        }

        @Override
        public void execute(SqlStatement s) {
            if (s.sql().equals("SET GLOBAL read_only=ON") && lockWaits > 0) {
                lockWaits--;
                executed.add(s.sql() + " -> lock wait timeout");
                throw new SqlFailure(
                        "s",
                        s.sql(),
                        SqlFailure.Kind.STATEMENT_ERROR,
                        1205,
                        "HY000",
                        "Lock wait timeout exceeded; try restarting transaction",
                        null);
            }
            if (s.sql().equals("SET GLOBAL read_only=ON")) {
                readOnly = true;
            }
            executed.add(s.sql());
        }

        @Override
        public String serverName() {
            return "s";
        }

        @Override
        public void close() {}
    }

    private ServerConnection connect(Session s) {
        return SessionConnection.over(WatchTest.OLD, s, time.clock());
    }

    @Test
    void mariadbReadOnlyFirstThenTheApplicationSessionsKilledNeverReplicationOrSystemThreads() {
        Session s = new Session("10.11.19-MariaDB");
        Fence.Result r = Fence.run(connect(s), time.clock());
        assertThat(s.executed)
                .containsExactly(
                        "SET SESSION lock_wait_timeout=1",
                        "SET GLOBAL read_only=ON",
                        "KILL CONNECTION 11",
                        "KILL CONNECTION 12",
                        "KILL CONNECTION 13");
        assertThat(r.actions()).containsExactly("read_only=ON", "killed 3 application session(s)");
        assertThat(r.sessionsKilled()).isEqualTo(3);
    }

    @Test
    void mysqlAddsSuperReadOnlyAndOfflineMode() {
        Session s = new Session("8.0.36");
        s.processes = List.of(
                Session.process(11, "app", "Query"),
                Session.process(3, "system user", "Connect"),
                Session.process(6, "repl", "Binlog Dump GTID"));
        Fence.Result r = Fence.run(connect(s), time.clock());
        assertThat(s.executed)
                .containsExactly(
                        "SET SESSION lock_wait_timeout=1",
                        "SET GLOBAL read_only=ON",
                        "SET GLOBAL super_read_only=ON",
                        "SET GLOBAL offline_mode=ON",
                        "KILL CONNECTION 11");
        assertThat(r.actions())
                .containsExactly(
                        "read_only=ON, super_read_only=ON", "offline_mode=ON", "killed 1 application session(s)");
    }

    @Test
    void aReadOnlyThatWaitsForALockKillsTheSessionsInTheWayAndTriesAgain() {
        Session s = new Session("10.11.19-MariaDB");
        s.lockWaits = 1;
        Fence.Result r = Fence.run(connect(s), time.clock());
        assertThat(s.executed.subList(0, 6))
                .containsExactly(
                        "SET SESSION lock_wait_timeout=1",
                        "SET GLOBAL read_only=ON -> lock wait timeout",
                        "KILL CONNECTION 11",
                        "KILL CONNECTION 12",
                        "KILL CONNECTION 13",
                        "SET GLOBAL read_only=ON");
        assertThat(r.actions().get(0)).isEqualTo("read_only waited for a lock: killed 3 session(s) in the way");
        assertThat(r.sessionsKilled()).isEqualTo(6);
    }

    @Test
    void givesUpAfterThreeLockWaits() {
        Session s = new Session("10.11.19-MariaDB");
        s.lockWaits = 3;
        assertThatThrownBy(() -> Fence.run(connect(s), time.clock()))
                .isInstanceOf(SqlFailure.class)
                .hasMessageContaining("Lock wait timeout");
        assertThat(s.readOnly).isFalse();
    }
}
