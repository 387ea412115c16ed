package io.mha4j.internal.failover;

import io.mha4j.Mha4jException;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverContext;
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
    private CompletableFuture<Void> lateReadOnly = CompletableFuture.completedFuture(null);

    public DeadMasterIsolation(FailoverSetup setup) {
        this.setup = setup;
    }

    /**
     * @return a shell on the dead master's host when it answers over SSH
     * @throws FailoverRefusal when the dead master may be alive and nothing fenced it (IO threads restarted)
     */
    public Optional<RemoteShell> run(FailoverContext context, List<Survivor> survivors) {
        ServerConfig dead = context.deadMaster();
        DeadMasterProbe.Result probe = new DeadMasterProbe(setup).run(dead, survivors);
        log.info("{}: {} — {}", dead.displayName(), probe.state(), probe.reason());
        boolean ssh = probe.shell().isPresent();
        List<Survivor> frozen = new ArrayList<>();
        try {
            CompletableFuture.allOf(survivors.stream()
                    .map(s -> CompletableFuture.runAsync(() -> {
                        if (freeze(s, Survivor.readTimeout(setup.config()))) {
                            synchronized (frozen) {
                                frozen.add(s);
                            }
                        }
                    }, setup.pool()))
                    .toArray(CompletableFuture[]::new)).join();
            if (probe.state() == DeadMasterProbe.State.MAY_BE_ALIVE) {
                // Fence first: should nothing fence it, the failover stops with the VIP still on a master
                // that may resume, rather than leaving the application with no master at all.
                if (!setup.hooks().fence(context, ssh)) {
                    throw new FailoverRefusal(dead.displayName() + " may still be alive: " + probe.reason() + ". Not"
                            + " failing over a master that is not fenced: configure shutdown_script (see"
                            + " samples/scripts/shutdown_mysqld) or a FailoverHook that fences it (STONITH), or make"
                            + " sure it is down and run master_switch --master_state=dead." + undo(frozen));
                }
                setup.hooks().isolate(context, ssh);
            } else {
                setup.hooks().isolate(context, ssh);
                setup.hooks().fence(context, ssh);
            }
        } catch (FailoverRefusal e) {
            throw e;
        } catch (RuntimeException e) {
            // A hook (or a freeze) failed: the master is not known to be fenced either.
            log.error("{}: isolation failed: {}", dead.displayName(), e.getMessage());
            throw new Mha4jException(e.getMessage() + undo(frozen), e);
        }
        if (probe.state() == DeadMasterProbe.State.UNREACHABLE) {
            // A powered-off host may come back during the recovery: try once more before the failover ends.
            lateReadOnly = CompletableFuture.runAsync(() -> new DeadMasterProbe(setup).readOnlyIfAnswering(dead),
                    setup.pool());
        }
        return probe.shell();
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
                st.replica().filter(r -> !r.sqlThreadRunning() && !r.lastSqlError().isPresent()).ifPresent(r -> {
                    c.execute(c.dialect().startReplicaSqlThread());
                    log.info("{}: SQL thread was stopped; started it so that it applies its relay log", s.name());
                });
                log.info("{}: IO thread stopped", s.name());
                return true;
            });
        } catch (SqlFailure e) {
            log.warn("{}: did not answer within {} ms when its IO thread was to be stopped ({}); phase 3 leaves it out"
                    + " if it still does not", s.name(), bound.toMillis(), e.getMessage());
            return false;
        }
    }

    /** Restarts the IO threads this phase stopped; says what it did, for the failover's error. */
    private static String undo(List<Survivor> frozen) {
        List<String> restarted = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Survivor s : frozen) {
            try {
                s.connection().execute(s.connection().dialect().startReplicaIoThread());
                restarted.add(s.name());
            } catch (RuntimeException e) {
                failed.add(s.name() + " (" + e.getMessage() + ")");
            }
        }
        log.warn("Phase 2 undone: IO threads restarted on {}{}", restarted, failed.isEmpty() ? ""
                : "; could NOT restart them on " + failed);
        return " IO threads restarted on " + (restarted.isEmpty() ? "no replica" : String.join(", ", restarted))
                + (failed.isEmpty() ? "" : "; restart them by hand on " + String.join(", ", failed));
    }
}
