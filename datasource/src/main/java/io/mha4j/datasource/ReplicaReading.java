package io.mha4j.datasource;

import io.mha4j.server.ReplicaStatus;
import java.time.Duration;
import java.util.Optional;

/**
 * One read of a replica's replication: its lag when both threads run and the lag is known, else why
 * it takes no reads.
 *
 * @param sourceLost its receiver is reconnecting to its source while the applier runs: what every
 *     replica shows while its master is dead, until a failover rewires it
 */
record ReplicaReading(Optional<Duration> lag, String problem, boolean sourceLost) {

    static ReplicaReading lagging(Duration lag) {
        return new ReplicaReading(Optional.of(lag), "", false);
    }

    static ReplicaReading broken(String problem) {
        return new ReplicaReading(Optional.empty(), problem, false);
    }

    static ReplicaReading sourceLost(String problem) {
        return new ReplicaReading(Optional.empty(), problem, true);
    }

    /** What a server's replica status says of it as a place to read from. */
    static ReplicaReading of(Optional<ReplicaStatus> status) {
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

    /** Whether it may take reads under {@code limit}, and if not, why. */
    Optional<String> refusal(Duration limit) {
        if (lag.isEmpty()) {
            return Optional.of(problem);
        }
        return lag.get().compareTo(limit) > 0
                ? Optional.of("lag " + lag.get().toSeconds() + " s > " + limit.toSeconds() + " s")
                : Optional.empty();
    }
}
