package io.mha4j.internal.monitor;

import io.mha4j.config.ServerConfig;
import io.mha4j.monitor.ReplicaSample;
import io.mha4j.server.Dialect;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.Row;
import io.mha4j.server.ServerConnection;
import io.mha4j.server.SqlFailure;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Reads replicas' view of their source: {@code SHOW SLAVE STATUS} and the heartbeats, on
 * one connection per replica kept for as long as the monitor runs: while the master fails,
 * replicas are read at every failed ping, and the fast path reads them right after a refused
 * ping, where a new connection's handshake would be most of the time spent. A kept connection
 * that fails (closed by the server for idleness, say) is replaced once, at once.
 *
 * <p>Different replicas may be read from different threads at once; one replica is never read
 * by two threads at once (the monitor keeps one read per replica in flight).
 */
final class ReplicaReader implements AutoCloseable {
    private static final Row NO_VARIABLES = Row.of(Map.of());

    private final Function<ServerConfig, ServerConnection> connector;
    private final Map<String, ServerConnection> open = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param connector opens a connection to a replica; throws {@link SqlFailure} */
    ReplicaReader(Function<ServerConfig, ServerConnection> connector) {
        this.connector = connector;
    }

    /**
     * @throws SqlFailure when the replica cannot be read
     */
    ReplicaSample read(ServerConfig replica) {
        ServerConnection c = open.get(replica.block());
        if (c != null) {
            try {
                return read(replica, c);
            } catch (SqlFailure f) {
                forget(replica, c);
                if (f.kind() == SqlFailure.Kind.STATEMENT_ERROR || f.kind() == SqlFailure.Kind.TIMEOUT) {
                    throw f;
                }
                // A dropped connection (idle timeout, restart): try once on a new one.
            }
        }
        ServerConnection fresh = connector.apply(replica);
        open.put(replica.block(), fresh);
        if (closed) {
            forget(replica, fresh);
            throw new SqlFailure(
                    replica.displayName(), null, SqlFailure.Kind.OTHER, 0, null, "the monitor is closed", null);
        }
        try {
            return read(replica, fresh);
        } catch (SqlFailure f) {
            forget(replica, fresh);
            throw f;
        }
    }

    private static ReplicaSample read(ServerConfig replica, ServerConnection c) {
        Dialect d = c.dialect();
        Optional<ReplicaStatus> status = c.query(d.replicaStatus()).stream()
                .filter(r -> !r.text(d.replicaStatusHostColumn()).isEmpty())
                .findFirst()
                .map(r -> d.replicaStatus(r, NO_VARIABLES));
        return new ReplicaSample(replica.displayName(), status, HeartbeatEvidence.read(c));
    }

    private void forget(ServerConfig replica, ServerConnection c) {
        open.remove(replica.block(), c);
        c.close();
    }

    @Override
    public void close() {
        closed = true;
        open.values().forEach(ServerConnection::close);
        open.clear();
    }
}
