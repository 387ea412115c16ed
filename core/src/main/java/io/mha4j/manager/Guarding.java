package io.mha4j.manager;

import io.mha4j.check.Finding;
import io.mha4j.check.FindingKind;
import io.mha4j.check.ReplicationHealth;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.coordination.FailoverRecord;
import io.mha4j.failover.FailoverReport;
import io.mha4j.guard.GuardEvent;
import io.mha4j.guard.GuardedRole;
import io.mha4j.guard.OldMasterGuard;
import io.mha4j.remote.RemoteShells;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a manager that stays up after a failover keeps: the guard of the servers the failover
 * left behind (left out of the monitored topology until they replicate from the master again),
 * and what the anti-flap rule needs to tell a second, different failure from the same one twice.
 */
final class Guarding implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Guarding.class);

    private final ApplicationConfig full;
    private final RemoteShells shells;
    private final Path workdir;
    private final List<Consumer<GuardEvent>> listeners;
    private final Set<String> excluded = new LinkedHashSet<>();
    /**
     * The servers this manager must guard, by block, with their role: what its failovers left behind,
     * and (managers of several) the dead master of another's failover once this one leads. Kept while
     * the guard pauses, so that it resumes with them.
     */
    private final Map<String, GuardedRole> guardable = new LinkedHashMap<>();

    private final Queue<ServerConfig> rejoined = new ConcurrentLinkedQueue<>();
    private volatile CompletableFuture<Void> rejoinSignal = new CompletableFuture<>();
    private OldMasterGuard guard;
    private String promoted;
    private Instant promotedAt;
    private boolean promotionSucceeded;
    private final AtomicInteger promotedPings = new AtomicInteger();
    private boolean passedOnce;

    Guarding(ApplicationConfig full, RemoteShells shells, Path workdir, List<Consumer<GuardEvent>> listeners) {
        this.full = full;
        this.shells = shells;
        this.workdir = workdir;
        this.listeners = List.copyOf(listeners);
    }

    /** The configuration less the servers guarded now: what the manager checks and monitors. */
    synchronized ApplicationConfig monitored() {
        ApplicationConfig.Builder b = full.toBuilder();
        excluded.forEach(b::removeServer);
        return b.build();
    }

    /** After a failover that promoted a master: guard what it left behind, remember the promotion. */
    synchronized List<ServerConfig> after(FailoverReport report, Instant now) {
        startGuard();
        List<ServerConfig> guarded = guard.after(report);
        for (int i = 0; i < guarded.size(); i++) {
            // the report's dead master first, then the replicas it did not recover
            guardable.put(guarded.get(i).block(), i == 0 ? GuardedRole.OLD_MASTER : GuardedRole.REPLICA);
        }
        guarded.forEach(s -> excluded.add(s.block()));
        promoted = guard.master().block();
        promotedAt = now;
        promotionSucceeded = report.outcome() == FailoverReport.Outcome.SUCCEEDED;
        promotedPings.set(0);
        return guarded;
    }

    /**
     * After a failover, a check that fails only on replicas (errant transactions, a broken
     * replication thread, lag) must not end the manager, which would leave the new master
     * unmonitored: those replicas are left out, named, and the check runs again without them.
     * The same for a leader that passed a check once (a manager of several that comes to lead checks
     * again: a replica down then must not end it, nor each manager in turn); a standby only checks
     * again. False when nothing can be left out: at start (MHA's start-up rule), when an error
     * concerns the master (the check's, or the one this manager promoted), the master's death, or the
     * whole application, or when nothing would be left.
     */
    synchronized boolean leaveOutFailingReplicas(ReplicationHealth health, boolean leading) {
        if (health == null || (guard == null && !(passedOnce && leading))) {
            return false;
        }
        List<Finding> errors = health.errors();
        Optional<String> master = health.topology().map(t -> t.master().block());
        if (errors.isEmpty()
                || errors.stream()
                        .anyMatch(f -> f.server().isEmpty()
                                || f.kind() == FindingKind.MASTER_UNREACHABLE
                                || f.server().equals(master)
                                || f.server().equals(Optional.ofNullable(promoted)))) {
            return false;
        }
        long left = full.servers().stream()
                .filter(s -> !excluded.contains(s.block()))
                .filter(s -> errors.stream().noneMatch(f -> f.server().equals(Optional.of(s.block()))))
                .count();
        if (left == 0) {
            return false;
        }
        Set<String> blocks = new LinkedHashSet<>();
        errors.forEach(f -> blocks.add(f.server().get()));
        for (String block : blocks) {
            log.error(
                    "[{}] failed the check after the failover and is left out of monitoring until the manager"
                            + " restarts or fails over again: {}",
                    block,
                    errors.stream()
                            .filter(f -> f.server().get().equals(block))
                            .map(Finding::message)
                            .toList());
            excluded.add(block);
        }
        return true;
    }

    /** A start-up check passed: from now on, a check failing only on replicas leaves them out. */
    synchronized void passed() {
        passedOnce = true;
    }

    private void startGuard() {
        if (guard == null) {
            OldMasterGuard.Builder b = OldMasterGuard.builder(full)
                    .remoteShells(shells)
                    .workdir(workdir)
                    .listener(this::onEvent);
            listeners.forEach(b::listener);
            guard = b.start();
        }
    }

    /**
     * Stops guarding while this manager does not lead (managers of several): another manager leads
     * and may fail over again, and a guard that rejoined an old master to the master it knew would
     * act beside it. What it guarded stays left out of monitoring; {@link #resume} guards it again.
     */
    synchronized void pause(String why) {
        if (guard != null) {
            log.warn("The guard of {} pauses: {}", guardable.keySet(), why);
            guard.close();
            guard = null;
        }
    }

    /**
     * Guards, against {@code master}, what this manager must guard and does not (after a pause, or a
     * dead master of another's failover adopted when this one came to lead). Nothing when there is
     * nothing to guard.
     */
    synchronized void resume(ServerConfig master) {
        List<String> toGuard = guardable.keySet().stream()
                .filter(excluded::contains)
                .filter(block -> guard == null
                        || !guard.guarded().stream().anyMatch(g -> g.block().equals(block)))
                .toList();
        if (toGuard.isEmpty()) {
            return;
        }
        startGuard();
        guard.master(master);
        for (String block : toGuard) {
            full.server(block).ifPresent(s -> guard.watch(s, guardable.get(block)));
        }
        log.info("Guarding {} against the master {}", toGuard, master.displayName());
    }

    /**
     * Leaves out the dead master of the last failover ({@code last}) when the check fails on it
     * alone and this manager does not guard it: another manager ran that failover and guards it
     * (managers of several, {@code coordination}). False when that does not apply.
     */
    synchronized boolean leaveOutDeadMasterOf(Optional<FailoverRecord> last, ReplicationHealth health) {
        // a failover that promoted a master, or one left unfinished with its new master elected (the check
        // without its dead master tells whether the rest was done)
        if (last.isEmpty()
                || !(last.get().state().promoted()
                        || (last.get().unfinished() && last.get().newMaster().isPresent()))
                || health == null) {
            return false;
        }
        String block = last.get().deadMaster();
        List<Finding> errors = health.errors();
        if (excluded.contains(block)
                || errors.isEmpty()
                || !errors.stream().allMatch(f -> f.server().equals(Optional.of(block)))) {
            return false;
        }
        log.warn(
                "[{}] failed the check ({}); it is the dead master of {}: left out of monitoring, the manager that"
                        + " failed it over guards it",
                block,
                errors.get(0).message(),
                last.get().describe());
        excluded.add(block);
        // guarded once this manager leads (resume): its old master must never come back writable
        guardable.putIfAbsent(block, GuardedRole.OLD_MASTER);
        return true;
    }

    private void onEvent(GuardEvent e) {
        if (e.kind() == GuardEvent.Kind.REJOINED) {
            synchronized (this) {
                excluded.remove(e.server().block());
                guardable.remove(e.server().block());
            }
            rejoined.add(e.server());
            rejoinSignal.complete(null);
        }
    }

    /** Completes when a guarded server rejoined since the last {@link #takeRejoined()}. */
    CompletableFuture<Void> rejoinSignal() {
        return rejoinSignal;
    }

    /** The servers that rejoined since the last call; they are part of {@link #monitored()} again. */
    List<ServerConfig> takeRejoined() {
        rejoinSignal = new CompletableFuture<>();
        List<ServerConfig> out = new java.util.ArrayList<>();
        for (ServerConfig s; (s = rejoined.poll()) != null; ) {
            out.add(s);
        }
        if (!rejoined.isEmpty()) {
            rejoinSignal.complete(null);
        }
        return out;
    }

    /** A successful ping of {@code master}: evidence that the master this manager promoted worked. */
    void pinged(String masterBlock) {
        if (masterBlock.equals(promoted)) {
            promotedPings.incrementAndGet();
        }
    }

    /**
     * Why the anti-flap rule does not apply to the failover of {@code dead}, or empty when it does:
     * this manager promoted {@code dead} itself in a failover that succeeded and saw it alive
     * since, so this is a different failure, not the same one twice.
     */
    synchronized Optional<String> waiverFor(ServerConfig dead) {
        if (!dead.block().equals(promoted) || !promotionSucceeded || promotedPings.get() == 0) {
            return Optional.empty();
        }
        return Optional.of("this manager promoted " + dead.displayName() + " itself at " + promotedAt + " in a"
                + " failover that succeeded, and saw it alive since (" + promotedPings.get() + " successful ping(s)):"
                + " a second, different failure, not the same one twice");
    }

    synchronized List<ServerConfig> guarded() {
        return guard == null ? List.of() : guard.guarded();
    }

    @Override
    public synchronized void close() {
        if (guard != null) {
            guard.close();
            guard = null;
            log.debug("guard closed");
        }
    }
}
