package io.mha4j.failover;

import io.mha4j.FailoverHook;
import io.mha4j.MasterElector;
import io.mha4j.TopologyRewirer;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.guard.GuardEvent;
import io.mha4j.guard.OldMasterGuard;
import io.mha4j.internal.concurrent.NamedDaemonThreads;
import io.mha4j.internal.failover.Connector;
import io.mha4j.internal.failover.FailoverRoles;
import io.mha4j.internal.failover.FailoverSetup;
import io.mha4j.internal.failover.HookChain;
import io.mha4j.internal.failover.NoCompensation;
import io.mha4j.internal.failover.OnlineSwitchover;
import io.mha4j.internal.plugin.Plugins;
import io.mha4j.manager.ManagerEvent;
import io.mha4j.manager.ManagerListener;
import io.mha4j.remote.RemoteShells;
import io.mha4j.time.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Online switchover of a live master ({@code masterha_master_switch --master_state=alive}): the
 * original master stops taking writes, the new master catches up and takes over, the replicas
 * follow. Nothing acknowledged is lost and the two masters are never writable together.
 *
 * <pre>{@code
 * SwitchoverReport r = MasterSwitchover.builder(config).newMaster(server2).origMasterIsNewSlave(true)
 *         .build().run(server1);
 * }</pre>
 *
 * <p>Its {@link Builder#listener listeners} are told the switch with the manager's event types: {@link
 * ManagerEvent.SwitchoverStarted} before writes are blocked, {@link ManagerEvent.MasterChanged} once
 * the new master is writable, {@link ManagerEvent.SwitchoverEnded} with the report.
 */
public final class MasterSwitchover {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MasterSwitchover.class);
    private final ApplicationConfig config;
    /** The host's scheduler; null: each switch makes a system one. */
    private final Scheduler time;

    private final MasterElector elector;
    private final TopologyRewirer rewirer;
    private final OnlineSwitchover.Settings settings;
    private final Duration applyTimeout;
    private final List<FailoverHook> hooks;
    private final boolean guard;
    private final List<Consumer<GuardEvent>> guardListeners;
    private final List<ManagerListener> listeners;

    private MasterSwitchover(Builder b) {
        this.config = b.config;
        this.time = b.time;
        FailoverRoles roles = FailoverRoles.of(config, null, b.designated, null);
        this.elector = roles.elector();
        this.rewirer = roles.rewirer();
        this.settings = new OnlineSwitchover.Settings(
                Optional.ofNullable(b.designated), b.origMasterIsNewSlave, b.runningUpdatesLimit, b.catchUpTimeout);
        this.applyTimeout = config.value(Parameter.APPLY_TIMEOUT);
        // The configured hooks (a VIP, say) move with the master; MHA's online-change script runs on its own.
        List<FailoverHook> all = new java.util.ArrayList<>(Plugins.failoverHooks(config));
        all.addAll(b.hooks);
        this.hooks = List.copyOf(all);
        this.guard = b.guard;
        this.guardListeners = List.copyOf(b.guardListeners);
        this.listeners = List.copyOf(b.listeners);
    }

    public static Builder builder(ApplicationConfig config) {
        return new Builder(config);
    }

    /**
     * Switches from {@code origMaster}, the live master; never throws. After a switch that
     * promoted a new master, the original master is handed to an {@link OldMasterGuard} until it
     * is settled: verified as a replica of the new master ({@code --orig_master_is_new_slave}),
     * or fenced (its application sessions killed) and then rejoined ({@code rejoin_old_master=1})
     * or parked with the statement that rejoins it.
     */
    public SwitchoverReport run(ServerConfig origMaster) {
        SwitchoverReport report = with(s -> s.run(origMaster));
        // Before the guard settles the original master (up to apply_timeout and more): a listener
        // waiting to resume on it after an abandoned switch must not wait for that.
        tell(new ManagerEvent.SwitchoverEnded(report.endedAt(), report.origMaster(), report.newMaster(), report));
        if (guard && report.outcome().promoted()) {
            settle(report);
        }
        return report;
    }

    private void settle(SwitchoverReport report) {
        String orig = report.origMaster().displayName();
        CompletableFuture<GuardEvent> settled = new CompletableFuture<>();
        OldMasterGuard.Builder b = OldMasterGuard.builder(config).after(report);
        hooks.forEach(b::hook);
        // The caller's listeners first: when run() returns, they have seen the settling event.
        guardListeners.forEach(b::listener);
        b.listener(e -> {
            if (e.serverName().equals(orig) && SETTLED.contains(e.kind())) {
                settled.complete(e);
            }
        });
        try (OldMasterGuard g = b.withoutConfiguredHooks().start()) {
            settled.get(applyTimeout.plusSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn(
                    "{}: not settled by the guard within {} s; left as it is",
                    orig,
                    applyTimeout.plusSeconds(30).toSeconds());
        } catch (ExecutionException e) {
            log.warn("{}: the guard failed: {}", orig, e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Observers cannot break a switch: one that throws is logged by name, and the others are told. */
    private void tell(ManagerEvent event) {
        for (ManagerListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                log.warn("listener {} failed on {}: {}", l, event, e.toString());
            }
        }
    }

    private OnlineSwitchover.Progress progress(Scheduler runTime) {
        return new OnlineSwitchover.Progress() {
            @Override
            public void blocking(ServerConfig orig, ServerConfig next) {
                tell(new ManagerEvent.SwitchoverStarted(runTime.clock().instant(), orig, next));
            }

            @Override
            public void promoted(ServerConfig orig, ServerConfig next) {
                tell(new ManagerEvent.MasterChanged(runTime.clock().instant(), orig, next));
            }
        };
    }

    private static final Set<GuardEvent.Kind> SETTLED = Set.of(
            GuardEvent.Kind.PARKED, GuardEvent.Kind.REJOINED, GuardEvent.Kind.LEFT_ALONE, GuardEvent.Kind.FENCE_FAILED);

    /** Only the checks ({@code --check_only}): the problems that would refuse a switch, none when it would start. */
    public List<String> check(ServerConfig origMaster) {
        return with(s -> s.check(origMaster));
    }

    private <T> T with(Function<OnlineSwitchover, T> action) {
        ExecutorService pool = Executors.newCachedThreadPool(new NamedDaemonThreads("mha4j-switch-" + config.name()));
        // Nothing is scheduled on a system scheduler made here (only its clock and pauses are used): no thread.
        Scheduler runTime = time != null ? time : Scheduler.system("mha4j-switch-" + config.name());
        try (RemoteShells shells = RemoteShells.forApplication(config)) {
            FailoverSetup setup = new FailoverSetup(
                    config,
                    runTime,
                    Connector.jdbc(runTime.clock()),
                    pool,
                    shells,
                    config.managerWorkdir(),
                    elector,
                    new NoCompensation(),
                    rewirer,
                    new HookChain(hooks),
                    applyTimeout);
            return action.apply(new OnlineSwitchover(setup, settings, progress(runTime)));
        } finally {
            pool.shutdownNow();
            if (time == null) {
                runTime.close();
            }
        }
    }

    /** Configures a {@link MasterSwitchover}. */
    public static final class Builder {
        private final ApplicationConfig config;
        private Scheduler time;
        private ServerConfig designated;
        private boolean origMasterIsNewSlave;
        private Duration runningUpdatesLimit = Duration.ofSeconds(1);
        private Duration catchUpTimeout = Duration.ofSeconds(30);
        private final List<FailoverHook> hooks = new java.util.ArrayList<>();
        private boolean guard = true;
        private final List<Consumer<GuardEvent>> guardListeners = new java.util.ArrayList<>();
        private final List<ManagerListener> listeners = new java.util.ArrayList<>();

        private Builder(ApplicationConfig config) {
            this.config = Objects.requireNonNull(config);
        }

        /**
         * The switch's time: its clock and where its waits for servers pause (default: the
         * system's; a {@link io.mha4j.time.ManualScheduler} for virtual time). Not closed by it.
         */
        public Builder scheduler(Scheduler time) {
            this.time = Objects.requireNonNull(time);
            return this;
        }

        /** {@code --new_master_host}: otherwise MHA's election chooses. */
        public Builder newMaster(ServerConfig server) {
            this.designated = Objects.requireNonNull(server);
            return this;
        }

        /** {@code --orig_master_is_new_slave}: the original master replicates from the new one afterwards. */
        public Builder origMasterIsNewSlave(boolean value) {
            this.origMasterIsNewSlave = value;
            return this;
        }

        /** {@code --running_updates_limit} (MHA's default 1 s): refuse while an update runs this long. */
        public Builder runningUpdatesLimit(Duration limit) {
            this.runningUpdatesLimit = Objects.requireNonNull(limit);
            return this;
        }

        /** How long writes may stay blocked while the new master catches up before the switch is abandoned. */
        public Builder catchUpTimeout(Duration timeout) {
            this.catchUpTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Adds a hook after those {@code failover_hooks} names: it releases the old master and activates the new. */
        public Builder hook(FailoverHook hook) {
            hooks.add(Objects.requireNonNull(hook));
            return this;
        }

        /**
         * Whether the original master is handed to an {@link OldMasterGuard} after the switch
         * (default yes): fenced, then rejoined or parked. Without it, it is left read-only as MHA
         * leaves it, its sessions still connected.
         */
        public Builder guard(boolean guard) {
            this.guard = guard;
            return this;
        }

        /**
         * Told the switch ({@link ManagerEvent.SwitchoverStarted}, {@link ManagerEvent.MasterChanged},
         * {@link ManagerEvent.SwitchoverEnded}) on the switch's own thread, in order, while it waits:
         * {@code SwitchoverStarted} before writes are blocked, so that a listener such as the
         * application's data sources stops sending writes to the original master before it refuses
         * them, and {@code MasterChanged} before the replicas are rewired. Keep it short: it delays
         * the switch (not the write block). One that throws is logged and ignored.
         */
        public Builder listener(ManagerListener listener) {
            listeners.add(Objects.requireNonNull(listener));
            return this;
        }

        /** Receives the guard's events about the original master. */
        public Builder guardListener(Consumer<GuardEvent> listener) {
            guardListeners.add(Objects.requireNonNull(listener));
            return this;
        }

        public MasterSwitchover build() {
            return new MasterSwitchover(this);
        }
    }
}
