package io.mha4j.internal.failover;

import io.mha4j.config.ServerConfig;
import io.mha4j.failover.Election;
import io.mha4j.failover.ElectionContext;
import io.mha4j.server.ServerConnection;
import io.mha4j.server.ServerState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase 1: read every server once, each within {@code replica_read_timeout} (a replica that does
 * not answer in time is left out, named with the reason); find errant transactions; refuse —
 * changing nothing — when the master answers, when another server is writable, or when no server
 * may become master (every candidate holding errant transactions among the reasons).
 */
public final class FailoverCheck {
    private static final Logger log = LoggerFactory.getLogger(FailoverCheck.class);
    private final FailoverSetup setup;
    private final Map<String, String> unresponsive;
    private ErrantTransactions errant = ErrantTransactions.NONE;
    private Optional<Election> election = Optional.empty();

    public FailoverCheck(FailoverSetup setup) {
        this(setup, Map.of());
    }

    /**
     * @param unresponsive servers (by block) that did not answer the monitor within
     *     {@code replica_read_timeout} just before the failover, and why: left out at once rather
     *     than waited for a second time; rewired when they answer again
     */
    public FailoverCheck(FailoverSetup setup, Map<String, String> unresponsive) {
        this.setup = setup;
        this.unresponsive = Map.copyOf(unresponsive);
    }

    /** @throws FailoverRefusal naming the reason; connections opened so far are closed */
    public ClusterRead run(ServerConfig deadMaster) {
        // A powered-off master costs a connect timeout: confirm it while the others are read.
        CompletableFuture<Void> dead = CompletableFuture.runAsync(() -> confirmDead(deadMaster), setup.pool());
        List<ServerConfig> others = setup.config().servers().stream()
                .filter(s -> !s.block().equals(deadMaster.block()))
                .toList();
        Map<ServerConfig, String> leftOut = new LinkedHashMap<>();
        List<ServerConfig> toRead = new ArrayList<>();
        for (ServerConfig s : others) {
            String why = unresponsive.get(s.block());
            if (why == null) {
                toRead.add(s);
            } else {
                leftOut.put(s, "did not answer the monitor just before the failover (" + why + ")");
            }
        }
        ClusterRead read = ClusterRead.of(
                        toRead, setup.connector(), setup.pool(), Optional.of(Survivor.readTimeout(setup.config())))
                .withUnreachable(leftOut);
        try {
            try {
                dead.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            read.unreachable()
                    .forEach((s, why) -> log.warn(
                            "{}: cannot be read, left out of the election; it will be"
                                    + " rewired when it answers again: {}",
                            s.displayName(),
                            why));
            if (read.survivors().isEmpty()) {
                throw new FailoverRefusal(
                        "no server other than the dead master " + deadMaster.displayName() + " could be read");
            }
            for (Survivor s : read.survivors()) {
                ServerState st = s.state();
                if (st.isWritable()) {
                    throw new FailoverRefusal(s.name() + " is writable (read_only=0) while " + deadMaster.displayName()
                            + " is the master: failing over could leave two writable masters. Set read_only=1 on it"
                            + " or remove it from the configuration.");
                }
                if (st.replica().isEmpty()) {
                    throw new FailoverRefusal(s.name() + " does not replicate from anything: it is not part of"
                            + " this replication group as configured");
                }
            }
            errant = errant(read.survivors());
            Survivor latest = Candidates.latest(read.survivors(), errant);
            Election e = setup.elect(
                    deadMaster,
                    ElectionContext.Purpose.FAILOVER,
                    Candidates.of(read.survivors(), latest, applierRuns(read.survivors()), errant),
                    Optional.empty());
            election = Optional.of(e);
            if (e.winner().isEmpty()) {
                throw new FailoverRefusal("no server may become the new master: " + e.reason() + " ("
                        + e.losers().entrySet().stream()
                                .map(x -> x.getKey() + ": " + x.getValue())
                                .collect(Collectors.joining("; "))
                        + ")");
            }
            log.info(
                    "Check passed: {} is dead, {} replica(s) readable, {} could become master",
                    deadMaster.displayName(),
                    read.survivors().size(),
                    e.winner().get().displayName());
            return read.withErrant(errant);
        } catch (RuntimeException e) {
            read.survivors().forEach(s -> s.connection().close());
            throw e;
        }
    }

    /** The check's election: whether someone could win and why the others could not; empty before it elected. */
    public Optional<Election> election() {
        return election;
    }

    /** The errant transactions found, also when the check refused; none before it read the replicas. */
    public ErrantTransactions errant() {
        return errant;
    }

    /** Errant transactions, found and named before anything is changed. */
    private static ErrantTransactions errant(List<Survivor> survivors) {
        Map<String, ServerState> states = new LinkedHashMap<>();
        survivors.forEach(s -> states.put(s.config().block(), s.state()));
        Optional<String> deadMaster = ErrantTransactions.deadMasterOf(states.values());
        ErrantTransactions found = ErrantTransactions.find(states, deadMaster);
        found.byServer()
                .forEach((block, gtids) -> log.warn(
                        "[{}]: errant transactions {}: the dead master ({}) never"
                                + " wrote them and no other replica holds them; it is never elected over a replica without them, nor"
                                + " copied from",
                        block,
                        gtids,
                        deadMaster.map(o -> "origin " + o).orElse("unknown to every replica")));
        return found;
    }

    /** Whose relay log can be applied: a replica whose SQL thread stopped on an error cannot, until a human looks. */
    private static Set<String> applierRuns(List<Survivor> survivors) {
        return survivors.stream()
                .filter(s -> s.state()
                        .replica()
                        .map(r -> r.sqlThreadRunning() || !r.lastSqlError().isPresent())
                        .orElse(false))
                .map(s -> s.config().block())
                .collect(Collectors.toSet());
    }

    private void confirmDead(ServerConfig master) {
        try (ServerConnection c = setup.connector().open(master, Optional.empty())) {
            throw new FailoverRefusal(master.displayName() + " answers SQL ("
                    + c.dialect().version() + "): it is alive, not failing over");
        } catch (FailoverRefusal e) {
            throw e;
        } catch (RuntimeException e) {
            log.info("{}: confirmed unreachable over SQL: {}", master.displayName(), e.getMessage());
        }
    }
}
