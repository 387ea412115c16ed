package io.mha4j.internal.monitor;

import io.mha4j.config.PingType;
import io.mha4j.internal.sql.SqlSession;
import io.mha4j.monitor.PingOutcome;
import io.mha4j.server.Row;
import io.mha4j.server.SqlFailure;
import io.mha4j.server.SqlStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings the master as MHA's {@code ping_type} says: {@code SELECT 1} on a kept connection
 * (SELECT), a new connection each time (CONNECT), or MHA's heartbeat upsert into
 * {@code infra.chk_masterha} on a kept connection (INSERT).
 *
 * <p>A kept connection that breaks is replaced at once, within the same ping: a server that
 * was killed then shows as a refused connection (nothing listens), not merely as a lost one,
 * and a connection the server dropped for idleness costs no failed ping. A statement that
 * times out is not retried (the server hangs; a retry would only double the wait).
 *
 * <p>Not thread-safe: the monitor pings from one thread. {@link #close()} may come from another.
 */
final class SqlPing implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SqlPing.class);

    static final SqlStatement SELECT_1 = SqlStatement.of("SELECT 1 AS Value");
    /** MHA's heartbeat table; the CREATEs run once per connection (each is a binlog event), the upsert every ping. */
    static final List<SqlStatement> INSERT_SETUP = List.of(
            SqlStatement.of("CREATE DATABASE IF NOT EXISTS infra"),
            SqlStatement.of("CREATE TABLE IF NOT EXISTS infra.chk_masterha (`key` tinyint NOT NULL primary key,"
                    + "`val` int(10) unsigned NOT NULL DEFAULT '0')"));

    static final SqlStatement INSERT = SqlStatement.of(
            "INSERT INTO infra.chk_masterha VALUES (1, unix_timestamp()) ON DUPLICATE KEY UPDATE val=unix_timestamp()");

    private final String master;
    private final PingType type;
    private final Supplier<SqlSession> connector;
    private final Clock clock;
    private volatile SqlSession kept;
    private volatile boolean closed;

    /**
     * @param connector opens a connection to the master with the ping's timeouts; throws
     *     {@link SqlFailure}
     */
    SqlPing(String master, PingType type, Supplier<SqlSession> connector, Clock clock) {
        this.master = master;
        this.type = type;
        this.connector = connector;
        this.clock = clock;
    }

    PingOutcome ping() {
        Instant at = clock.instant();
        long start = System.nanoTime();
        try {
            if (closed) {
                throw new SqlFailure(master, null, SqlFailure.Kind.OTHER, 0, null, "the monitor is closed", null);
            }
            if (type == PingType.CONNECT) {
                try (SqlSession s = connector.get()) {
                    select(s);
                }
            } else {
                onKeptConnection();
            }
            return PingOutcome.success(at, "ping(" + type + ") succeeded", took(start));
        } catch (SqlFailure f) {
            return PingOutcome.failed(at, f, took(start));
        }
    }

    private void onKeptConnection() {
        SqlSession s = kept;
        if (s == null) {
            run(open());
            return;
        }
        try {
            run(s);
        } catch (SqlFailure f) {
            if (f.kind() != SqlFailure.Kind.CONNECTION_LOST) {
                throw f;
            }
            log.debug("{}: kept connection lost ({}); reconnecting within this ping", master, f.getMessage());
            run(open());
        }
    }

    private SqlSession open() {
        SqlSession s = connector.get();
        try {
            if (type == PingType.INSERT) {
                INSERT_SETUP.forEach(s::execute);
            }
        } catch (SqlFailure f) {
            s.close();
            throw f;
        }
        kept = s;
        if (closed) {
            // close() ran while we connected: do not leave this connection behind.
            drop(s);
            throw new SqlFailure(master, null, SqlFailure.Kind.OTHER, 0, null, "the monitor is closed", null);
        }
        return s;
    }

    private void run(SqlSession s) {
        try {
            if (type == PingType.INSERT) {
                s.execute(INSERT);
            } else {
                select(s);
            }
        } catch (SqlFailure f) {
            drop(s);
            throw f;
        }
    }

    private void select(SqlSession s) {
        List<Row> rows = s.query(SELECT_1);
        if (rows.isEmpty() || rows.get(0).number("Value").orElse(0) != 1) {
            throw new SqlFailure(
                    master,
                    SELECT_1.redacted(),
                    SqlFailure.Kind.STATEMENT_ERROR,
                    0,
                    null,
                    "answered " + rows + " instead of 1",
                    null);
        }
    }

    private void drop(SqlSession s) {
        if (kept == s) {
            kept = null;
        }
        s.close();
    }

    private static Duration took(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    @Override
    public void close() {
        closed = true;
        SqlSession s = kept;
        if (s != null) {
            drop(s);
        }
    }
}
