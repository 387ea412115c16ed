package io.mha4j.manager;

import io.mha4j.check.ReplicationHealth;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverGuard;
import io.mha4j.failover.FailoverPhase;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.SwitchoverReport;
import io.mha4j.guard.GuardEvent;
import io.mha4j.monitor.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link MhaManager} did, in the order it did it, for a {@link ManagerListener}. Servers are
 * the configuration's own {@link ServerConfig}s: compare them by {@link ServerConfig#block()}. Each
 * event is published after the fact it reports; {@link Stopped} is always the last one.
 *
 * <p>An online switch ({@link io.mha4j.failover.MasterSwitchover}, which the manager does not run)
 * tells its own listeners with the same types, so that one listener follows both: {@link
 * SwitchoverStarted}, then {@link MasterChanged} when a new master was promoted, then {@link
 * SwitchoverEnded}.
 */
public sealed interface ManagerEvent {

    /** When it happened, on the manager's clock. */
    Instant at();

    /** A start-up check of replication ran (at start, and again after each failover or rejoin). */
    record Checked(Instant at, ReplicationHealth health) implements ManagerEvent {
        @Override
        public String toString() {
            return "Checked " + (health.isOk() ? "ok" : health.errors().size() + " error(s)")
                    + health.topology()
                            .map(t -> ", master " + t.master().displayName())
                            .orElse("");
        }
    }

    /** Monitoring of {@code master} began; {@code guarded} are left out until they replicate from it again. */
    record MonitoringStarted(Instant at, ServerConfig master, List<ServerConfig> replicas, List<ServerConfig> guarded)
            implements ManagerEvent {
        public MonitoringStarted {
            replicas = List.copyOf(replicas);
            guarded = List.copyOf(guarded);
        }

        @Override
        public String toString() {
            return "MonitoringStarted master " + master.displayName() + ", replicas " + names(replicas)
                    + (guarded.isEmpty() ? "" : ", guarding " + names(guarded));
        }
    }

    /** The monitor's verdict on the master changed (its kind, reason or count of failed pings). */
    record VerdictChanged(Instant at, Verdict verdict) implements ManagerEvent {
        @Override
        public String toString() {
            return "VerdictChanged " + verdict;
        }
    }

    /**
     * The master was judged dead and the failover is about to begin: the anti-flap rule is asked
     * next ({@link FailoverBlocked} when it refuses), then the failover runs.
     */
    record FailoverStarted(Instant at, ServerConfig deadMaster, Verdict verdict) implements ManagerEvent {
        @Override
        public String toString() {
            return "FailoverStarted " + deadMaster.displayName() + ": " + verdict.reason();
        }
    }

    /**
     * The anti-flap rule refused the failover ({@code block} says which flag and why); nothing was
     * changed and the manager stops.
     */
    record FailoverBlocked(Instant at, ServerConfig deadMaster, FailoverGuard.Block block) implements ManagerEvent {
        /** The refusal in words. */
        public String reason() {
            return block.message();
        }

        @Override
        public String toString() {
            return "FailoverBlocked " + deadMaster.displayName() + ": " + reason();
        }
    }

    /**
     * The master was judged dead and this manager does not fail it over, for {@code reason} ({@code
     * why} in words): it stands by while another leads, it is cut off from the other managers (it
     * alerts and goes on monitoring), or the other managers do not agree that the master is down.
     * Nothing was changed.
     */
    record FailoverWithheld(Instant at, ServerConfig deadMaster, Reason reason, String why) implements ManagerEvent {
        /** Why, as a value a monitoring system can alert on. */
        public enum Reason {
            /** Another manager leads: it fails over. Routine. */
            STANDING_BY,
            /** This manager is cut off from the others: nobody may fail over now. Alert. */
            CUT_OFF,
            /** The other managers still reach the master. */
            DISAGREEMENT
        }

        @Override
        public String toString() {
            return "FailoverWithheld " + deadMaster.displayName() + " (" + reason + "): " + why;
        }
    }

    /** A phase of the failover began. */
    record PhaseStarted(Instant at, FailoverPhase phase) implements ManagerEvent {
        @Override
        public String toString() {
            return "PhaseStarted " + phase;
        }
    }

    /** A phase of the failover ended, successfully or not. */
    record PhaseEnded(Instant at, FailoverPhase phase, Duration took) implements ManagerEvent {
        @Override
        public String toString() {
            return "PhaseEnded " + phase + " in " + took.toMillis() + " ms";
        }
    }

    /**
     * {@code newMaster} is writable and holds every transaction that could be recovered: send writes
     * there. Published once per promotion, before the other replicas are rewired ({@link
     * FailoverEnded} or {@link SwitchoverEnded} says how that ended).
     */
    record MasterChanged(Instant at, ServerConfig oldMaster, ServerConfig newMaster) implements ManagerEvent {
        @Override
        public String toString() {
            return "MasterChanged " + oldMaster.displayName() + " -> " + newMaster.displayName();
        }
    }

    /**
     * The failover ended with a report, whatever its outcome; {@code report} says how, for humans
     * and machines. A failover that threw instead ends the manager: {@link Stopped} says why.
     */
    record FailoverEnded(Instant at, ServerConfig deadMaster, Optional<ServerConfig> newMaster, FailoverReport report)
            implements ManagerEvent {
        @Override
        public String toString() {
            return "FailoverEnded " + report.outcome() + " " + deadMaster.displayName()
                    + newMaster.map(m -> " -> " + m.displayName()).orElse("");
        }
    }

    /**
     * An online switch passed its checks and is about to stop writes on {@code origMaster} ({@code
     * master_ip_online_change_script --command=stop}, the hooks' release of it, {@code read_only=1},
     * then a global read lock) so that {@code newMaster} can catch up and take over: stop sending
     * writes to {@code origMaster}. Published before any of that, unlike the other events, which
     * follow their fact (a listener that pauses its writers then does it before the old master
     * refuses them). {@link MasterChanged} follows once {@code newMaster} is writable, or {@link
     * SwitchoverEnded} with no new master when the switch was abandoned.
     */
    record SwitchoverStarted(Instant at, ServerConfig origMaster, ServerConfig newMaster) implements ManagerEvent {
        @Override
        public String toString() {
            return "SwitchoverStarted " + origMaster.displayName() + " -> " + newMaster.displayName();
        }
    }

    /**
     * An online switch ended with a report, whatever its outcome. With no {@code newMaster} nothing was
     * promoted, and what {@code origMaster} is depends on where it stopped: refused by its checks (no
     * {@link SwitchoverStarted} before it) — untouched; refused after {@link SwitchoverStarted} (the
     * online-change script's stop or a hook's release failed) — its writes may be stopped by what
     * ran; the new master did not catch up in time — made writable again; the new master could not
     * be activated or promoted ({@code FAILED}) — left read-only, for a human: writes are refused
     * there, and no server takes them.
     */
    record SwitchoverEnded(
            Instant at, ServerConfig origMaster, Optional<ServerConfig> newMaster, SwitchoverReport report)
            implements ManagerEvent {
        @Override
        public String toString() {
            return "SwitchoverEnded " + report.outcome() + " " + origMaster.displayName()
                    + newMaster.map(m -> " -> " + m.displayName()).orElse("");
        }
    }

    /** The guard of the old master and unrecovered replicas fenced, rejoined or parked one of them. */
    record GuardActed(Instant at, GuardEvent event) implements ManagerEvent {
        @Override
        public String toString() {
            return "GuardActed " + event;
        }
    }

    /**
     * The manager ended: its lock released, its status files removed, its threads gone or going.
     *
     * @param exitCode MHA's: 0 done or stopped, 1 error, 10 partial failover
     */
    record Stopped(Instant at, int exitCode, String summary) implements ManagerEvent {
        @Override
        public String toString() {
            return "Stopped " + exitCode + ": " + summary;
        }
    }

    private static List<String> names(List<ServerConfig> servers) {
        return servers.stream().map(ServerConfig::displayName).toList();
    }
}
