package io.mha4j.server;

import io.mha4j.config.ServerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * One read of a replica's replication, for whoever sends reads to replicas (the datasource module's
 * reader, the command line's health endpoints): its lag when both threads run and the lag is known,
 * else why it takes no reads. One rule for both, so that HAProxy and a Java application never
 * disagree about which replica may serve.
 *
 * @param lag {@code Seconds_Behind_Master} when both threads run and it is known
 * @param problem why it takes no reads; empty when {@code lag} is present
 * @param sourceLost its receiver is reconnecting to its source while the applier runs: what every
 *     replica shows while its master is dead, until a failover rewires it
 */
public record ReplicaReading(Optional<Duration> lag, String problem, boolean sourceLost) {

    public static ReplicaReading lagging(Duration lag) {
        return new ReplicaReading(Optional.of(lag), "", false);
    }

    public static ReplicaReading broken(String problem) {
        return new ReplicaReading(Optional.empty(), problem, false);
    }

    public static ReplicaReading sourceLost(String problem) {
        return new ReplicaReading(Optional.empty(), problem, true);
    }

    /** What {@code state}, read from a server meant to be a replica, says of its replication. */
    public static ReplicaReading of(ServerState state) {
        Optional<ReplicaStatus> status = state.replica();
        if (status.isEmpty()) {
            return broken("not a replica");
        }
        ReplicaStatus s = status.get();
        if (s.ioThread() == ReplicaStatus.IoThread.CONNECTING && s.sqlThreadRunning()) {
            return sourceLost("reconnecting to its source " + s.source());
        }
        if (!s.isReplicating()) {
            return broken("replication not running (IO " + s.ioThread() + ", SQL "
                    + (s.sqlThreadRunning() ? "running" : "stopped") + ")");
        }
        return s.secondsBehindSource().isPresent()
                ? lagging(Duration.ofSeconds(s.secondsBehindSource().getAsLong()))
                : broken("lag unknown");
    }

    /**
     * Reads {@code replica} as the manager does: MHA's admin account (it needs the replication-client
     * privilege an application's account may lack), core's dialect, one connection per read. Never
     * throws: a server that cannot be read is a {@link #broken} one.
     */
    public static ReplicaReading read(ServerConfig replica, Clock clock) {
        try (ServerConnection c = ServerConnection.open(replica, clock)) {
            return of(c.readState());
        } catch (RuntimeException e) {
            return broken("unreadable: " + e.getMessage());
        }
    }

    /** Whether it may take reads under {@code limit}, and if not, why. */
    public Optional<String> refusal(Duration limit) {
        if (lag.isEmpty()) {
            return Optional.of(problem);
        }
        return lag.get().compareTo(limit) > 0
                ? Optional.of("lag " + lag.get().toSeconds() + " s > " + limit.toSeconds() + " s")
                : Optional.empty();
    }
}
