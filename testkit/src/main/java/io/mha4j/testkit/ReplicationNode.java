package io.mha4j.testkit;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One database server of a {@link ReplicationCluster}, whatever runs it: a local {@code mariadbd}
 * ({@link SandboxNode}) or a MySQL container ({@link ContainerCluster}). Tests written against this
 * type run on both.
 */
public interface ReplicationNode {

    /** {@code node<index>}. */
    String name();

    /** The 1-based position in the cluster; also its {@code server_id}. */
    int index();

    /** Where the server is reached from this machine. */
    String host();

    int port();

    Endpoint endpoint();

    /** A Connector/J URL for {@link #endpoint()} (no TLS). */
    String jdbcUrl();

    /** Whether the server runs (a paused server runs). */
    boolean isRunning();

    /** A new connection as the admin user; the caller closes it. */
    Connection connect();

    /** A new connection as {@code user}; the caller closes it. */
    Connection connect(Credentials user);

    /** Runs each statement in order on one admin connection (autocommit). */
    void execute(String... statements);

    /** The rows of a query as column label to text value (SQL NULL is {@code null}), in order. */
    List<Map<String, String>> query(String query);

    /**
     * The first column of the first row ({@code null} for SQL NULL).
     *
     * @throws SandboxException if the query returns no row
     */
    default String queryForString(String sql) {
        List<Map<String, String>> rows = query(sql);
        if (rows.isEmpty()) {
            throw new SandboxException(name() + ": '" + sql + "' returned no row");
        }
        return rows.get(0).values().iterator().next();
    }

    /** {@code @@read_only}, read now. */
    default boolean isReadOnly() {
        return !"0".equals(queryForString("SELECT @@GLOBAL.read_only"));
    }

    /**
     * Writes about {@code mb} MB to the binary log as a busy master's current log holds them: one-row
     * INSERT statements into {@code mha4j_fill.statements}, 100 per transaction, each adding about
     * {@value #FILL_STATEMENT_BYTES} bytes (its row events). Run by a procedure on the server: sent one
     * by one, 100 MB take minutes. For what a large log costs, e.g. a binlog tool searching it from
     * its start for a GTID position.
     *
     * @return the statements written
     */
    default long fillBinaryLog(int mb) {
        long statements = mb * 1_000_000L / FILL_STATEMENT_BYTES;
        execute(
                "CREATE DATABASE IF NOT EXISTS mha4j_fill",
                "CREATE TABLE IF NOT EXISTS mha4j_fill.statements (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(40))",
                "DROP PROCEDURE IF EXISTS mha4j_fill.fill",
                "CREATE PROCEDURE mha4j_fill.fill(n BIGINT) BEGIN DECLARE i BIGINT DEFAULT 0; START TRANSACTION;"
                        + " WHILE i < n DO INSERT INTO mha4j_fill.statements (v) VALUES (REPEAT('x', 37));"
                        + " SET i = i + 1; IF i % 100 = 0 THEN COMMIT; START TRANSACTION; END IF; END WHILE; COMMIT;"
                        + " END",
                "CALL mha4j_fill.fill(" + Math.min(statements, FILL_STATEMENTS_PER_CALL) + ")");
        // Calls of a few seconds each: the testkit's connections time out a statement after 30 s.
        for (long left = statements - FILL_STATEMENTS_PER_CALL; left > 0; left -= FILL_STATEMENTS_PER_CALL) {
            execute("CALL mha4j_fill.fill(" + Math.min(left, FILL_STATEMENTS_PER_CALL) + ")");
        }
        execute("DROP PROCEDURE mha4j_fill.fill");
        return statements;
    }

    /** What one statement of {@link #fillBinaryLog} adds to a MariaDB 10.11 binary log, measured. */
    int FILL_STATEMENT_BYTES = 228;

    /** Statements of {@link #fillBinaryLog} per call of its procedure: ~45 MB, a few seconds. */
    long FILL_STATEMENTS_PER_CALL = 200_000;

    /** The replica status row, or empty if no replication is configured. */
    Optional<Map<String, String>> replicaStatus();

    /** Stops fetching from the master: the replica lags from now on. */
    void stopReplicaIoThread();

    /** Starts whichever replica threads are stopped. */
    void startReplica();

    /** A crash: SIGKILL, no chance to flush or say goodbye; waits until it is gone. */
    void kill();

    /** A clean shutdown; waits until it is gone. */
    void stop();

    /** Starts it again with its data, port and options, and waits until it accepts connections. */
    void start();

    /** Freezes it: connections stay open, nothing answers. */
    void pause();

    /** Thaws it after {@link #pause()}. */
    void resume();
}
