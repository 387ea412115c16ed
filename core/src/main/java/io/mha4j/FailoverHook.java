package io.mha4j;

import io.mha4j.failover.FailoverContext;
import io.mha4j.failover.FailoverPhase;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.FailoverVetoException;

/**
 * Takes part in a failover: fences the dead master, moves a virtual IP, tells a human. Made by the
 * {@link io.mha4j.spi.FailoverHookProvider}s the {@code failover_hooks} parameter names, in order;
 * MHA's scripts ({@code master_ip_failover_script}, {@code shutdown_script},
 * {@code report_script}) run through the built-in hook {@code mha-scripts}.
 *
 * <p>Actors may stop a failover: {@link #beforePhase} by vetoing, {@link #isolate}, {@link #fence}
 * and {@link #activate} by failing. Observers ({@link #afterPhase}, {@link #report}) cannot: what
 * they throw is logged and ignored.
 */
public interface FailoverHook {

    /** How logs and reports name this hook (its provider's name, for a hook found by name). */
    String name();

    /**
     * Called before each phase begins.
     *
     * @throws FailoverVetoException to stop the failover; before {@link FailoverPhase#ISOLATE}
     *     nothing has been changed yet
     */
    default void beforePhase(FailoverPhase phase, FailoverContext context) {}

    /**
     * Fences the dead master (MHA's {@code --command=stop|stopssh}): takes its virtual IP away,
     * powers it off. {@code sshReachable} says whether its host answers over SSH.
     *
     * @throws RuntimeException when fencing failed: the failover stops, since the old master
     *     might still take writes
     */
    default void isolate(FailoverContext context, boolean sshReachable) {}

    /**
     * Fences the dead master for good (STONITH: power it off, kill its mysqld), after {@link
     * #isolate}; MHA's {@code shutdown_script}. Called in every failover; what it returns decides
     * one when the dead master may still be alive — its SQL does not answer, yet its host answers
     * SSH (a hung or frozen mysqld) or a replica still hears it: then the failover goes on only if
     * some hook returns true (or the dead master answered SQL and was made read-only), and
     * otherwise stops and undoes what phase 2 changed, since a master that resumes would take
     * writes beside the new one.
     *
     * @param sshReachable whether its host answers over SSH
     * @return true when this hook made sure the dead master's mysqld runs no more (powered off,
     *     killed); false when it did nothing (not configured for it)
     * @throws RuntimeException when fencing was tried and failed: the failover stops
     */
    default boolean fence(FailoverContext context, boolean sshReachable) {
        return false;
    }

    /**
     * Makes the new master reachable for applications (MHA's {@code --command=start}), after it
     * has every recovered transaction and before it is writable.
     *
     * @throws RuntimeException when that failed: the failover ends in error
     */
    default void activate(FailoverContext context) {}

    /**
     * Asked before {@code replica} is pointed at the new master (phase 4), once per replica: an actor
     * may veto it by throwing, and the replica is then left as it was, not recovered (named in the
     * report). The manager's coordination vetoes here once it no longer leads, so that a manager cut
     * off stops before its next change even in the middle of the phase.
     */
    default void beforeRewire(FailoverContext context, io.mha4j.config.ServerConfig replica) {}

    /**
     * check_repl's question, asked at start-up: is this hook ready to act for {@code master}
     * (e.g. the VIP is on its host)? MHA asks its scripts {@code --command=status}.
     *
     * @throws RuntimeException saying what is not ready: reported as a check error
     */
    default void status(FailoverContext context, io.mha4j.config.ServerConfig master) {}

    /** Called after each phase ended, successfully or not. An observer. */
    default void afterPhase(FailoverPhase phase, FailoverContext context) {}

    /**
     * Receives the final report, with the failover's context (its configuration; the new master
     * when one was elected). Called for every outcome, refusals included. An observer.
     */
    default void report(FailoverContext context, FailoverReport report) {}

    // ---- the guard of returning servers (io.mha4j.guard.OldMasterGuard) ----

    /**
     * Called when a guarded server (the old master after a failover or switch, a replica the
     * failover could not recover) answers SQL again and is not a read-only replica of the current
     * master, before mha4j fences it. A chain: the first hook that answers other than
     * {@link io.mha4j.guard.GuardAction#PROCEED} decides, and the hooks after it are not asked.
     * {@code context.deadMaster()} is the returning server, {@code context.newMaster()} the
     * current master.
     *
     * @return {@code PROCEED} to let mha4j fence it; {@code FENCED_BY_HOOK} when this hook fenced
     *     it itself (STONITH); {@code VETO} to leave it alone (logged as an error)
     * @throws RuntimeException taken as {@code PROCEED}: a failing hook never keeps a server writable
     */
    default io.mha4j.guard.GuardAction returned(FailoverContext context, io.mha4j.config.ServerConfig server) {
        return io.mha4j.guard.GuardAction.PROCEED;
    }

    /** What the guard did: fenced, rejoined, parked (with the details). An observer. */
    default void guarded(FailoverContext context, io.mha4j.guard.GuardEvent event) {}
}
