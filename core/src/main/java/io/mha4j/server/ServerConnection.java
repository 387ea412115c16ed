package io.mha4j.server;

import io.mha4j.config.ServerConfig;
import io.mha4j.internal.sql.SessionConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * An open connection to one configured server, with the {@link Dialect} chosen once from its
 * version: what a role or hook reads and changes a server with. Not thread-safe; close it when
 * done. Implementations throw {@link SqlFailure}.
 */
public interface ServerConnection extends AutoCloseable {

    /**
     * Connects as the configured admin user ({@code user}/{@code password}) with the configured
     * timeouts, and reads the version to choose the dialect.
     *
     * @throws SqlFailure if the server cannot be reached or refuses the login
     * @throws UnsupportedServerException for a version mha4j cannot manage
     */
    static ServerConnection open(ServerConfig config, Clock clock) {
        return SessionConnection.open(config, clock);
    }

    ServerConfig config();

    Dialect dialect();

    /** Reads the server's state in one pass; if a query fails, no half-read state is returned. */
    ServerState readState();

    /** Executes statements in order; the first failure stops the rest. */
    void execute(List<SqlStatement> statements);

    /** Runs a statement that returns no rows. */
    void execute(SqlStatement statement);

    /** Runs a query and returns every row. */
    List<Row> query(SqlStatement query);

    /**
     * Runs {@code body} with every statement's answer bounded by {@code timeout} instead of the
     * configured read timeout, then restores it: a poll that a frozen server (one that accepts TCP
     * and never answers) must not hold. A statement that times out breaks the connection.
     */
    <T> T withReadTimeout(Duration timeout, Supplier<T> body);

    @Override
    void close();
}
