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
