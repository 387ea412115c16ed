package io.mha4j.guard;

import io.mha4j.FailoverHook;
import io.mha4j.TopologyRewirer;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ConfHost;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.ReplicaOutcome;
import io.mha4j.failover.SwitchoverReport;
import io.mha4j.internal.concurrent.NamedDaemonThreads;
import io.mha4j.internal.guard.GuardHooks;
import io.mha4j.internal.guard.GuardReportScript;
import io.mha4j.internal.guard.SqlServerAccess;
import io.mha4j.internal.guard.WatchSettings;
import io.mha4j.internal.guard.Watches;
import io.mha4j.internal.plugin.Plugins;
import io.mha4j.remote.LocalShell;
import io.mha4j.remote.RemoteShells;
import io.mha4j.time.Scheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Never two masters: guards the servers a failover or an online switch left behind — the old
 * master, and the replicas the failover could not recover — until they replicate from the
 * current master again.
 *
 * <p>Each guarded server is probed every {@code ping_interval}, and every 20 ms while its
 * connection is refused (the process is down but its host is up: a restart is near, and a
 * refused connect costs nothing). The moment it answers SQL and is not a read-only replica of
 * the current master, it is fenced before anything else: {@code read_only=1}
 * ({@code super_read_only} too on MySQL), {@code offline_mode=ON} where the server has it, and
 * every application session still connected is killed (never replication or system threads).
 * A {@link FailoverHook#returned} hook may veto that or fence it its own way. Then:
 * <ul>
 *   <li>it holds nothing the master lacks: an old master is rejoined by GTID with
 *       {@code rejoin_old_master=1}, and otherwise parked read-only with the statement a human
 *       runs; a replica is always rewired;</li>
 *   <li>it holds transactions the master lacks: never rejoined; they are saved with the
 *       flavor's binlog tool into {@code manager_workdir} and it is parked read-only, with what a
 *       human must decide.</li>
 * </ul>
 * Every step is logged, sent to the hooks ({@link FailoverHook#guarded}) and to listeners;
 * {@code report_script} hears of parked, rejoined, vetoed and unfenced servers. A server that
 * rejoins (by mha4j or by a human) is no longer guarded and, when {@code
 * --remove_dead_master_conf} removed its block, gets it back in the configuration file.
 *
 * <pre>{@code
 * FailoverReport report = MasterFailover.builder(config).build().run(server1);
 * try (OldMasterGuard guard = OldMasterGuard.builder(config).after(report).start()) {
 *     ... // the host application runs on; the guard works on its own threads
 * }
 * }</pre>
 */
public final class OldMasterGuard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OldMasterGuard.class);

    private final ApplicationConfig config;
    private final Watches watches;
    private final RemoteShells shells;
    private final boolean ownShells;
    private final ExecutorService decisions;

    private OldMasterGuard(Builder b, Watches watches, RemoteShells shells, ExecutorService decisions) {
        this.config = b.config;
        this.watches = watches;
        this.shells = shells;
        this.ownShells = b.shells == null;
        this.decisions = decisions;
    }

    public static Builder builder(ApplicationConfig config) {
        return new Builder(config);
    }

    /** Guards {@code server} too (again, if it was guarded before). Thread-safe. */
    public void watch(ServerConfig server, GuardedRole role) {
        watches.watch(server, role);
    }

    /**
     * Guards what a failover left behind, against its new master: its dead master, and every
     * replica it did not recover. A failover that promoted no one changes nothing.
     *
     * @return the servers now guarded because of it
     */
    public List<ServerConfig> after(FailoverReport report) {
        return report.outcome().promoted() && report.newMaster().isPresent()
                ? guardAfter(report.newMaster().get(), report.deadMaster(), report.replicas())
                : List.of();
    }

    /**
     * Guards the original master of a switch (and any replica not rewired) against the new one.
     *
     * @return the servers now guarded because of it
     */
    public List<ServerConfig> after(SwitchoverReport report) {
        return report.outcome().promoted() && report.newMaster().isPresent()
                ? guardAfter(
                        report.newMaster().get().displayName(),
                        report.origMaster().displayName(),
                        report.replicas())
                : List.of();
    }

    private List<ServerConfig> guardAfter(String newMaster, String oldMaster, List<ReplicaOutcome> replicas) {
        master(require(newMaster));
        List<ServerConfig> added = new ArrayList<>();
        added.add(require(oldMaster));
        watch(added.get(0), GuardedRole.OLD_MASTER);
        for (ReplicaOutcome r : replicas) {
            if (!r.recovered() && !r.server().equals(oldMaster)) {
                ServerConfig s = require(r.server());
                added.add(s);
                watch(s, GuardedRole.REPLICA);
            }
        }
        return added;
    }

    private ServerConfig require(String displayName) {
        return named(config, displayName)
                .orElseThrow(() -> new IllegalArgumentException(
                        "the report names " + displayName + ", which is not a server of " + config.name()));
    }

    /** The master guarded servers must replicate from, after another failover. Thread-safe. */
    public void master(ServerConfig current) {
        watches.master(Objects.requireNonNull(current));
    }

    /** The current master. */
    public ServerConfig master() {
        return watches.master();
    }

    /** The servers still guarded (not yet replicating from the master). */
    public List<ServerConfig> guarded() {
        return watches.guarded();
    }

    /** Adds a listener for every event; one that throws is logged and ignored. */
    public void addListener(Consumer<GuardEvent> listener) {
        watches.addListener(listener);
    }

    /** Stops guarding: servers not yet rejoined are left as they are (fenced ones stay read-only). */
    @Override
    public void close() {
        List<ServerConfig> left = watches.guarded();
        watches.close();
        decisions.shutdownNow();
        if (ownShells) {
            shells.close();
        }
        if (!left.isEmpty()) {
            log.warn(
                    "Guard of {} stopped; no longer guarded: {}",
                    config.name(),
                    left.stream().map(ServerConfig::displayName).toList());
        }
    }

    /** Finds the configured server a report names (by {@code displayName}). */
    private static Optional<ServerConfig> named(ApplicationConfig config, String displayName) {
        return config.servers().stream()
                .filter(s -> s.displayName().equals(displayName))
                .findFirst();
    }

    /** Configures a guard; defaults come from the configuration. */
    public static final class Builder {
        private final ApplicationConfig config;
        private ServerConfig master;
        private final List<ServerConfig> servers = new ArrayList<>();
        private final List<GuardedRole> roles = new ArrayList<>();
        private final List<FailoverReport> failovers = new ArrayList<>();
        private final List<SwitchoverReport> switches = new ArrayList<>();
        private final List<FailoverHook> hooks = new ArrayList<>();
        private final List<Consumer<GuardEvent>> listeners = new ArrayList<>();
        private boolean builtInHooks = true;
        private Scheduler scheduler;
        private RemoteShells shells;
        private Path workdir;
        private Boolean rejoinOldMaster;

        private Builder(ApplicationConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * Guards what a failover left behind: its dead master, and every replica it did not
         * recover, against its new master. A failover that promoted no one leaves nothing to
         * guard (the master was not replaced).
         */
        public Builder after(FailoverReport report) {
            failovers.add(Objects.requireNonNull(report));
            return this;
        }

        /**
         * Guards the original master of a switch against the new one. With
         * {@code --orig_master_is_new_slave} it already replicates from the new master: the
         * guard's first read verifies that, and it is done.
         */
        public Builder after(SwitchoverReport report) {
            switches.add(Objects.requireNonNull(report));
            return this;
        }

        /** The master guarded servers must replicate from. */
        public Builder master(ServerConfig master) {
            this.master = Objects.requireNonNull(master);
            return this;
        }

        public Builder watch(ServerConfig server, GuardedRole role) {
            servers.add(Objects.requireNonNull(server));
            roles.add(Objects.requireNonNull(role));
            return this;
        }

        /** Adds a hook after MHA's scripts and those {@code failover_hooks} names. */
        public Builder hook(FailoverHook hook) {
            hooks.add(Objects.requireNonNull(hook));
            return this;
        }

        /** Without {@code failover_hooks} and {@code report_script}: only the hooks added here. */
        public Builder withoutConfiguredHooks() {
            this.builtInHooks = false;
            return this;
        }

        public Builder listener(Consumer<GuardEvent> listener) {
            listeners.add(Objects.requireNonNull(listener));
            return this;
        }

        /** The scheduler probes run on (default: one daemon thread per guarded server); not closed by the guard. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler);
            return this;
        }

        /** Shells to the database hosts (default: from {@code remote_shell}); not closed by the guard. */
        public Builder remoteShells(RemoteShells shells) {
            this.shells = Objects.requireNonNull(shells);
            return this;
        }

        /** Where errant transactions are saved (default {@code manager_workdir}). */
        public Builder workdir(Path workdir) {
            this.workdir = Objects.requireNonNull(workdir);
            return this;
        }

        /** Overrides {@code rejoin_old_master}. */
        public Builder rejoinOldMaster(boolean rejoin) {
            this.rejoinOldMaster = rejoin;
            return this;
        }

        /** Starts guarding. */
        public OldMasterGuard start() {
            RemoteShells sh = shells != null ? shells : RemoteShells.forApplication(config);
            Path dir = workdir != null ? workdir : config.managerWorkdir();
            List<FailoverHook> all = new ArrayList<>();
            if (builtInHooks) {
                all.addAll(Plugins.failoverHooks(config));
            }
            all.addAll(hooks);
            TopologyRewirer rewirer = Plugins.topologyRewirer(config);
            Duration applyTimeout = config.value(Parameter.APPLY_TIMEOUT);
            WatchSettings settings = new WatchSettings(
                    config.pingInterval(),
                    WatchSettings.REFUSED_INTERVAL,
                    applyTimeout,
                    rejoinOldMaster != null ? rejoinOldMaster : config.value(Parameter.REJOIN_OLD_MASTER),
                    dir);
            ExecutorService decisions =
                    Executors.newCachedThreadPool(new NamedDaemonThreads("mha4j-guard-" + config.name() + "-decide"));
            Watches w = new Watches(
                    config.name(),
                    scheduler,
                    decisions,
                    // Without a scheduler of the host's, a system one only for its clock and the rejoin's
                    // pauses: nothing is scheduled on it, so it starts no thread.
                    new SqlServerAccess(
                            scheduler != null ? scheduler : Scheduler.system("mha4j-guard-" + config.name()),
                            sh,
                            rewirer,
                            applyTimeout),
                    new GuardHooks(all, config, sh, dir),
                    settings);
            listeners.forEach(w::addListener);
            if (builtInHooks) {
                GuardReportScript.of(config, LocalShell.INSTANCE).ifPresent(w::addListener);
            }
            w.addListener(e -> restoreBlock(config, e));
            if (master != null) {
                w.master(master);
            }
            OldMasterGuard guard = new OldMasterGuard(this, w, sh, decisions);
            for (int i = 0; i < servers.size(); i++) {
                guard.watch(servers.get(i), roles.get(i));
            }
            failovers.forEach(guard::after);
            switches.forEach(guard::after);
            return guard;
        }
    }

    /** A server that replicates again gets back the block {@code --remove_dead_master_conf} removed. */
    private static void restoreBlock(ApplicationConfig config, GuardEvent e) {
        if (e.kind() != GuardEvent.Kind.REJOINED || config.files().isEmpty()) {
            return;
        }
        Path file = config.files().get().applicationFile();
        if (ConfHost.restore(file, e.server())) {
            log.info(
                    "{} replicates from {} again: put its block [{}] back into {}",
                    e.serverName(),
                    e.master(),
                    e.server().block(),
                    file);
        }
    }
}
