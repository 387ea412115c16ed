package io.mha4j.internal.failover;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.ServerConnection;
import io.mha4j.server.ServerState;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** A server that answered during the failover: its open connection and its last-read state. */
public record Survivor(ServerConfig config, ServerConnection connection, ServerState state) {
    /** About five times the slowest relay-log deletion seen, per MiB. */
    static final Duration PURGE_PER_MIB = Duration.ofMillis(5);
    /**
     * About twice the slowest rollback expected, per MiB of a transaction's row events: ~5 ms per
     * 1,000 rows (measured), so ~0.5 s per MiB of the smallest rows' events, ~25 ms for rows of 200
     * bytes.
     */
    static final Duration ROLLBACK_PER_MIB = Duration.ofSeconds(1);

    /** {@code replica_read_timeout}: how long a replica may take to answer one statement of a failover's. */
    public static Duration readTimeout(ApplicationConfig config) {
        return config.value(Parameter.REPLICA_READ_TIMEOUT);
    }

    /**
     * The bound for {@code STOP SLAVE} and {@code CHANGE MASTER} on this replica: {@code
     * readTimeout}, plus what they do in proportion to its data, as last read. {@code STOP SLAVE}
     * rolls back {@linkplain ReplicaStatus#halfAppliedBytes a transaction the SQL thread applied
     * part of}, {@link #ROLLBACK_PER_MIB} per MiB; {@code CHANGE MASTER} deletes its relay logs,
     * {@link #PURGE_PER_MIB} per MiB of {@code Relay_Log_Space}. Measured: a 100,000-row rollback
     * 0.5 s, a 500 MB relay log 0.27–0.53 s — both over the 0.5 s {@code replica_read_timeout},
     * which gave a healthy replica up as frozen. For those statements only: a poll is answered at
     * once by a server that is not frozen.
     */
    public Duration stopReplicationBound(Duration readTimeout) {
        Optional<ReplicaStatus> r = state.replica();
        long halfApplied = r.map(ReplicaStatus::halfAppliedBytes).orElse(0L);
        long relayLogs = r.map(ReplicaStatus::relayLogSpace).orElse(0L);
        return readTimeout
                .plus(ROLLBACK_PER_MIB.multipliedBy(halfApplied).dividedBy(1 << 20))
                .plus(PURGE_PER_MIB.multipliedBy(relayLogs >> 20));
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
