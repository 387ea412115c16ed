package io.mha4j.internal.failover;

import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.ServerState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every replica applies what it received, in parallel. Each poll is bounded by
 * {@code replica_read_timeout}, so a replica that freezes now is left out within that bound
 * instead of holding the promotion; a replica whose SQL thread stopped is known at the first poll.
 */
final class RelayLogDrain {
    private static final Logger log = LoggerFactory.getLogger(RelayLogDrain.class);

    /**
     * One replica after the drain.
     *
     * @param survivor as last read
     * @param applied it executed everything it received
     * @param gone why it is left out (it stopped answering); empty when it answered
     */
    record Drained(Survivor survivor, boolean applied, Optional<String> gone) {}

    private RelayLogDrain() {}

    static List<Drained> all(List<Survivor> replicas, FailoverSetup setup) {
        Duration bound = Survivor.readTimeout(setup.config());
        List<CompletableFuture<Drained>> drains = replicas.stream()
                .map(s -> CompletableFuture.supplyAsync(() -> one(s, setup, bound), setup.pool()))
                .toList();
        return drains.stream().map(CompletableFuture::join).toList();
    }

    private static Drained one(Survivor s, FailoverSetup setup, Duration bound) {
        ReplicaStatus r = s.state().replica().orElseThrow();
        if (r.sqlDelaySeconds() > 0) {
            log.warn(
                    "{}: a delayed replica (SQL_Delay={} s): its relay log is not applied now",
                    s.name(),
                    r.sqlDelaySeconds());
            return new Drained(s, false, Optional.empty());
        }
        AtomicReference<ServerState> last = new AtomicReference<>(s.state());
        try {
            boolean done = s.bounded(
                    bound,
                    () -> Await.until(
                            setup.time(),
                            s.name() + " to apply its relay log",
                            setup.applyTimeout(),
                            () -> appliedYet(s, last),
                            () -> last.get()
                                    .replica()
                                    .map(ReplicaStatus::sqlThreadState)
                                    .orElse("")));
            log.info(
                    "{}: {}",
                    s.name(),
                    done
                            ? "relay log applied, executed " + last.get().gtid().executed()
                            : "its SQL thread stopped: "
                                    + last.get()
                                            .replica()
                                            .map(x -> x.lastSqlError().toString())
                                            .orElse("") + "; it is not elected");
            return new Drained(new Survivor(s.config(), s.connection(), last.get()), done, Optional.empty());
        } catch (RuntimeException e) {
            Survivor read = new Survivor(s.config(), s.connection(), last.get());
            if (ReplicaFailure.didNotAnswer(e)) {
                log.error(
                        "{}: stopped answering while applying its relay log; left out of the election: {}",
                        s.name(),
                        e.getMessage());
                s.connection().close();
                return new Drained(
                        read,
                        false,
                        Optional.of("stopped answering within " + bound.toMillis()
                                + " ms (replica_read_timeout) while applying its relay log: " + e.getMessage()));
            }
            log.warn("{}: {}", s.name(), e.getMessage());
            return new Drained(read, false, Optional.empty());
        }
    }

    /** True once everything received is executed, false when the SQL thread stopped, empty before. */
    private static Optional<Boolean> appliedYet(Survivor s, AtomicReference<ServerState> last) {
        ServerState before = last.get();
        ServerState now = s.connection().readState();
        last.set(now);
        ReplicaStatus rs = now.replica().orElseThrow();
        if (!rs.sqlThreadRunning()) {
            return Optional.of(false);
        }
        if (rs.hasAppliedAllReceived()) {
            return Optional.of(true);
        }
        // A transaction cut off by the crash stays unapplied at the relay log's end; the dead
        // master's binary log, when readable, supplies it whole.
        boolean idle = rs.sqlThreadState().contains("has read all relay log")
                && now.gtid().executed().equals(before.gtid().executed());
        return idle ? Optional.of(true) : Optional.empty();
    }
}
