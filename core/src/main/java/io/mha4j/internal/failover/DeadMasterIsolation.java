package io.mha4j.internal.failover;

import io.mha4j.Mha4jException;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverContext;
import io.mha4j.failover.TimedStep;
import io.mha4j.remote.RemoteShell;
import io.mha4j.server.ServerConnection;
import io.mha4j.server.ServerState;
import io.mha4j.server.SqlFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase 2: learn whether the dead master may still be alive ({@link DeadMasterProbe}: SQL — which
 * makes it read-only should it answer —, SSH, the replicas' view), freeze what the replicas
 * received (IO threads stopped, so "latest" cannot move), then the hooks: {@code isolate} (VIP
 * away) and {@code fence} ({@code shutdown_script}, STONITH), in MHA's order — except for a master
 * that may still be alive, which is fenced first, so that a failover refused for want of a fence
 * leaves the VIP where the application finds it.
 *
 * <p>A master that may still be alive — SQL does not answer, yet its host answers SSH or a
 * replica still hears it — is failed over only once fenced: it answered SQL and was made
 * read-only, or a hook's {@code fence} succeeded. Otherwise the failover stops here and restarts
 * the replicas' IO threads, so that replication resumes by itself if the master does.
 */
public final class DeadMasterIsolation {
    private static final Logger log = LoggerFactory.getLogger(DeadMasterIsolation.class);
    private final FailoverSetup setup;
    private final boolean confirmedDown;
    private CompletableFuture<Void> lateReadOnly = CompletableFuture.completedFuture(null);
    private StepTimer steps = new StepTimer("phase 2");

    /**
     * @param confirmedDown an operator confirmed the dead master is down ({@code master_switch
     *     --master_state=dead}): no fence is required
     */
    public DeadMasterIsolation(FailoverSetup setup, boolean confirmedDown) {
        this.setup = setup;
        this.confirmedDown = confirmedDown;
    }

    /**
     * @return a shell on the dead master's host when it answers over SSH
     * @throws FailoverRefusal when the dead master may be alive and nothing fenced it (IO threads restarted)
     */
    public Optional<RemoteShell> run(FailoverContext context, List<Survivor> survivors) {
        ServerConfig dead = context.deadMaster();
        steps = new StepTimer(dead.displayName() + ": phase 2", setup.time()::nanoTime);
        DeadMasterProbe.Result probe = new DeadMasterProbe(setup).run(dead, survivors, steps);
        log.info("{}: {} — {}", dead.displayName(), probe.state(), probe.reason());
        boolean ssh = probe.shell().isPresent();
        List<Survivor> frozen = new ArrayList<>();
        try {
            steps.time(
                    "freeze",
                    () -> CompletableFuture.allOf(survivors.stream()
                                    .map(s -> CompletableFuture.runAsync(
                                            () -> {
                                                if (freeze(s, Survivor.readTimeout(setup.config()))) {
                                                    synchronized (frozen) {
                                                        frozen.add(s);
                                                    }
                                                }
                                            },
                                            setup.pool()))
                                    .toArray(CompletableFuture[]::new))
                            .join(),
                    done -> "IO threads stopped on " + frozen.size() + " of " + survivors.size() + " replica(s)");
            Optional<String> unfenced = fenceRequired(probe, dead.displayName());
            steps.time(
                    "hooks",
                    () -> {
                        if (unfenced.isPresent()) {
                            // Fence first: should nothing fence it, the failover stops with the VIP still on a master
                            // that may resume, rather than leaving the application with no master at all.
                            if (!setup.hooks().fence(context, ssh)) {
                                throw refusal(unfenced.get(), frozen);
                            }
                            setup.hooks().isolate(context, ssh);
                            return "fence, then isolate";
                        }
                        setup.hooks().isolate(context, ssh);
                        setup.hooks().fence(context, ssh);
                        return "isolate, then fence";
                    },
                    how -> how);
        } catch (FailoverRefusal e) {
            throw e;
        } catch (RuntimeException e) {
            // A hook (or a freeze) failed: the master is not known to be fenced either.
            log.error("{}: isolation failed: {}", dead.displayName(), e.getMessage());
            throw new Mha4jException(e.getMessage() + undo(frozen), e);
        }
        if (probe.state() == DeadMasterProbe.State.UNREACHABLE) {
            // A powered-off host may come back during the recovery: try once more before the failover ends.
            lateReadOnly = CompletableFuture.runAsync(
                    () -> new DeadMasterProbe(setup).readOnlyIfAnswering(dead), setup.pool());
        }
        return probe.shell();
    }

    /** Where phase 2's time went: the probes, freezing the replicas, the hooks (so far, if it stopped). */
    public List<TimedStep> steps() {
        return steps.list();
    }

    /**
     * Why the dead master must be fenced before it is failed over, if it must: its host answers SSH
     * or a replica hears it (it may be alive), or no vantage point reaches it — a powered-off host
     * and one alive behind a partition look alike — unless {@code failover_without_fence=1}. An
     * operator's confirmation that it is down lifts both.
     */
    private Optional<String> fenceRequired(DeadMasterProbe.Result probe, String dead) {
        if (confirmedDown) {
            if (probe.state() == DeadMasterProbe.State.MAY_BE_ALIVE
                    || probe.state() == DeadMasterProbe.State.UNREACHABLE) {
                log.warn(
                        "{}: {}; an operator confirmed it is down (master_switch --master_state=dead): not"
                                + " requiring a fence",
                        dead,
                        probe.reason());
            }
            return Optional.empty();
        }
        return switch (probe.state()) {
            case MAY_BE_ALIVE ->
                Optional.of(dead + " may still be alive: " + probe.reason() + ". Not failing over a"
                        + " master that is not fenced: configure shutdown_script (samples/scripts/shutdown_mysqld kills it"
                        + " over SSH) or a FailoverHook that fences it (STONITH), or make sure it is down and run"
                        + " master_switch --master_state=dead.");
            case UNREACHABLE ->
                setup.config().value(Parameter.FAILOVER_WITHOUT_FENCE)
                        ? Optional.empty()
                        : Optional.of(
                                dead + " is unreachable from every vantage point: " + probe.reason() + ". A powered-off"
                                        + " host and one alive behind a partition look alike, and the second would keep taking"
                                        + " writes beside the new master. Not failing over a master that is not fenced: configure a"
                                        + " shutdown_script that powers it off out of band (IPMI, the cloud's API) or a STONITH"
                                        + " FailoverHook; or set failover_without_fence=1 (MHA's way, at that risk); or make sure it"
                                        + " is down and run master_switch --master_state=dead.");
            default -> Optional.empty();
        };
    }

    /**
     * The failover stops: REFUSED when every IO thread stopped here was restarted (nothing changed
     * in the end), an error when some could not be.
     */
    private static RuntimeException refusal(String why, List<Survivor> frozen) {
        List<String> failed = restart(frozen);
        return failed.isEmpty()
                ? new FailoverRefusal(why + undone(frozen, failed))
                : new Mha4jException(why + undone(frozen, failed));
    }

    /** Waits for the last attempt to make an unreachable dead master read-only, should it answer. */
    public void finish() {
        lateReadOnly.join();
    }

    /**
     * Stops the receiver; starts an applier that was stopped without error, as MHA does. A replica
     * that does not answer within {@code bound} (frozen since the check) is left to phase 3, which
     * leaves it out of the election, rather than holding the failover.
     *
     * @return whether its IO thread was stopped
     */
    private static boolean freeze(Survivor s, Duration bound) {
        try {
            return s.bounded(bound, () -> {
                ServerConnection c = s.connection();
                c.execute(c.dialect().stopReplicaIoThread());
                ServerState st = c.readState();
                st.replica()
                        .filter(r -> !r.sqlThreadRunning() && !r.lastSqlError().isPresent())
                        .ifPresent(r -> {
                            c.execute(c.dialect().startReplicaSqlThread());
                            log.info(
                                    "{}: SQL thread was stopped; started it so that it applies its relay log",
                                    s.name());
                        });
                log.info("{}: IO thread stopped", s.name());
                return true;
            });
        } catch (SqlFailure e) {
            log.warn(
                    "{}: did not answer within {} ms when its IO thread was to be stopped ({}); phase 3 leaves it out"
                            + " if it still does not",
                    s.name(),
                    bound.toMillis(),
                    e.getMessage());
            return false;
        }
    }

    /** Restarts the IO threads this phase stopped; says what it did, for the failover's error. */
    private static String undo(List<Survivor> frozen) {
        return undone(frozen, restart(frozen));
    }

    /** Restarts the IO threads this phase stopped; answers the replicas where that failed, with why. */
    private static List<String> restart(List<Survivor> frozen) {
        List<String> failed = new ArrayList<>();
        for (Survivor s : frozen) {
            try {
                s.connection().execute(s.connection().dialect().startReplicaIoThread());
            } catch (RuntimeException e) {
                failed.add(s.name() + " (" + e.getMessage() + ")");
            }
        }
        log.warn(
                "Phase 2 undone: IO threads restarted on {} of {} replica(s){}",
                frozen.size() - failed.size(),
                frozen.size(),
                failed.isEmpty() ? "" : "; could NOT restart them on " + failed);
        return failed;
    }

    private static String undone(List<Survivor> frozen, List<String> failed) {
        List<String> restarted = frozen.stream()
                .map(Survivor::name)
                .filter(n -> failed.stream().noneMatch(f -> f.startsWith(n + " ")))
                .toList();
        return " IO threads restarted on " + (restarted.isEmpty() ? "no replica" : String.join(", ", restarted))
                + (failed.isEmpty() ? "" : "; restart them by hand on " + String.join(", ", failed));
    }
}
