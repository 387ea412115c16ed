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
    /** About five times the slowest relay-log deletion seen, per MiB. */
    static final Duration PURGE_PER_MIB = Duration.ofMillis(5);

    /** {@code replica_read_timeout}: how long a replica may take to answer one statement of a failover's. */
    public static Duration readTimeout(ApplicationConfig config) {
        return config.value(Parameter.REPLICA_READ_TIMEOUT);
    }

    /**
     * The bound for statements that delete this server's relay logs (the {@code CHANGE MASTER} of a
     * catch-up or a rewiring): {@code readTimeout} plus {@link #PURGE_PER_MIB} for each MiB of its
     * {@code Relay_Log_Space} as last read. The deletion takes time in proportion to the size
     * (here 0.5 ms per MB on an idle machine, up to 1 ms during a failover: a 500 MB relay log once
     * outlasted the 500 ms {@code replica_read_timeout}, and the replica was given up as frozen).
     */
    public Duration purgeBound(Duration readTimeout) {
        long space = state.replica().map(r -> r.relayLogSpace()).orElse(0L);
        return readTimeout.plus(PURGE_PER_MIB.multipliedBy(space >> 20));
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
