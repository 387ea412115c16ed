package io.mha4j.internal.failover;

import io.mha4j.config.ServerConfig;
import io.mha4j.failover.ReplicaOutcome;
import io.mha4j.gtid.GtidSet;
import io.mha4j.server.ReplicationSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase 4: every other replica, in parallel, follows the new master by GTID and catches up
 * with everything it had when it was promoted. One replica's failure is its own outcome; it
 * never stops the others.
 */
public final class ReplicaRecovery {
    private static final Logger log = LoggerFactory.getLogger(ReplicaRecovery.class);
    private final FailoverSetup setup;

    public ReplicaRecovery(FailoverSetup setup) {
        this.setup = setup;
    }

    public List<ReplicaOutcome> run(NewMasterRecovery.Promotion promotion, Map<ServerConfig, String> unreachable) {
        Survivor master = promotion.newMaster();
        ReplicationSource source = setup.sourceOf(master.config(), promotion.survivors());
        GtidSet target = Candidates.executed(master);
        List<CompletableFuture<ReplicaOutcome>> rewires = promotion.survivors().stream()
                .filter(s -> !s.config().block().equals(master.config().block()))
                .map(s -> CompletableFuture.supplyAsync(() -> rewire(s, source, target, master.name()), setup.pool()))
                .toList();
        List<ReplicaOutcome> outcomes = new ArrayList<>(rewires.stream().map(CompletableFuture::join).toList());
        unreachable.forEach((s, why) -> {
            log.error("{}: not recovered: it could not be read ({})", s.displayName(), why);
            outcomes.add(new ReplicaOutcome(s.displayName(), s.hostname(), false, "not recovered: could not be read (" + why + ")"));
        });
        return outcomes;
    }

    private ReplicaOutcome rewire(Survivor replica, ReplicationSource source, GtidSet target, String master) {
        try {
            setup.rewirer().follow(replica.connection(), source, setup.applyTimeout());
            long delay = replica.state().replica().map(r -> r.sqlDelaySeconds()).orElse(0L);
            if (delay > 0) {
                log.info("{}: OK: replicating from {}; a delayed replica (SQL_Delay={} s), so not waited for",
                        replica.name(), master, delay);
                return new ReplicaOutcome(replica.name(), replica.config().hostname(), true, "Slave started, replicating from " + master
                        + " (delayed replica, SQL_Delay=" + delay + " s: catches up later)");
            }
            Await.until(replica.name() + " to catch up with " + master, setup.applyTimeout(),
                    () -> Optional.of(replica.connection().readState())
                            .filter(st -> st.gtid().executed().contains(target)),
                    () -> "lacks " + target.subtract(replica.connection().readState().gtid().executed()));
            log.info("{}: OK: replicating from {}, caught up to {}", replica.name(), master, target);
            return new ReplicaOutcome(replica.name(), replica.config().hostname(), true, "Slave started, replicating from " + master);
        } catch (RuntimeException e) {
            log.error("{}: not recovered: {}", replica.name(), e.getMessage());
            return new ReplicaOutcome(replica.name(), replica.config().hostname(), false, e.getMessage());
        }
    }
}
