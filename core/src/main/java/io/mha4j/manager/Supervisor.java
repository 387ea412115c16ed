package io.mha4j.manager;

import io.mha4j.ClusterMonitor;
import io.mha4j.binlog.BinlogServers;
import io.mha4j.check.Finding;
import io.mha4j.check.ReplicationCheck;
import io.mha4j.check.ReplicationHealth;
import io.mha4j.check.Topology;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ConfigException;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.coordination.Coordination;
import io.mha4j.coordination.CoordinationException;
import io.mha4j.coordination.FailoverRecord;
import io.mha4j.coordination.ManagerView;
import io.mha4j.failover.FailoverGuard;
import io.mha4j.failover.FailoverReport;
import io.mha4j.guard.GuardEvent;
import io.mha4j.internal.failover.CompensationWarmup;
import io.mha4j.internal.failover.ReportText;
import io.mha4j.internal.plugin.Plugins;
import io.mha4j.monitor.MonitorListener;
import io.mha4j.monitor.PingOutcome;
import io.mha4j.monitor.Verdict;
import io.mha4j.monitor.VerdictKind;
import io.mha4j.remote.RemoteShells;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager, as MHA's {@code masterha_manager} runs it: take the application's lock, check
 * replication (refuse to start on errors, or retry with {@code --wait_on_monitor_error}),
 * monitor the master while keeping MHA's status file current, and on a dead-master verdict
 * run the failover, guarded by the anti-flap rule.
 *
 * <p>After a failover that promoted a new master the manager stays up (unless
 * {@code --exit_after_failover}, MHA's behaviour): it guards the old master and the replicas the
 * failover could not recover ({@link io.mha4j.guard.OldMasterGuard}: fenced the moment they
 * answer, rejoined or parked), and checks and monitors the new topology without them. A
 * guarded server that replicates from the master again (rejoined by the guard, or by a human
 * running the logged statement) goes back into the monitored topology: the start-up check runs
 * again with it. A refused failover (nothing changed) is reported and monitoring goes on.
 *
 * <p>The anti-flap rule ({@code failover.complete} younger than {@code last_failover_minute})
 * holds for a manager started into a flapping cluster. A manager that stayed up after its own
 * successful failover fails over the master it promoted when that master was seen alive since:
 * a second, different failure; the waiver is logged.
 *
 * <p>With several managers of one application ({@code coordination}), every manager checks and
 * monitors, and only the leader acts: what a dead master leads to (fail over, monitor again, check
 * again), the vote, the shared failover record and the settling of an unfinished one are {@link
 * SharedFailover}'s rules; this class runs the rounds.
 *
 * <p>{@link #run()} blocks; {@link #stop()} (a signal handler, a host application) ends it
 * cleanly: the monitor and the guard stop, the status file is removed, the lock released.
 */
public final class Supervisor {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
    /** How long a standby whose check failed waits before it checks again (it never gives up). */
    static final Duration STANDBY_RETRY = Duration.ofSeconds(10);
    /** How long a manager waits before it looks again when the coordination could not be read. */
    private static final Duration COORDINATION_RETRY = Duration.ofSeconds(5);

    /** How a run ended: MHA's exit codes (0 done, 1 error, 10 partial failover) and why. */
    public record Result(int exitCode, String summary) {}

    /** The whole configuration; the servers monitored are those {@link Guarding#monitored()} keeps. */
    private final ApplicationConfig config;

    private final ManagerOptions options;
    private final Clock clock;
    private final FailoverAction failover;
    private final RemoteShells shells;
    private final List<MonitorListener> listeners;
    private final List<Consumer<GuardEvent>> guardListeners;
    private final Consumer<ManagerEvent> events;
    private final FailoverGuard.Wording wording;
    private final Function<ApplicationConfig, ReplicationHealth> check;
    private final Monitors monitors;
    private final long pid = ProcessHandle.current().pid();
    private final CompletableFuture<Void> stopRequested = new CompletableFuture<>();
    /** The last start-up check, for what a failing one names. */
    private ReplicationHealth lastCheck;
    /**
     * The topology a refused or withheld failover left as it was, to monitor again as it is — while
     * nothing changed among the managers either (the shared record's epoch, this manager's lead).
     */
    private Optional<Unchanged> unchanged = Optional.empty();

    private record Unchanged(Topology topology, long epoch, boolean leading) {}

    /** The loss of the lead the guard's pause waits on (one registration per lead). */
    private CompletableFuture<Void> pauseOn;

    private Supervisor(Builder b) {
        this.config = b.config;
        this.options = b.options;
        this.clock = b.clock;
        // The phase relay publishes MasterChanged the moment phase 3 made the new master writable (the command
        // line's health endpoints steer traffic with it); a host's own failover action publishes what it does.
        this.failover = b.failover != null
                ? b.failover
                : FailoverAction.standard(f -> f.hook(new PhaseRelay(
                        b.events, b.clock, s -> b.config.server(s.block()).orElse(s))));
        this.shells = b.shells != null ? b.shells : RemoteShells.forApplication(b.config);
        this.listeners = List.copyOf(b.listeners);
        this.guardListeners = List.copyOf(b.guardListeners);
        this.events = b.events;
        this.wording = b.wording;
        this.check = b.check != null
                ? b.check
                : monitored -> new ReplicationCheck(monitored, shells, clock)
                        .workdir(options.workdir().orElse(null))
                        .skipSshCheck(options.skipSshCheck())
                        .ignoreFailOnStart(options.ignoreFailOnStart())
                        .secondsBehindMaster(options.secondsBehindMaster())
                        .run();
        this.monitors = b.monitors;
    }

    public static Builder builder(ApplicationConfig config) {
        return new Builder(config);
    }

    /** Asks a running {@link #run()} to end; safe from any thread, any number of times. */
    public void stop() {
        stopRequested.complete(null);
    }

    /** Runs the manager until it ends (a stop, an error, a failover it does not survive); blocks. */
    public Result run() {
        Result result;
        try {
            result = supervised();
        } catch (RuntimeException | Error e) {
            events.accept(new ManagerEvent.Stopped(clock.instant(), 1, e.toString()));
            throw e;
        }
        events.accept(new ManagerEvent.Stopped(clock.instant(), result.exitCode(), result.summary()));
        return result;
    }

    private Result supervised() {
        String app = config.name();
        Coordination coordinationOf;
        try {
            // Before anything: a misnamed plugin must not surface at the failover. The shells are resolved already.
            Plugins.checkAllButRemoteShell(config);
            // Made (not started) now: a coordination missing its settings is a configuration error like any other.
            coordinationOf = Coordination.of(config);
        } catch (ConfigException e) {
            log.error("{}", e.getMessage());
            shells.close();
            return new Result(1, e.getMessage());
        }
        Path workdir = options.workdir().orElse(config.managerWorkdir());
        createDirectories(workdir);
        MonitoringNote note = new MonitoringNote(workdir, app);
        Optional<ManagerLock> lock = ManagerLock.tryAcquire(workdir, app);
        if (lock.isEmpty()) {
            String why = "Another manager is running for " + app + " (" + ManagerLock.pathOf(workdir, app)
                    + " is locked)" + runningManager(new StatusFile(workdir, app), note)
                    + ". Stop it first, or use another manager_workdir.";
            coordinationOf.close();
            log.error(why);
            return new Result(1, why);
        }
        StatusFile status = new StatusFile(workdir, app);
        try (ManagerLock held = lock.get();
                Coordination coordination = coordinationOf;
                RemoteShells closing = shells;
                BinlogServers binlogServers = BinlogServers.start(config, shells);
                Guarding guarding = new Guarding(config, shells, workdir, guardListeners)) {
            log.info(
                    "mha4j manager for {} started (pid {}), working directory {}{}",
                    app,
                    pid,
                    workdir,
                    binlogServers.isEmpty()
                            ? ""
                            : "; binlog servers "
                                    + config.binlogServers().stream()
                                            .map(b -> b.block())
                                            .toList() + " copying the master's binary logs");
            if (!options.checkOnly()) {
                // --check_only changes nothing and takes no part in the election
                coordination.start();
            }
            Result result = supervise(status, note, new FailoverGuard(workdir, app, wording), guarding, coordination);
            if (coordination.isLeader()) {
                // ended on purpose (a stop, an error it reported): a master found dead later was not lost while watched
                coordination.stoppedWatching();
            }
            return result;
        } finally {
            status.delete();
            note.delete();
        }
    }

    /** What the running manager's files say: its pid, status, master, and what it monitors and guards. */
    private static String runningManager(StatusFile status, MonitoringNote note) {
        String s = status.read()
                .map(e -> ": pid " + e.pid() + ", " + e.status()
                        + e.master().map(m -> ", master " + m).orElse(""))
                .orElse("");
        return s + note.read().map(n -> "; it " + n).orElse("");
    }

    private Result supervise(
            StatusFile status,
            MonitoringNote note,
            FailoverGuard antiFlap,
            Guarding guarding,
            Coordination coordination) {
        SharedFailover shared = new SharedFailover(config, coordination, clock, events, this::stopWithin);
        while (true) {
            try {
                Optional<Result> end = round(status, note, antiFlap, guarding, coordination, shared);
                if (end.isPresent()) {
                    return end.get();
                }
            } catch (CoordinationException e) {
                // nothing read from it is acted on: look again a little later, and say so where a human looks
                log.error(
                        "{}: the managers' shared state cannot be read; nothing is failed over; checking again in {} s",
                        e.getMessage(),
                        COORDINATION_RETRY.toSeconds());
                status.update(pid, ManagerStatus.RETRYING_MONITOR, Optional.empty(), clock.instant());
                note.write(
                        "cannot read the managers' shared state",
                        List.of("shared state unreadable (" + e.getMessage() + "): nothing is failed over"));
                unchanged = Optional.empty();
                if (stopWithin(COORDINATION_RETRY)) {
                    return stopped();
                }
            }
        }
    }

    /** One round: check, monitor until the master is dead, decide, fail over; a result ends the manager. */
    private Optional<Result> round(
            StatusFile status,
            MonitoringNote note,
            FailoverGuard antiFlap,
            Guarding guarding,
            Coordination coordination,
            SharedFailover shared) {
        {
            // Every manager checks and monitors, whoever leads: a standby's monitor is a second vantage point,
            // and it holds a verdict of its own if the leader goes. Only the leader changes anything.
            List<ServerConfig> back = guarding.takeRejoined();
            if (!back.isEmpty()) {
                log.info(
                        "{} replicate(s) from the master again: back in the monitored topology; checking it again",
                        back.stream().map(ServerConfig::displayName).toList());
            }
            status.update(pid, ManagerStatus.INITIALIZING_MONITOR, Optional.empty(), clock.instant());
            Optional<FailoverRecord> left =
                    options.checkOnly() || !coordination.isLeader() ? Optional.empty() : shared.unfinished();
            // After a refused or withheld failover nothing changed: monitor the same topology again, without a
            // check that a master still frozen or cut off would fail — unless something changed among the
            // managers, or an unfinished failover is to be settled (only from what the servers say now).
            Optional<Topology> kept = unchanged
                    .filter(u ->
                            left.isEmpty() && u.leading() == coordination.isLeader() && u.epoch() == shared.epoch())
                    .map(Unchanged::topology);
            unchanged = Optional.empty();
            boolean fresh = kept.isEmpty();
            Optional<Topology> topology = fresh ? startupCheck(guarding, status, coordination, shared) : kept;
            // What the check ran on: it may have left out the dead master of another manager's failover.
            ApplicationConfig monitored = guarding.monitored();
            // A standby that came to lead during its check settles an unfinished record now, from that check.
            Optional<FailoverRecord> unfinished =
                    left.isEmpty() && fresh && !options.checkOnly() && coordination.isLeader()
                            ? shared.unfinished()
                            : left;
            if (unfinished.isPresent()) {
                Optional<String> refusal = shared.settle(
                        unfinished.get(),
                        topology,
                        lastCheck == null || lastCheck.isOk(),
                        lastCheck == null || lastCheck.errors().isEmpty()
                                ? "no check ran"
                                : lastCheck.errors().get(0).message());
                if (refusal.isPresent()) {
                    log.error(refusal.get());
                    return Optional.of(failed(
                            status,
                            config.server(unfinished.get().deadMaster())
                                    .map(ServerConfig::hostname)
                                    .orElse(unfinished.get().deadMaster()),
                            refusal.get()));
                }
            }
            if (topology.isEmpty()) {
                return Optional.of(
                        stopRequested.isDone() ? stopped() : new Result(1, "replication checks failed; see the log"));
            }
            if (options.checkOnly()) {
                return Optional.of(new Result(0, "checks passed (--check_only)"));
            }
            guarding.passed();
            if (coordination.isLeader()) {
                guarding.resume(server(topology.get().master()));
                // the guard pauses the moment the lead is lost, whatever the manager is doing then (once per lead)
                CompletableFuture<Void> lost = coordination.notLeading();
                if (lost != pauseOn) {
                    pauseOn = lost;
                    lost.thenRun(() -> guarding.pause("this manager no longer leads " + config.name()));
                }
            } else {
                guarding.pause("this manager does not lead " + config.name() + " (" + coordination.describe() + ")");
            }
            note.write(describe(topology.get(), guarding.guarded()), shared.roles());
            Optional<Verdict> dead =
                    monitorUntilDead(monitored, topology.get(), status, note, guarding, coordination, shared);
            if (dead.isEmpty()) {
                return stopRequested.isDone() ? Optional.of(stopped()) : Optional.empty();
            }
            if (options.monitorOnly()) {
                log.warn(
                        "Master {} is dead ({}); {}: no failover",
                        dead.get().master(),
                        dead.get().reason(),
                        wording.option("--monitor_only", "monitorOnly"));
                return Optional.of(new Result(0, "master " + dead.get().master() + " is dead (monitor only)"));
            }
            SharedFailover.Next next =
                    shared.decide(dead.get(), server(dead.get().server()), note);
            if (stopRequested.isDone()) {
                return Optional.of(stopped());
            }
            return switch (next) {
                case CHECK_AGAIN -> Optional.empty();
                case MONITOR_AGAIN -> {
                    unchanged = Optional.of(new Unchanged(topology.get(), shared.epoch(), coordination.isLeader()));
                    yield Optional.empty();
                }
                case FAIL_OVER ->
                    failover(monitored, topology.get(), dead.get(), status, antiFlap, guarding, shared, coordination);
            };
        }
    }

    private static String describe(Topology t, List<ServerConfig> guarded) {
        return "monitors master " + t.master().displayName() + " with replicas "
                + t.replicas().stream().map(ServerConfig::displayName).toList()
                + (guarded.isEmpty()
                        ? ""
                        : " and guards "
                                + guarded.stream()
                                        .map(ServerConfig::displayName)
                                        .toList());
    }

    /** check_repl at start, as MHA: refuse on errors, or retry after --wait_on_monitor_error. */
    private Optional<Topology> startupCheck(
            Guarding guarding, StatusFile status, Coordination coordination, SharedFailover shared) {
        while (!stopRequested.isDone()) {
            // one answer per check: the lead may change while it runs, and every decision below must agree
            boolean leading = coordination.isLeader();
            ReplicationHealth health = check.apply(guarding.monitored());
            lastCheck = health;
            events.accept(new ManagerEvent.Checked(clock.instant(), canonical(health)));
            for (Finding f : health.findings()) {
                switch (f.severity()) {
                    case ERROR -> log.error(f.message());
                    case WARNING -> log.warn(f.message());
                    default -> log.info(f.message());
                }
            }
            if (health.isOk() && health.topology().isPresent()) {
                log.info(
                        "Replication checks passed; master is {}",
                        health.topology().get().master().displayName());
                return health.topology();
            }
            Optional<Topology> diedUnled =
                    options.checkOnly() ? Optional.empty() : shared.diedWhileNobodyLed(health, leading);
            if (diedUnled.isPresent()) {
                return diedUnled;
            }
            if (guarding.leaveOutDeadMasterOf(coordination.lastFailover(), health)
                    || guarding.leaveOutFailingReplicas(health, leading)) {
                continue;
            }
            status.update(pid, ManagerStatus.CONFIG_ERROR, Optional.empty(), clock.instant());
            // A standby does not give up: what it saw may be the leader's failover half-way, and it may lead next.
            Duration retry = options.waitOnMonitorError().isZero() && !leading && !options.checkOnly()
                    ? STANDBY_RETRY
                    : options.waitOnMonitorError();
            if (retry.isZero()) {
                log.error(
                        "Error happened on checking configurations: {} error(s). Not starting.",
                        health.errors().size());
                return Optional.empty();
            }
            log.warn(
                    "Checks failed; retrying in {} s ({})",
                    retry.toSeconds(),
                    retry.equals(options.waitOnMonitorError())
                            ? wording.option("--wait_on_monitor_error", "retryChecksEvery")
                            : "this manager stands by: " + coordination.describe());
            status.update(pid, ManagerStatus.RETRYING_MONITOR, Optional.empty(), clock.instant());
            // A standby checks again at once when it comes to lead.
            if (stopWithin(retry, leading ? stopRequested : coordination.leading())) {
                break;
            }
        }
        return Optional.empty();
    }

    /**
     * Monitors until the master is dead (its verdict), a stop, a guarded server's rejoin, or the
     * loss of the lead (all three empty).
     */
    private Optional<Verdict> monitorUntilDead(
            ApplicationConfig monitored,
            Topology topology,
            StatusFile status,
            MonitoringNote note,
            Guarding guarding,
            Coordination coordination,
            SharedFailover shared) {
        String masterHost = topology.master().hostname();
        String masterBlock = topology.master().block();
        boolean leading = coordination.isLeader();
        if (leading) {
            coordination.watching(masterBlock);
        }
        AtomicReference<VerdictKind> seen = new AtomicReference<>(VerdictKind.ALIVE);
        AtomicReference<Optional<Instant>> lastOk = new AtomicReference<>(Optional.empty());
        AtomicReference<Instant> lastPing = new AtomicReference<>(clock.instant());
        // A monitor's last tick may still run as it closes: what it says then is not this session's news.
        AtomicBoolean live = new AtomicBoolean(true);
        MonitorListener statusWriter = new MonitorListener() {
            @Override
            public void onPing(PingOutcome o) {
                if (o.ok()) {
                    lastOk.set(Optional.of(o.at()));
                    status.update(pid, ManagerStatus.PING_OK, Optional.of(masterHost), clock.instant());
                    guarding.pinged(masterBlock);
                }
                lastPing.set(o.at());
                publish();
                note.write(describe(topology, guarding.guarded()), shared.roles());
            }

            /** What this manager sees, for the others: after each ping and each verdict. */
            private void publish() {
                coordination.publish(new ManagerView(
                        coordination.id(),
                        coordination.isLeader(),
                        masterBlock,
                        seen.get(),
                        lastPing.get(),
                        lastOk.get()));
            }

            @Override
            public void onVerdict(Verdict v) {
                seen.set(v.kind());
                // a monitor that stops on a verdict pings no more: its view must not stay ALIVE
                publish();
                if (live.get()) {
                    events.accept(new ManagerEvent.VerdictChanged(v.at(), canonical(v)));
                }
                ManagerStatus s = switch (v.kind()) {
                    case ALIVE -> ManagerStatus.PING_OK;
                    case FAILING, UNREACHABLE_BUT_REPLICATING -> ManagerStatus.PING_FAILING;
                    case DEAD -> ManagerStatus.PING_FAILED;
                };
                status.update(pid, s, Optional.of(masterHost), clock.instant());
            }
        };
        List<MonitorListener> all = new ArrayList<>(List.of(statusWriter));
        all.addAll(listeners);
        try (ClusterMonitor monitor = monitors.build(monitored, topology, shells, all)) {
            events.accept(new ManagerEvent.MonitoringStarted(
                    clock.instant(),
                    server(topology.master()),
                    topology.replicas().stream().map(this::server).toList(),
                    guarding.guarded()));
            try {
                monitor.start();
                if (config.value(Parameter.DATA_COMPENSATOR).equals("binlog")) {
                    CompensationWarmup.inBackground(); // the failover's text path compiled before it is needed
                }
                status.update(pid, ManagerStatus.PING_OK, Optional.of(masterHost), clock.instant());
                CompletableFuture.anyOf(
                                monitor.failoverVerdict(),
                                stopRequested,
                                guarding.rejoinSignal(),
                                leading ? coordination.notLeading() : coordination.leading())
                        .join();
                if (coordination.isLeader() != leading
                        && !stopRequested.isDone()
                        && !monitor.failoverVerdict().isDone()) {
                    if (leading) {
                        guarding.pause("this manager no longer leads " + config.name());
                    }
                    log.warn(
                            "{} the lead of {} ({}): checking the servers again",
                            leading ? "Lost" : "Took",
                            config.name(),
                            coordination.describe());
                    return Optional.empty();
                }
                return monitor.failoverVerdict().isDone() && !stopRequested.isDone()
                        ? Optional.of(monitor.failoverVerdict().join())
                        : Optional.empty();
            } finally {
                live.set(false);
            }
        }
    }

    /** Runs the failover; a result ends the manager, empty goes back to checking and monitoring. */
    private Optional<Result> failover(
            ApplicationConfig monitored,
            Topology topology,
            Verdict verdict,
            StatusFile status,
            FailoverGuard antiFlap,
            Guarding guarding,
            SharedFailover shared,
            Coordination coordination) {
        String masterHost = topology.master().hostname();
        String dead = verdict.master();
        log.warn("Master {} is dead: {}", dead, verdict.reason());
        ServerConfig deadServer = server(topology.master());
        events.accept(new ManagerEvent.FailoverStarted(clock.instant(), deadServer, canonical(verdict)));
        status.update(pid, ManagerStatus.FAILOVER_RUNNING, Optional.of(masterHost), clock.instant());
        Optional<String> waiver = guarding.waiverFor(topology.master());
        Optional<FailoverGuard.Block> blocked = antiFlap.block(
                        clock.instant(), options.lastFailoverMinute(), options.ignoreLastFailover(), waiver)
                .or(() -> shared.antiFlap(options, waiver, antiFlap, wording));
        if (blocked.isPresent()) {
            log.error(blocked.get().message());
            events.accept(new ManagerEvent.FailoverBlocked(clock.instant(), deadServer, blocked.get()));
            return Optional.of(failed(status, masterHost, blocked.get().message()));
        }
        Optional<AtomicReference<FailoverRecord>> record = shared.begin(deadServer);
        if (record.isEmpty()) {
            log.warn("Master {} is dead, but this manager no longer leads: the manager that leads now decides", dead);
            return Optional.empty();
        }
        FailoverReport report;
        try {
            report = failover.failover(monitored, topology, verdict, options, shells, shared.recording(record.get()));
        } catch (RuntimeException e) {
            if (shared.lostLead()) {
                return lostLeadMidway(dead, e.toString());
            }
            shared.end(record.get(), Optional.empty(), Optional.empty());
            log.error("Failover of {} failed: {}", dead, e.toString());
            antiFlap.markError(clock.instant(), e.toString());
            return Optional.of(failed(status, masterHost, e.getMessage()));
        }
        Optional<ServerConfig> promoted = report.newMaster().flatMap(this::serverNamed);
        events.accept(new ManagerEvent.FailoverEnded(clock.instant(), deadServer, promoted, report));
        if (!report.outcome().promoted() && shared.lostLead()) {
            return lostLeadMidway(dead, String.join("; ", report.errors()));
        }
        shared.end(record.get(), Optional.of(report), promoted.map(ServerConfig::block));
        switch (report.outcome()) {
            case REFUSED -> {
                if (!options.exitAfterFailover()) {
                    log.warn(
                            "Failover of {} was refused and nothing was changed ({}); monitoring again",
                            dead,
                            String.join("; ", report.errors()));
                    unchanged = Optional.of(new Unchanged(topology, shared.epoch(), coordination.isLeader()));
                    return Optional.empty();
                }
                antiFlap.markError(clock.instant(), "failover of " + dead + " refused");
                return Optional.of(failed(status, masterHost, "failover of " + dead + " refused"));
            }
            case FAILED -> {
                antiFlap.markError(clock.instant(), "failover of " + dead + " failed");
                return Optional.of(failed(status, masterHost, "failover of " + dead + " failed"));
            }
            default -> {
                antiFlap.markComplete(clock.instant());
                String done = "failover of " + dead + " " + ReportText.verdict(report);
                if (options.exitAfterFailover()) {
                    log.warn(
                            "--exit_after_failover: exiting; nothing guards {} any more: if it restarts writable it"
                                    + " takes writes until a human fences it",
                            dead);
                    return Optional.of(new Result(report.outcome().exitCode(), done));
                }
                releaseShell(topology.master());
                List<ServerConfig> guarded = guarding.after(report, clock.instant());
                log.info(
                        "Failover done; guarding {} until they replicate from {}; checking the new topology and"
                                + " monitoring again",
                        guarded.stream().map(ServerConfig::displayName).toList(),
                        report.newMaster().orElse("?"));
                return Optional.empty();
            }
        }
    }

    /**
     * A failover stopped because this manager lost the lead: not this manager's failure to flag (no
     * {@code failover.error}, no exit) — the manager that leads now finds the record unfinished and
     * settles it; this one checks and monitors again, standing by.
     */
    private Optional<Result> lostLeadMidway(String dead, String why) {
        log.warn(
                "The failover of {} stopped: this manager lost the lead ({}); the manager that leads now settles it",
                dead,
                why);
        return Optional.empty();
    }

    /**
     * Closes the old master's connection and the warm shell the monitor kept on it: the next monitor
     * warms the new master's host, and the old one may be gone for good. Kept when another server
     * shares its host and login; the guard opens a new one if it needs one.
     */
    private void releaseShell(ServerConfig oldMaster) {
        List<ServerConfig> staying = new ArrayList<>(config.servers());
        staying.addAll(config.binlogServers());
        if (shells.release(oldMaster, staying)) {
            log.info("{}: closed the SSH connection to its host (the old master's)", oldMaster.displayName());
        }
    }

    /** The whole configuration's server for one of a monitored (rebuilt) configuration's: one object per server. */
    private ServerConfig server(ServerConfig s) {
        return config.server(s.block()).orElse(s);
    }

    private Verdict canonical(Verdict v) {
        return new Verdict(v.kind(), server(v.server()), v.at(), v.failedPings(), v.reason(), v.evidence());
    }

    private ReplicationHealth canonical(ReplicationHealth h) {
        return new ReplicationHealth(
                h.topology()
                        .map(t -> new Topology(
                                server(t.master()),
                                t.replicas().stream().map(this::server).toList(),
                                t.unreachable().stream().map(this::server).toList(),
                                t.states())),
                h.findings(),
                h.took());
    }

    private Optional<ServerConfig> serverNamed(String displayName) {
        return config.servers().stream()
                .filter(s -> s.displayName().equals(displayName))
                .findFirst();
    }

    private Result failed(StatusFile status, String masterHost, String why) {
        status.update(pid, ManagerStatus.FAILOVER_ERROR, Optional.of(masterHost), clock.instant());
        if (!options.waitOnFailoverError().isZero()) {
            log.info(
                    "Waiting for {} seconds for error exit..",
                    options.waitOnFailoverError().toSeconds());
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
        return stopWithin(d, stopRequested);
    }

    /** Waits up to {@code d} for a stop request or {@code wake}; true if stopped. */
    private boolean stopWithin(Duration d, CompletableFuture<?> wake) {
        try {
            CompletableFuture.anyOf(stopRequested, wake).get(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // a while passed, or wake failed: the caller looks again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
        return stopRequested.isDone();
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create manager_workdir " + dir, e);
        }
    }

    /**
     * Builds a manager; defaults are {@link ManagerOptions#DEFAULTS} (MHA's options, staying up after
     * a failover) and {@link FailoverAction#standard()}, which publishes its phases to {@link Builder#events}.
     */
    public static final class Builder {
        private final ApplicationConfig config;
        private ManagerOptions options = ManagerOptions.DEFAULTS;
        private Clock clock = Clock.systemUTC();
        private FailoverAction failover;
        private RemoteShells shells;
        private final List<MonitorListener> listeners = new ArrayList<>();
        private final List<Consumer<GuardEvent>> guardListeners = new ArrayList<>();
        private Consumer<ManagerEvent> events = e -> {};
        private FailoverGuard.Wording wording = FailoverGuard.Wording.COMMAND_LINE;
        private Function<ApplicationConfig, ReplicationHealth> check;
        private Monitors monitors = Monitors.STANDARD;

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

        /** Receives every event of the guard of old masters and unrecovered replicas; one that throws is ignored. */
        public Builder guardListener(Consumer<GuardEvent> listener) {
            guardListeners.add(listener);
            return this;
        }

        /**
         * Receives every {@link ManagerEvent} on the thread that publishes it (the manager's, the
         * monitor's, the guard's, the failover's), in the order of the facts: it must return at once,
         * or it delays monitoring and the failover. What it throws is logged and ignored: an observer
         * never stops a failover (FailoverStarted is told just before it). With the standard failover
         * the phases and {@link ManagerEvent.MasterChanged} are published too. {@link MhaManager}
         * queues them for its listeners; the command line's health endpoints read them.
         */
        public Builder events(ManagerListener listener) {
            Objects.requireNonNull(listener, "listener");
            this.events = event -> {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    log.error("{}: a listener failed on {}; ignored", config.name(), event, e);
                }
            };
            return this;
        }

        /** Whom refusals and option names speak to (default: the command line). */
        Builder wording(FailoverGuard.Wording wording) {
            this.wording = wording;
            return this;
        }

        /** Replaces the start-up check of replication (tests). */
        Builder startupCheck(Function<ApplicationConfig, ReplicationHealth> check) {
            this.check = check;
            return this;
        }

        /** Replaces how monitors are built (tests). */
        Builder monitors(Monitors monitors) {
            this.monitors = monitors;
            return this;
        }

        public Supervisor build() {
            return new Supervisor(this);
        }
    }
}
