package io.mha4j.internal.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.config.PingType;
import io.mha4j.internal.sql.SqlSession;
import io.mha4j.monitor.PingOutcome;
import io.mha4j.server.Row;
import io.mha4j.server.SqlFailure;
import io.mha4j.server.SqlStatement;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SqlPingTest {

    /** A connection whose next statements fail as scripted; it records what it ran. */
    static final class ScriptedSession implements SqlSession {
        final List<String> ran = new ArrayList<>();
        final Deque<SqlFailure.Kind> failures = new ArrayDeque<>();
        boolean closed;

        @Override
        public List<Row> query(SqlStatement query) {
            run(query);
            return List.of(Row.of(Map.of("Value", "1")));
        }

        @Override
        public void execute(SqlStatement statement) {
            run(statement);
        }

        private void run(SqlStatement s) {
            ran.add(s.sql());
            SqlFailure.Kind f = failures.poll();
            if (f != null) {
                throw new SqlFailure("m", s.redacted(), f, 0, null, f.name(), null);
            }
        }

        @Override
        public String serverName() {
            return "m";
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Hands out sessions, or fails connects as scripted. */
    static final class Connector implements Supplier<SqlSession> {
        final List<ScriptedSession> opened = new ArrayList<>();
        final Deque<SqlFailure> connectFailures = new ArrayDeque<>();

        @Override
        public SqlSession get() {
            SqlFailure f = connectFailures.poll();
            if (f != null) {
                throw f;
            }
            ScriptedSession s = new ScriptedSession();
            opened.add(s);
            return s;
        }

        ScriptedSession last() {
            return opened.get(opened.size() - 1);
        }
    }

    private final Connector connector = new Connector();

    private SqlPing ping(PingType type) {
        return new SqlPing("m", type, connector, Clock.systemUTC());
    }

    private static SqlFailure connectFailure(SqlFailure.Kind kind, int code) {
        return new SqlFailure("m", null, kind, code, null, kind.name(), null);
    }

    @Test
    void selectPingsOnOneKeptConnection() {
        SqlPing p = ping(PingType.SELECT);
        assertThat(p.ping().ok()).isTrue();
        assertThat(p.ping().ok()).isTrue();
        assertThat(connector.opened).hasSize(1);
        assertThat(connector.last().ran).containsExactly("SELECT 1 AS Value", "SELECT 1 AS Value");
    }

    @Test
    void aLostConnectionIsReplacedWithinTheSamePing() {
        SqlPing p = ping(PingType.SELECT);
        p.ping();
        connector.last().failures.add(SqlFailure.Kind.CONNECTION_LOST);
        PingOutcome o = p.ping();
        assertThat(o.ok())
                .as("an idle connection dropped by the server costs no failed ping")
                .isTrue();
        assertThat(connector.opened).hasSize(2);
        assertThat(connector.opened.get(0).closed).isTrue();
    }

    @Test
    void aKilledServerShowsAsARefusedConnectionNotALostOne() {
        SqlPing p = ping(PingType.SELECT);
        p.ping();
        connector.last().failures.add(SqlFailure.Kind.CONNECTION_LOST);
        connector.connectFailures.add(connectFailure(SqlFailure.Kind.CONNECTION_REFUSED, 0));
        PingOutcome o = p.ping();
        assertThat(o.ok()).isFalse();
        assertThat(o.failure()).contains(SqlFailure.Kind.CONNECTION_REFUSED);
        assertThat(o.countsAsFailure()).isTrue();
    }

    @Test
    void aStatementThatTimesOutIsNotRetriedAndTheNextPingReconnects() {
        SqlPing p = ping(PingType.SELECT);
        p.ping();
        connector.last().failures.add(SqlFailure.Kind.TIMEOUT);
        PingOutcome o = p.ping();
        assertThat(o.failure()).contains(SqlFailure.Kind.TIMEOUT);
        assertThat(connector.opened).hasSize(1);
        assertThat(connector.opened.get(0).closed).isTrue();
        assertThat(p.ping().ok()).isTrue();
        assertThat(connector.opened).hasSize(2);
    }

    @Test
    void connectPingsOpenAndCloseAConnectionEachTime() {
        SqlPing p = ping(PingType.CONNECT);
        p.ping();
        p.ping();
        assertThat(connector.opened).hasSize(2).allMatch(s -> s.closed);
    }

    @Test
    void insertPingsWriteMhasHeartbeatAndCreateItsTableOncePerConnection() {
        SqlPing p = ping(PingType.INSERT);
        p.ping();
        p.ping();
        assertThat(connector.last().ran)
                .containsExactly(
                        "CREATE DATABASE IF NOT EXISTS infra",
                        "CREATE TABLE IF NOT EXISTS infra.chk_masterha (`key` tinyint NOT NULL primary key,"
                                + "`val` int(10) unsigned NOT NULL DEFAULT '0')",
                        "INSERT INTO infra.chk_masterha VALUES (1, unix_timestamp()) ON DUPLICATE KEY UPDATE val=unix_timestamp()",
                        "INSERT INTO infra.chk_masterha VALUES (1, unix_timestamp()) ON DUPLICATE KEY UPDATE val=unix_timestamp()");
    }

    @Test
    void anInsertTheServerRefusesIsAFailedPing() {
        SqlPing p = ping(PingType.INSERT);
        p.ping();
        connector.last().failures.add(SqlFailure.Kind.STATEMENT_ERROR);
        PingOutcome o = p.ping();
        assertThat(o.failure()).contains(SqlFailure.Kind.STATEMENT_ERROR);
        assertThat(o.countsAsFailure()).isTrue();
    }

    @Test
    void anAliveButRefusingAnswerIsNotCounted() {
        connector.connectFailures.add(connectFailure(SqlFailure.Kind.OTHER, 1040));
        PingOutcome o = ping(PingType.SELECT).ping();
        assertThat(o.ok()).isFalse();
        assertThat(o.errorCode()).hasValue(1040);
        assertThat(o.aliveButRefusing()).isTrue();
        assertThat(o.countsAsFailure()).isFalse();
    }

    @Test
    void afterCloseNothingConnects() {
        SqlPing p = ping(PingType.SELECT);
        p.ping();
        p.close();
        assertThat(connector.last().closed).isTrue();
        assertThat(p.ping().failure()).isEqualTo(Optional.of(SqlFailure.Kind.OTHER));
        assertThat(connector.opened).hasSize(1);
    }
}
