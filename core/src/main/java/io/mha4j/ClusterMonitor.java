package io.mha4j;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.internal.plugin.Plugins;
import io.mha4j.monitor.FailoverTrigger;
import io.mha4j.monitor.MonitorListener;
import io.mha4j.monitor.MonitorProbes;
import io.mha4j.monitor.MonitorSettings;
import io.mha4j.monitor.Verdict;
import io.mha4j.remote.RemoteShells;
import io.mha4j.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Watches the master as MHA's {@code masterha_manager} does and says whether it lives: it pings
 * every {@code ping_interval} as {@code ping_type} says, counts failed pings in a row, and when
 * they reach {@code ping_failure_limit} (MHA's 4) decides with second opinions — each replica's
 * view of the master, SSH to the master's host, {@code secondary_check_script} — whether the
 * master is dead, or only unreachable from here while replicas still replicate from it.
 * With {@code fast_failure_detection=1} (the default) a refused connection that every replica
 * confirms is death at once. The implementation is a ServiceLoader plugin chosen by
 * {@code cluster_monitor} (default {@code mha}; {@link io.mha4j.spi.ClusterMonitorProvider}).
 *
 * <pre>{@code
 * try (ClusterMonitor monitor = ClusterMonitor.builder(config, master).listener(statusFile).build()) {
 *     monitor.start();
 *     Verdict dead = monitor.failoverVerdict().join();   // monitoring has stopped
 *     // fail over
 * }
 * }</pre>
 */
public interface ClusterMonitor extends AutoCloseable {

    /**
     * Starts pinging (the first ping at once) on the scheduler's thread; returns immediately.
     *
     * @throws IllegalStateException when started before, or closed
     */
    void start();

    /**
     * The latest verdict. Before the first ping it is {@code ALIVE} with the reason "not pinged
     * yet": the master was alive when the caller chose it (check_repl runs first).
     */
    Verdict currentVerdict();

    /**
     * Completes with the first verdict the {@link FailoverTrigger} accepts; monitoring stops then.
     * Cancelled when the monitor is closed first.
     */
    CompletableFuture<Verdict> failoverVerdict();

    /** Adds an observer; it sees pings and verdicts from now on. */
    void addListener(MonitorListener listener);

    /** Stops monitoring and releases connections, threads and shells the monitor owns. Idempotent. */
    @Override
    void close();

    /**
     * A monitor of {@code master}, one of {@code config}'s servers, with the configuration's
     * settings; every other configured server is a replica whose view counts.
     */
    static Builder builder(ApplicationConfig config, ServerConfig master) {
        return new Builder(config, master);
    }

    /** Configures a {@link ClusterMonitor}; every setting has a default from the configuration. */
    final class Builder {
        private final ApplicationConfig config;
        private final ServerConfig master;
        private final List<MonitorListener> listeners = new ArrayList<>();
        private Scheduler scheduler;
        private FailoverTrigger trigger = FailoverTrigger.DEAD_ONLY;
        private Duration pingInterval;
        private List<ServerConfig> replicas;
        private RemoteShells remoteShells;
        private MonitorProbes probes;

        private Builder(ApplicationConfig config, ServerConfig master) {
            this.config = Objects.requireNonNull(config, "config");
            this.master = Objects.requireNonNull(master, "master");
        }

        /**
         * Where pings run and time comes from (default: a {@link Scheduler#system} thread named
         * {@code mha4j-monitor-<app>}, closed with the monitor). A scheduler given here is not
         * closed by the monitor.
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Which verdict completes {@link #failoverVerdict()} (default {@link FailoverTrigger#DEAD_ONLY}). */
        public Builder trigger(FailoverTrigger trigger) {
            this.trigger = Objects.requireNonNull(trigger, "trigger");
            return this;
        }

        public Builder listener(MonitorListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Time from the start of one ping to the start of the next, and each ping's read
         * timeout (default {@code ping_interval}). Java hosts may go below MHA's one second.
         */
        public Builder pingInterval(Duration interval) {
            if (interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("ping interval must be positive, not " + interval);
            }
            this.pingInterval = interval;
            return this;
        }

        /** The replicas whose view of the master counts (default: every other configured server). */
        public Builder replicas(List<ServerConfig> replicas) {
            this.replicas = List.copyOf(replicas);
            return this;
        }

        /**
         * The shells that test SSH to the master's host (default {@link
         * RemoteShells#forApplication}, closed with the monitor). Shells given here are not closed.
         */
        public Builder remoteShells(RemoteShells shells) {
            this.remoteShells = Objects.requireNonNull(shells, "shells");
            return this;
        }

        /**
         * Replaces everything the monitor observes (default: JDBC, SSH and the configured
         * scripts); for tests, and hosts that observe the servers their own way. Probes given
         * here are closed with the monitor.
         */
        public Builder probes(MonitorProbes probes) {
            this.probes = Objects.requireNonNull(probes, "probes");
            return this;
        }

        /**
         * @throws IllegalArgumentException when {@code master} is not a server of the configuration
         * @throws Mha4jException when {@code remote_shell} names no available provider
         */
        public ClusterMonitor build() {
            if (config.servers().stream().noneMatch(s -> s.block().equals(master.block()))) {
                throw new IllegalArgumentException(
                        "[" + master.block() + "] is not a server of application " + config.name());
            }
            List<ServerConfig> watched = replicas != null
                    ? replicas
                    : config.servers().stream()
                            .filter(s -> !s.block().equals(master.block()))
                            .toList();
            MonitorSettings settings = new MonitorSettings(
                    config,
                    master,
                    watched,
                    pingInterval != null ? pingInterval : config.pingInterval(),
                    trigger,
                    listeners,
                    Optional.ofNullable(scheduler),
                    Optional.ofNullable(remoteShells),
                    Optional.ofNullable(probes));
            // Every plugin the configuration names, not only the monitor: a typo fails now, not at the failover.
            if (remoteShells == null && probes == null) {
                Plugins.check(config);
            } else {
                Plugins.checkAllButRemoteShell(config);
            }
            return Plugins.clusterMonitor(config).create(settings);
        }
    }
}
