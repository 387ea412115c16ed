package io.mha4j.internal.failover;

import io.mha4j.Mha4jException;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.Compensation;
import io.mha4j.failover.CompensationRequest;
import io.mha4j.failover.Election;
import io.mha4j.failover.ElectionContext;
import io.mha4j.failover.ExecutedUpTo;
import io.mha4j.failover.FailoverContext;
import io.mha4j.failover.PossibleLoss;
import io.mha4j.gtid.GtidSet;
import io.mha4j.remote.RemoteShell;
import io.mha4j.server.BinlogPosition;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.ServerState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase 3: every replica applies what it received (one that stops answering is left out, within
 * {@code replica_read_timeout}); errant transactions are looked for again; the latest is found,
 * errant transactions aside; the elector chooses; the new master catches up from a replica
 * without errant transactions if it is not the latest itself, then gets what only the dead
 * master had; the hooks activate it (VIP) and it becomes writable.
 */
public final class NewMasterRecovery {
    private static final Logger log = LoggerFactory.getLogger(NewMasterRecovery.class);
    private final FailoverSetup setup;

    /**
     * @param newMaster the promoted server, read after promotion
     * @param election the elector's answer
     * @param compensation what was recovered from the dead master
     * @param survivors every survivor that still answers, read after its relay log was applied
     * @param leftOut replicas that stopped answering during this phase, each with why and what it
     *     was last seen holding that the new master lacks, if anything
     * @param errant the errant transactions found at the check and after the relay logs were applied
     * @param possibleLoss present when the compensation could not read the dead master's binary logs
     */
    public record Promotion(
            Survivor newMaster,
            Election election,
            Compensation compensation,
            List<Survivor> survivors,
            Map<ServerConfig, String> leftOut,
            ErrantTransactions errant,
            Optional<PossibleLoss> possibleLoss) {}

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

    /**
     * @param frozen the survivors, their IO threads stopped
     * @param errantAtCheck the errant transactions the check found, and who the dead master was
     */
    public Promotion run(
            FailoverContext context,
            List<Survivor> frozen,
            ErrantTransactions errantAtCheck,
            Optional<Election> atCheck,
            Optional<RemoteShell> deadMasterShell,
            Consumer<FailoverContext> elected) {
        List<RelayLogDrain.Drained> drained = RelayLogDrain.all(frozen, setup);
        List<Survivor> survivors = drained.stream()
                .filter(d -> d.gone().isEmpty())
                .map(RelayLogDrain.Drained::survivor)
                .toList();
        Set<String> applied = drained.stream()
                .filter(RelayLogDrain.Drained::applied)
                .map(d -> d.survivor().config().block())
                .collect(Collectors.toSet());
        List<RelayLogDrain.Drained> gone =
                drained.stream().filter(d -> d.gone().isPresent()).toList();
        if (survivors.isEmpty()) {
            throw new NoPromotion("no replica answered while applying its relay log", Optional.empty(), null);
        }
        ErrantTransactions errant =
                errantAtCheck.and(ErrantTransactions.find(states(survivors), errantAtCheck.deadMaster()));
        errant.byServer()
                .forEach((block, gtids) -> log.warn(
                        "[{}]: errant transactions {}: the dead master never"
                                + " wrote them and no other replica holds them",
                        block,
                        gtids));

        Survivor latest = Candidates.latest(survivors, errant);
        log.info("Latest replica: {} ({})", latest.name(), Candidates.clean(latest, errant));
        Election election = setup.elect(
                context.deadMaster(),
                ElectionContext.Purpose.FAILOVER,
                Candidates.of(survivors, latest, applied, errant),
                atCheck);
        if (election.winner().isEmpty()) {
            throw new NoPromotion(
                    "no server may become the new master: " + election.reason(), Optional.of(election), null);
        }
        Survivor winner = survivors.stream()
                .filter(s -> s.config().block().equals(election.winner().get().block()))
                .findFirst()
                .orElseThrow();
        log.info("Selected {} as the new master: {}", winner.name(), election.reason());
        election.losers().forEach((block, why) -> log.info("  {} not selected: {}", block, why));
        FailoverContext ctx = context.withNewMaster(winner.config());
        elected.accept(ctx);
        try {
            Survivor reached = new CatchUp(setup, errant).run(winner, latest, survivors);
            stopApplying(winner);
            Compensation compensation = setup.compensator()
                    .compensate(new CompensationRequest(
                            setup.config(),
                            context.deadMaster(),
                            deadMasterShell,
                            reached.state().replica().flatMap(ReplicaStatus::readSourcePosition),
                            executedUpTo(context.deadMaster(), reached, winner, applied),
                            winner.connection(),
                            setup.shells(),
                            setup.workdir()));
            // What the new master caught up to, read before any write: the latest replica's received position.
            Optional<PossibleLoss> loss = PossibleLoss.of(compensation, Candidates.clean(reached, errant));
            loss.ifPresent(l -> log.error("{}: {}", context.deadMaster().displayName(), l.describe()));
            Survivor ready = winner.reread();
            for (Survivor s : survivors) {
                GtidSet has = Candidates.clean(s, errant);
                if (!Candidates.executed(ready).contains(has)) {
                    throw new Mha4jException(ready.name() + " lacks " + has.subtract(Candidates.executed(ready))
                            + " that " + s.name() + " has: not promoting it"
                            + (errant.of(s.config().block(), has).isEmpty()
                                    ? ""
                                    : " (" + s.name() + " holds errant transactions, so it is no"
                                            + " source to copy from; errant_transactions=allow would copy them)"));
                }
            }
            setup.hooks().activate(ctx);
            setup.rewirer().promote(ready.connection(), !ready.config().skipResetSlave());
            Survivor promoted = ready.reread();
            return new Promotion(
                    promoted, election, compensation, survivors, leftOut(gone, promoted, errant), errant, loss);
        } catch (RuntimeException e) {
            throw new NoPromotion(
                    "recovering the new master " + winner.name() + " failed: " + e.getMessage(),
                    Optional.of(election),
                    e);
        }
    }

    /**
     * The new master applies nothing of its own from now on. A relay log that ends inside a
     * transaction (the dead master died, or its IO thread was stopped, while sending one) leaves the
     * SQL thread waiting in that transaction, holding its row locks: the compensation replays the
     * same transaction whole from the dead master's binary log and would wait for those locks
     * until {@code innodb_lock_wait_timeout} failed it (a bench trial met exactly that: 50 s, then
     * FAILED). Stopping the SQL thread rolls the unfinished transaction back — as long as it took to
     * apply (100,000 rows: 0.5 s), so bounded by {@link Survivor#stopReplicationBound}, not by
     * {@code replica_read_timeout} alone; a stopped one is left as it is.
     */
    private void stopApplying(Survivor winner) {
        winner.bounded(winner.stopReplicationBound(Survivor.readTimeout(setup.config())), () -> {
            winner.connection().execute(winner.connection().dialect().stopReplica());
            return null;
        });
        log.info("{}: replication stopped before recovering the dead master's transactions", winner.name());
    }

    /**
     * How far {@code reached} executed the dead master's binary log, when it applied everything
     * it received (a delayed replica's position still moves), with GTIDs read after that
     * position: one read of a server's state takes its GTIDs before its replica status, so a
     * transaction committed between the two is behind the position and not among the GTIDs. The
     * winner's are the compensation's own later read of the new master; another replica's are read
     * again now (nothing moves there any more). Empty when that replica no longer answers, or did
     * not replicate from the dead master itself.
     */
    private Optional<ExecutedUpTo> executedUpTo(
            ServerConfig dead, Survivor reached, Survivor winner, Set<String> applied) {
        Optional<BinlogPosition> position = reached.state().replica().flatMap(ReplicaStatus::executedSourcePosition);
        // A replica of another replica (multi_tier_slave) has positions in that replica's binary log.
        if (!applied.contains(reached.config().block()) || position.isEmpty() || !Candidates.sourceIs(reached, dead)) {
            return Optional.empty();
        }
        if (reached.config().block().equals(winner.config().block())) {
            return Optional.of(new ExecutedUpTo(position.get(), Candidates.executed(reached)));
        }
        try {
            Survivor later = reached.bounded(Survivor.readTimeout(setup.config()), reached::reread);
            return Optional.of(new ExecutedUpTo(position.get(), Candidates.executed(later)));
        } catch (RuntimeException e) {
            log.warn(
                    "{}: cannot read it again ({}): the dead master's binary log is read from its start",
                    reached.name(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    private static Map<String, ServerState> states(List<Survivor> survivors) {
        Map<String, ServerState> states = new LinkedHashMap<>();
        survivors.forEach(s -> states.put(s.config().block(), s.state()));
        return states;
    }

    /**
     * Replicas that stopped answering, each with why and — said loudly — what it was last seen
     * holding that the new master lacks: the replica has it, nobody else.
     */
    private static Map<ServerConfig, String> leftOut(
            List<RelayLogDrain.Drained> gone, Survivor master, ErrantTransactions errant) {
        Map<ServerConfig, String> result = new LinkedHashMap<>();
        for (RelayLogDrain.Drained d : gone) {
            GtidSet lacks = Candidates.clean(d.survivor(), errant).subtract(Candidates.executed(master));
            if (!lacks.isEmpty()) {
                log.error(
                        "{}: stopped answering; it was last seen holding {} that the new master {} lacks: only it"
                                + " has them",
                        d.survivor().name(),
                        lacks,
                        master.name());
            }
            result.put(
                    d.survivor().config(),
                    d.gone().orElseThrow()
                            + (lacks.isEmpty()
                                    ? ""
                                    : "; it was last seen holding " + lacks + " that the new master lacks"));
        }
        return result;
    }
}
