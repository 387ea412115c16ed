package io.mha4j.datasource;

import io.mha4j.config.ServerConfig;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.ServerConnection;
import io.mha4j.server.ServerState;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Reads a replica's replication; the real one through core's {@link ServerConnection}, a fake in tests. */
@FunctionalInterface
interface ReplicaProbe {

    /** Never throws: a server that cannot be read is a {@link ReplicaReading#broken} one. */
    ReplicaReading read(ServerConfig replica);

    /**
     * As the manager reads it: MHA's admin account (it needs the replication-client privilege the
     * application's account may lack), core's dialect for MySQL and MariaDB, one connection per read.
     */
    static ReplicaProbe overServerConnection(Clock clock) {
        return replica -> {
            try (ServerConnection c = ServerConnection.open(replica, clock)) {
                ServerState state = c.readState();
                Optional<ReplicaStatus> status = state.replica();
                if (status.isEmpty()) {
                    return ReplicaReading.broken("not a replica");
                }
                ReplicaStatus s = status.get();
                if (s.ioThread() == ReplicaStatus.IoThread.CONNECTING && s.sqlThreadRunning()) {
                    return ReplicaReading.sourceLost("reconnecting to its source " + s.source());
                }
                if (!s.isReplicating()) {
                    return ReplicaReading.broken("replication not running (IO " + s.ioThread() + ", SQL "
                            + (s.sqlThreadRunning() ? "running" : "stopped") + ")");
                }
                return s.secondsBehindSource().isPresent()
                        ? ReplicaReading.lagging(
                                Duration.ofSeconds(s.secondsBehindSource().getAsLong()))
                        : ReplicaReading.broken("lag unknown");
            } catch (RuntimeException e) {
                return ReplicaReading.broken("unreadable: " + e.getMessage());
            }
        };
    }
}
