package io.mha4j.internal.failover;

import io.mha4j.config.ServerConfig;
import io.mha4j.internal.sql.JdbcSqlSession;
import io.mha4j.internal.sql.SessionConnection;
import io.mha4j.internal.sql.SqlSession;
import io.mha4j.server.ServerConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * How a failover reaches a server: over JDBC in production, over scripted sessions in unit tests
 * (which then exercise the phases without a server).
 */
@FunctionalInterface
public interface Connector {

    /**
     * Connects to {@code server} and identifies it.
     *
     * @param bound when present, the TCP connect, the login handshake and the first statement must
     *     each answer within it ({@code replica_read_timeout}): a frozen server costs the bound, not
     *     {@code sql_connect_timeout}
     * @throws RuntimeException when it cannot be reached or refuses the login
     */
    ServerConnection open(ServerConfig server, Optional<Duration> bound);

    /** Over JDBC with the configured user, each server within its own connect and read timeouts. */
    static Connector jdbc(Clock clock) {
        return (server, bound) ->
                bound.isEmpty() ? ServerConnection.open(server, clock) : openBounded(server, clock, bound.get());
    }

    private static ServerConnection openBounded(ServerConfig server, Clock clock, Duration bound) {
        Duration connect = server.sqlConnectTimeout().compareTo(bound) < 0 ? server.sqlConnectTimeout() : bound;
        SqlSession session = JdbcSqlSession.open(
                server.displayName(),
                server.address(),
                server.port(),
                server.user(),
                server.password(),
                connect,
                server.sqlReadTimeout());
        try {
            return session.withReadTimeout(bound, () -> SessionConnection.over(server, session, clock));
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }
}
