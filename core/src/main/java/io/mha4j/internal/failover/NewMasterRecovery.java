package io.mha4j.internal.failover;

import io.mha4j.Mha4jException;
import io.mha4j.failover.Compensation;
import io.mha4j.failover.CompensationRequest;
import io.mha4j.failover.Election;
import io.mha4j.failover.FailoverContext;
import io.mha4j.gtid.GtidSet;
import io.mha4j.remote.RemoteShell;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.ServerState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase 3: every replica applies what it received; the latest is found; the elector chooses;
 * the new master catches up from the latest replica if it is not the latest itself, then gets
 * what only the dead master had; the hooks activate it (VIP) and it becomes writable.
 */
public final class NewMasterRecovery {
    private static final Logger log = LoggerFactory.getLogger(NewMasterRecovery.class);
    private final FailoverSetup setup;

    /**
     * @param newMaster the promoted server, read after promotion
     * @param election the elector's answer
     * @param compensation what was recovered from the dead master
     * @param survivors every survivor, read after its relay log was applied
     */
    public record Promotion(Survivor newMaster, Election election, Compensation compensation, List<Survivor> survivors) {}

    /** The failover could not promote anyone; {@code election} says why when it got that far. */
    public static final class NoPromotion extends Mha4jException {
        private final transient Optional<Election> election;

        NoPromotion(String message, Optional<Election> election, Throwable cause) {
            super(message, cause);
            this.election = election;
        }

        public Optional<Election> election() {
            return election;
        }
    }

    public NewMasterRecovery(FailoverSetup setup) {
        this.setup = setup;
    }

    public Promotion run(FailoverContext context, List<Survivor> frozen, Optional<RemoteShell> deadMasterShell,
            java.util.function.Consumer<FailoverContext> elected) {
        List<CompletableFuture<Map.Entry<Survivor, Boolean>>> drains = frozen.stream()
                .map(s -> CompletableFuture.supplyAsync(() -> drain(s), setup.pool())).toList();
        List<Map.Entry<Survivor, Boolean>> drained = drains.stream().map(CompletableFuture::join).toList();
        List<Survivor> survivors = drained.stream().map(Map.Entry::getKey).toList();
        Set<String> applied = drained.stream().filter(Map.Entry::getValue).map(e -> e.getKey().config().block())
                .collect(Collectors.toSet());

        Survivor latest = Candidates.latest(survivors);
        log.info("Latest replica: {} ({})", latest.name(), Candidates.executed(latest));
        Election election = setup.elector().elect(Candidates.of(survivors, latest, applied));
        if (election.winner().isEmpty()) {
            throw new NoPromotion("no server may become the new master: " + election.reason(), Optional.of(election),
                    null);
        }
        Survivor winner = survivors.stream().filter(s -> s.config().block().equals(election.winner().get().block()))
                .findFirst().orElseThrow();
        log.info("Selected {} as the new master: {}", winner.name(), election.reason());
        election.losers().forEach((block, why) -> log.info("  {} not selected: {}", block, why));
        FailoverContext ctx = context.withNewMaster(winner.config());
        elected.accept(ctx);
        try {
            catchUp(winner, latest, survivors);
            Compensation compensation = setup.compensator().compensate(new CompensationRequest(setup.config(),
                    context.deadMaster(), deadMasterShell, latest.state().replica()
                            .flatMap(ReplicaStatus::readSourcePosition), winner.connection(), setup.shells(),
                    setup.workdir()));
            Survivor ready = winner.reread();
            for (Survivor s : survivors) {
                if (!Candidates.executed(ready).contains(Candidates.executed(s))) {
                    throw new Mha4jException(ready.name() + " lacks " + Candidates.executed(s)
                            .subtract(Candidates.executed(ready)) + " that " + s.name() + " has: not promoting it");
                }
            }
            setup.hooks().activate(ctx);
            setup.rewirer().promote(ready.connection(), !ready.config().skipResetSlave());
            return new Promotion(ready.reread(), election, compensation, survivors);
        } catch (RuntimeException e) {
            throw new NoPromotion("recovering the new master " + winner.name() + " failed: " + e.getMessage(),
                    Optional.of(election), e);
        }
    }

    /** Waits until the replica applied everything it received; answers whether it did. */
    private Map.Entry<Survivor, Boolean> drain(Survivor s) {
        ReplicaStatus r = s.state().replica().orElseThrow();
        if (r.sqlDelaySeconds() > 0) {
            log.warn("{}: a delayed replica (SQL_Delay={} s): its relay log is not applied now", s.name(),
                    r.sqlDelaySeconds());
            return Map.entry(s, false);
        }
        AtomicReference<ServerState> last = new AtomicReference<>(s.state());
        try {
            boolean done = Await.until(s.name() + " to apply its relay log", setup.applyTimeout(), () -> {
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
                // A transaction cut off by the crash stays unapplied at the relay log's end; the
                // dead master's binary log, when readable, supplies it whole.
                boolean idle = rs.sqlThreadState().contains("has read all relay log")
                        && now.gtid().executed().equals(before.gtid().executed());
                return idle ? Optional.of(true) : Optional.empty();
            }, () -> String.valueOf(last.get().replica().map(ReplicaStatus::sqlThreadState).orElse("")));
            Survivor read = new Survivor(s.config(), s.connection(), last.get());
            log.info("{}: {}", s.name(), done ? "relay log applied, executed " + last.get().gtid().executed()
                    : "SQL thread stopped: " + last.get().replica().map(x -> x.lastSqlError().toString()).orElse(""));
            return Map.entry(read, done);
        } catch (Mha4jException e) {
            log.warn("{}: {}", s.name(), e.getMessage());
            return Map.entry(new Survivor(s.config(), s.connection(), last.get()), false);
        }
    }

    /** Brings the winner to the latest replica's transactions by replicating from it. */
    private void catchUp(Survivor winner, Survivor latest, List<Survivor> survivors) {
        GtidSet target = Candidates.executed(latest);
        if (Candidates.executed(winner).contains(target)) {
            return;
        }
        if (!latest.state().logBin() || !latest.state().logReplicaUpdates()) {
            throw new Mha4jException("cannot catch " + winner.name() + " up from the latest replica " + latest.name()
                    + ": it does not write replicated transactions to its binary log (log_bin/log_slave_updates)");
        }
        log.info("{}: catching up from the latest replica {} by GTID (lacks {})", winner.name(), latest.name(),
                target.subtract(Candidates.executed(winner)));
        setup.rewirer().follow(winner.connection(), setup.sourceOf(latest.config(), survivors), setup.applyTimeout());
        Await.until(winner.name() + " to reach " + target, setup.applyTimeout(),
                () -> Optional.of(winner.connection().readState()).filter(st -> st.gtid().executed().contains(target)),
                () -> "still lacks " + target.subtract(winner.connection().readState().gtid().executed()));
        winner.connection().execute(winner.connection().dialect().stopReplica());
        log.info("{}: caught up with {}", winner.name(), latest.name());
    }
}
