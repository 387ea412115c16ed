package io.mha4j.manager;

import io.mha4j.ClusterMonitor;
import io.mha4j.binlog.BinlogServers;
import io.mha4j.check.Finding;
import io.mha4j.check.ReplicationCheck;
import io.mha4j.check.ReplicationHealth;
import io.mha4j.check.Topology;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.failover.MasterFailover;
import io.mha4j.monitor.MonitorListener;
import io.mha4j.monitor.PingOutcome;
import io.mha4j.monitor.Verdict;
import io.mha4j.remote.RemoteShells;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager, as MHA's {@code masterha_manager} runs it: take the application's lock, check
 * replication (refuse to start on errors, or retry with {@code --wait_on_monitor_error}),
 * monitor the master while keeping MHA's status file current, and on a dead-master verdict
 * run the failover, guarded by the anti-flap rule. Exits after one failover as MHA does, or,
 * with {@code keepMonitoring}, goes back to checking and monitoring the new topology.
 *
 * <p>{@link #run()} blocks; {@link #stop()} (a signal handler, a host application) ends it
 * cleanly: the monitor stops, the status file is removed, the lock released.
 */
public final class Supervisor {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    /** How a run ended: MHA's exit codes (0 done, 1 error, 10 partial failover) and why. */
    public record Result(int exitCode, String summary) {}

    /** The servers watched: the configuration, less each master failed over with {@code keepMonitoring}. */
    private ApplicationConfig config;
    private final ManagerOptions options;
    private final Clock clock;
    private final FailoverAction failover;
    private final RemoteShells shells;
    private final List<MonitorListener> listeners;
    private final long pid = ProcessHandle.current().pid();
    private final CompletableFuture<Void> stopRequested = new CompletableFuture<>();

    private Supervisor(Builder b) {
        this.config = b.config;
        this.options = b.options;
        this.clock = b.clock;
        this.failover = b.failover;
        this.shells = b.shells != null ? b.shells : RemoteShells.forApplication(b.config);
        this.listeners = List.copyOf(b.listeners);
    }

    public static Builder builder(ApplicationConfig config) {
        return new Builder(config);
    }

    /** Asks a running {@link #run()} to end; safe from any thread, any number of times. */
    public void stop() {
        stopRequested.complete(null);
    }

    public Result run() {
        String app = config.name();
        Path workdir = options.workdir().orElse(config.managerWorkdir());
        createDirectories(workdir);
        Optional<ManagerLock> lock = ManagerLock.tryAcquire(workdir, app);
        if (lock.isEmpty()) {
            String why = "Another manager is running for " + app + " (" + ManagerLock.pathOf(workdir, app)
                    + " is locked). Stop it first, or use another manager_workdir.";
            log.error(why);
            return new Result(1, why);
        }
        StatusFile status = new StatusFile(workdir, app);
        try (ManagerLock held = lock.get(); RemoteShells closing = shells;
                BinlogServers binlogServers = BinlogServers.start(config, shells)) {
            log.info("mha4j manager for {} started (pid {}), working directory {}{}", app, pid, workdir,
                    binlogServers.isEmpty() ? "" : "; binlog servers " + config.binlogServers().stream()
                            .map(b -> b.block()).toList() + " copying the master's binary logs");
            return supervise(status, new FailoverGuard(workdir, app));
        } finally {
            status.delete();
        }
    }

    private Result supervise(StatusFile status, FailoverGuard guard) {
        while (true) {
            status.update(pid, ManagerStatus.INITIALIZING_MONITOR, Optional.empty(), clock.instant());
            Optional<Topology> topology = startupCheck(status);
            if (topology.isEmpty()) {
                return stopRequested.isDone() ? stopped() : new Result(1, "replication checks failed; see the log");
            }
            if (options.checkOnly()) {
                return new Result(0, "checks passed (--check_only)");
            }
            Optional<Verdict> dead = monitorUntilDead(topology.get(), status);
            if (dead.isEmpty()) {
                return stopped();
            }
            if (options.monitorOnly()) {
                log.warn("Master {} is dead ({}); --monitor_only: no failover", dead.get().master(), dead.get().reason());
                return new Result(0, "master " + dead.get().master() + " is dead (monitor only)");
            }
            Result r = failover(topology.get(), dead.get(), status, guard);
            if (r.exitCode() != 0 || !options.keepMonitoring()) {
                return r;
            }
            // The dead master stays out until a human repairs it and restarts the manager: checking
            // it would fail the start-up check, and it must not be taken for a master again.
            String deadBlock = topology.get().master().block();
            config = config.toBuilder().removeServer(deadBlock).build();
            log.info("Failover done; [{}] is left out until the manager restarts; checking the new topology and"
                    + " monitoring again", deadBlock);
        }
    }

    /** check_repl at start, as MHA: refuse on errors, or retry after --wait_on_monitor_error. */
    private Optional<Topology> startupCheck(StatusFile status) {
        while (!stopRequested.isDone()) {
            ReplicationHealth health = new ReplicationCheck(config, shells, clock)
                    .skipSshCheck(options.skipSshCheck())
                    .ignoreFailOnStart(options.ignoreFailOnStart())
                    .secondsBehindMaster(options.secondsBehindMaster())
                    .run();
            for (Finding f : health.findings()) {
                switch (f.severity()) {
                    case ERROR -> log.error(f.message());
                    case WARNING -> log.warn(f.message());
                    default -> log.info(f.message());
                }
            }
            if (health.isOk() && health.topology().isPresent()) {
                log.info("Replication checks passed; master is {}", health.topology().get().master().displayName());
                return health.topology();
            }
            status.update(pid, ManagerStatus.CONFIG_ERROR, Optional.empty(), clock.instant());
            if (options.waitOnMonitorError().isZero()) {
                log.error("Error happened on checking configurations: {} error(s). Not starting.", health.errors().size());
                return Optional.empty();
            }
            log.warn("Checks failed; retrying in {} s (--wait_on_monitor_error)", options.waitOnMonitorError().toSeconds());
            status.update(pid, ManagerStatus.RETRYING_MONITOR, Optional.empty(), clock.instant());
            if (stopWithin(options.waitOnMonitorError())) {
                break;
            }
        }
        return Optional.empty();
    }

    private Optional<Verdict> monitorUntilDead(Topology topology, StatusFile status) {
        String masterHost = topology.master().hostname();
        MonitorListener statusWriter = new MonitorListener() {
            @Override
            public void onPing(PingOutcome o) {
                if (o.ok()) {
                    status.update(pid, ManagerStatus.PING_OK, Optional.of(masterHost), clock.instant());
                }
            }

            @Override
            public void onVerdict(Verdict v) {
                ManagerStatus s = switch (v.kind()) {
                    case ALIVE -> ManagerStatus.PING_OK;
                    case FAILING, UNREACHABLE_BUT_REPLICATING -> ManagerStatus.PING_FAILING;
                    case DEAD -> ManagerStatus.PING_FAILED;
                };
                status.update(pid, s, Optional.of(masterHost), clock.instant());
            }
        };
        ClusterMonitor.Builder b = ClusterMonitor.builder(config, topology.master())
                .replicas(topology.replicas())
                .remoteShells(shells)
                .listener(statusWriter);
        listeners.forEach(b::listener);
        try (ClusterMonitor monitor = b.build()) {
            monitor.start();
            status.update(pid, ManagerStatus.PING_OK, Optional.of(masterHost), clock.instant());
            CompletableFuture.anyOf(monitor.failoverVerdict(), stopRequested).join();
            return stopRequested.isDone() ? Optional.empty() : Optional.of(monitor.failoverVerdict().join());
        }
    }

    private Result failover(Topology topology, Verdict verdict, StatusFile status, FailoverGuard guard) {
        String masterHost = topology.master().hostname();
        log.warn("Master {} is dead: {}", verdict.master(), verdict.reason());
        status.update(pid, ManagerStatus.FAILOVER_RUNNING, Optional.of(masterHost), clock.instant());
        Optional<String> blocked = guard.blockReason(clock.instant(), options.lastFailoverMinute(),
                options.ignoreLastFailover());
        if (blocked.isPresent()) {
            log.error(blocked.get());
            return failed(status, masterHost, blocked.get());
        }
        try {
            FailoverAction.Outcome outcome = failover.failover(config, topology, verdict, options);
            switch (outcome) {
                case SUCCEEDED -> {
                    guard.markComplete(clock.instant());
                    return new Result(0, "failover of " + verdict.master() + " succeeded");
                }
                case PARTIAL -> {
                    guard.markComplete(clock.instant());
                    return new Result(10, "failover of " + verdict.master() + " done, but some replica was not recovered");
                }
                default -> {
                    guard.markError(clock.instant(), "failover of " + verdict.master() + " failed");
                    return failed(status, masterHost, "failover of " + verdict.master() + " failed");
                }
            }
        } catch (RuntimeException e) {
            log.error("Failover of {} failed: {}", verdict.master(), e.toString());
            guard.markError(clock.instant(), e.toString());
            return failed(status, masterHost, e.getMessage());
        }
    }

    private Result failed(StatusFile status, String masterHost, String why) {
        status.update(pid, ManagerStatus.FAILOVER_ERROR, Optional.of(masterHost), clock.instant());
        if (!options.waitOnFailoverError().isZero()) {
            log.info("Waiting for {} seconds for error exit..", options.waitOnFailoverError().toSeconds());
            stopWithin(options.waitOnFailoverError());
        }
        return new Result(1, why);
    }

    private Result stopped() {
        log.info("Manager stopped");
        return new Result(0, "stopped");
    }

    /** Waits up to {@code d} for a stop request (a condition wait, not a sleep); true if stopped. */
    private boolean stopWithin(Duration d) {
        try {
            stopRequested.get(d.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create manager_workdir " + dir, e);
        }
    }

    /** Builds a manager; defaults are MHA's options and {@link MasterFailover#action()}. */
    public static final class Builder {
        private final ApplicationConfig config;
        private ManagerOptions options = ManagerOptions.MHA_DEFAULTS;
        private Clock clock = Clock.systemUTC();
        private FailoverAction failover = MasterFailover.action();
        private RemoteShells shells;
        private final List<MonitorListener> listeners = new ArrayList<>();

        private Builder(ApplicationConfig config) {
            this.config = config;
        }

        public Builder options(ManagerOptions options) {
            this.options = options;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder failover(FailoverAction failover) {
            this.failover = failover;
            return this;
        }

        public Builder remoteShells(RemoteShells shells) {
            this.shells = shells;
            return this;
        }

        /** Receives every ping outcome and verdict of the monitor; a listener that throws is ignored. */
        public Builder listener(MonitorListener listener) {
            listeners.add(listener);
            return this;
        }

        public Supervisor build() {
            return new Supervisor(this);
        }
    }
}
