package io.mha4j.internal.failover;

import io.mha4j.gtid.GtidSet;
import io.mha4j.server.ServerState;
import io.mha4j.time.Scheduler;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Waits for a replica to execute a set of transactions. Every poll also looks at its threads: a
 * replica whose SQL thread stopped (on an error) will not get there by waiting, so the wait fails
 * at once with the error instead of after {@code apply_timeout}.
 */
final class ReplicaProgress {
    private ReplicaProgress() {}

    /**
     * @throws ReplicaFailure when a replication thread stopped on the way
     * @param time where the wait is measured and paused
     * @throws Await.TimedOut when {@code timeout} passes first
     */
    static ServerState awaitExecuted(Scheduler time, Survivor replica, GtidSet target, Duration timeout, String what) {
        AtomicReference<ServerState> last = new AtomicReference<>(replica.state());
        return Await.until(
                time,
                replica.name() + " to " + what,
                timeout,
                () -> {
                    ServerState st = replica.connection().readState();
                    last.set(st);
                    if (st.gtid().executed().contains(target)) {
                        return Optional.of(st);
                    }
                    st.replica().ifPresent(r -> ReplicaFailure.failIfStopped(replica.name(), r));
                    return Optional.empty();
                },
                () -> "lacks " + target.subtract(last.get().gtid().executed()));
    }
}
