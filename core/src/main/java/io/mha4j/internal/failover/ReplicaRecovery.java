package io.mha4j.internal.failover;

import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverContext;
import io.mha4j.failover.FailoverVetoException;
import io.mha4j.failover.ReplicaOutcome;
import io.mha4j.failover.ReplicaOutcome.Reason;
import io.mha4j.gtid.GtidSet;
import io.mha4j.server.ReplicationSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase 4: every other replica, in parallel, follows the new master by GTID and catches up
 * with everything it had when it was promoted. One replica's failure is its own outcome; it
 * never stops the others. Every statement is bounded by {@code replica_read_timeout} (its
 * {@code STOP SLAVE} and {@code CHANGE MASTER} longer: {@link Survivor#stopReplicationBound}): a
 * replica that stops answering is given up within that bound, marked {@link
 * Reason#DID_NOT_ANSWER} to be rewired when it answers again; one whose replication stops on an
 * error is given up at once, with the error. A replica whose errant transactions collide with the new master's (MariaDB: the
 * same domain) is not rewired at all: it would break, or silently diverge, at the next write.
 */
public final class ReplicaRecovery {
    private static final Logger log = LoggerFactory.getLogger(ReplicaRecovery.class);
    private final FailoverSetup setup;

    public ReplicaRecovery(FailoverSetup setup) {
        this.setup = setup;
    }

    /**
     * @param context the failover as its hooks see it, the new master elected
     * @param unreachable replicas the check could not read, with why
     */
    public List<ReplicaOutcome> run(
            FailoverContext context, NewMasterRecovery.Promotion promotion, Map<ServerConfig, String> unreachable) {
        Survivor master = promotion.newMaster();
        ReplicationSource source = setup.sourceOf(master.config(), promotion.survivors());
        GtidSet target = Candidates.executed(master);
        Duration bound = Survivor.readTimeout(setup.config());
        List<CompletableFuture<ReplicaOutcome>> rewires = promotion.survivors().stream()
                .filter(s -> !s.config().block().equals(master.config().block()))
                .map(s -> CompletableFuture.supplyAsync(
                        () -> collision(s, promotion.errant(), target)
                                .or(() -> vetoed(context, s))
                                .orElseGet(() -> rewire(s, source, target, master.name(), bound)),
                        setup.pool()))
                .toList();
        List<ReplicaOutcome> outcomes =
                new ArrayList<>(rewires.stream().map(CompletableFuture::join).toList());
        Map<ServerConfig, String> leftOut = new LinkedHashMap<>();
        unreachable.forEach((s, why) -> leftOut.put(s, "not recovered: could not be read (" + why + ")"));
        promotion.leftOut().forEach((s, why) -> leftOut.put(s, "not recovered: " + why));
        leftOut.forEach((s, why) -> {
            log.error("{}: {}; {}", s.displayName(), why, Reason.REWIRED_LATER);
            outcomes.add(new ReplicaOutcome(
                    s.displayName(), s.hostname(), false, why + "; " + Reason.REWIRED_LATER, Reason.DID_NOT_ANSWER));
        });
        return outcomes;
    }

    /** The phase's status: {@code ok}, or how many replicas were not recovered. */
    public static String status(List<ReplicaOutcome> outcomes) {
        long failed = outcomes.stream().filter(o -> !o.recovered()).count();
        return failed == 0 ? "ok" : failed + " of " + outcomes.size() + " replica(s) not recovered";
    }

    /**
     * A replica whose errant transactions collide with the new master's is left as it was:
     * replicating would stop (or silently diverge) at the master's next transaction there.
     */
    private static Optional<ReplicaOutcome> collision(Survivor replica, ErrantTransactions errant, GtidSet target) {
        GtidSet mine = errant.of(replica.config().block(), target);
        if (mine.isEmpty() || !replica.connection().dialect().collides(mine, target)) {
            return Optional.empty();
        }
        String detail = "not rewired: it holds errant transactions " + mine + " where the new master writes too, so"
                + " its replication would stop or silently diverge at the next one; remove them, then point it at the"
                + " new master"
                + replica.state()
                        .replica()
                        .filter(r -> r.lastSqlError().isPresent())
                        .map(r -> " (its SQL thread stopped on " + r.lastSqlError() + ")")
                        .orElse("");
        log.error("{}: {}", replica.name(), detail);
        return Optional.of(new ReplicaOutcome(
                replica.name(), replica.config().hostname(), false, detail, Reason.ERRANT_TRANSACTIONS));
    }

    /** A hook's veto of this replica's rewiring (the manager no longer leads, say): left as it was. */
    private Optional<ReplicaOutcome> vetoed(FailoverContext context, Survivor replica) {
        try {
            setup.hooks().beforeRewire(context, replica.config());
            return Optional.empty();
        } catch (FailoverVetoException e) {
            log.error("{}: not rewired: {}", replica.name(), e.getMessage());
            return Optional.of(new ReplicaOutcome(
                    replica.name(),
                    replica.config().hostname(),
                    false,
                    "not rewired: " + e.getMessage(),
                    Reason.FAILED));
        }
    }

    private ReplicaOutcome rewire(
            Survivor replica, ReplicationSource source, GtidSet target, String master, Duration readTimeout) {
        // Only its STOP SLAVE and CHANGE MASTER may take longer: a poll is answered at once.
        Duration bound = replica.stopReplicationBound(readTimeout);
        String boundName = "replica_read_timeout plus the time to roll back and delete what it received";
        try {
            replica.bounded(bound, () -> {
                setup.follow(replica.connection(), source);
                return null;
            });
            bound = readTimeout;
            boundName = "replica_read_timeout";
            return replica.bounded(bound, () -> {
                long delay =
                        replica.state().replica().map(r -> r.sqlDelaySeconds()).orElse(0L);
                if (delay > 0) {
                    log.info(
                            "{}: OK: replicating from {}; a delayed replica (SQL_Delay={} s), so not waited for",
                            replica.name(),
                            master,
                            delay);
                    return recovered(
                            replica,
                            "Slave started, replicating from " + master + " (delayed replica," + " SQL_Delay=" + delay
                                    + " s: catches up later)");
                }
                ReplicaProgress.awaitExecuted(
                        setup.time(), replica, target, setup.applyTimeout(), "catch up with " + master);
                log.info("{}: OK: replicating from {}, caught up to {}", replica.name(), master, target);
                return recovered(replica, "Slave started, replicating from " + master);
            });
        } catch (RuntimeException e) {
            ReplicaFailure f = ReplicaFailure.of(replica, e, bound, boundName);
            log.error("{}: not recovered ({}): {}", replica.name(), f.reason(), f.getMessage());
            if (f.reason() == Reason.DID_NOT_ANSWER) {
                replica.connection().close();
            }
            return new ReplicaOutcome(replica.name(), replica.config().hostname(), false, f.getMessage(), f.reason());
        }
    }

    private static ReplicaOutcome recovered(Survivor replica, String detail) {
        return new ReplicaOutcome(replica.name(), replica.config().hostname(), true, detail, Reason.RECOVERED);
    }
}
