package io.mha4j.internal.failover;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.server.ServerConnection;
import io.mha4j.server.ServerState;
import java.time.Duration;
import java.util.function.Supplier;

/** A server that answered during the failover: its open connection and its last-read state. */
public record Survivor(ServerConfig config, ServerConnection connection, ServerState state) {

    /** {@code replica_read_timeout}: how long a replica may take to answer one statement of a failover's. */
    public static Duration readTimeout(ApplicationConfig config) {
        return config.value(Parameter.REPLICA_READ_TIMEOUT);
    }

    public Survivor reread() {
        return new Survivor(config, connection, connection.readState());
    }

    /**
     * Runs {@code body} with every statement on this connection bounded by {@code timeout}: a
     * server that freezes fails it (and its connection) instead of holding the failover.
     */
    public <T> T bounded(Duration timeout, Supplier<T> body) {
        return connection.withReadTimeout(timeout, body);
    }

    public String name() {
        return config.displayName();
    }
}
