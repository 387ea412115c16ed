package io.mha4j.internal.monitor;

import io.mha4j.ClusterMonitor;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.internal.concurrent.NamedDaemonThreads;
import io.mha4j.monitor.Evidence;
import io.mha4j.monitor.FailoverTrigger;
import io.mha4j.monitor.MonitorListener;
import io.mha4j.monitor.MonitorProbes;
import io.mha4j.monitor.PingOutcome;
import io.mha4j.monitor.Verdict;
import io.mha4j.monitor.VerdictKind;
import io.mha4j.remote.RemoteShells;
import io.mha4j.server.SqlFailure;
import io.mha4j.time.Cancellable;
import io.mha4j.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ClusterMonitor}: MHA's health check loop ({@code MHA::HealthCheck}) on a
 * {@link Scheduler}. Each tick pings the master once; pings start {@code ping_interval} apart
 * (start to start, as MHA's {@code sleep_until}). From the first failed ping on, every failed
 * ping reads the replicas (in parallel, bounded) and the slow opinions run in the background;
 * {@link DeathRule} turns the count and the evidence into a verdict. A ping that succeeds ends
 * the failure: the count resets, the verdict is ALIVE again.
 *
 * <p>Threads: ticks run on the scheduler's thread; reads of replicas, SSH and the secondary check
 * run on a small pool of daemon threads {@code mha4j-monitor-<app>-probe-N} that exist only
 * while there is work (none while the master is healthy).
 */
public final class MasterHealthCheck implements ClusterMonitor {
    private static final Logger log = LoggerFactory.getLogger(MasterHealthCheck.class);

    /** What the builder settled. */
    public record Settings(
            ApplicationConfig config,
            ServerConfig master,
            List<ServerConfig> replicas,
            Duration pingInterval,
            FailoverTrigger trigger,
            List<MonitorListener> listeners) {}

    private final Settings settings;
    /** As the logs name it. */
    private final String master;

    private final Scheduler scheduler;
    private final boolean ownScheduler;
    private final RemoteShells ownShells;
    private final MonitorProbes probes;
    private final Clock clock;
    private final DeathRule rule;
    private final ThreadPoolExecutor pool;
    private final List<MonitorListener> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Verdict> failover = new CompletableFuture<>();
    private final Duration sshWait;
    private final Duration fastReplicaWait;
    private final Duration judgementReplicaWait;
    private volatile Verdict current;
    private volatile Cancellable next;
    private volatile boolean stopped;
    private boolean started;
    private boolean closed;
    private FailingWindow window;
    private boolean pinged;

    /**
     * @param scheduler null: a system scheduler of its own
     * @param shells null: the application's {@code remote_shell}, opened here and closed with the monitor
     * @param probes null: {@link StandardProbes}
     */
    public MasterHealthCheck(Settings settings, Scheduler scheduler, RemoteShells shells, MonitorProbes probes) {
        this.settings = settings;
        ApplicationConfig config = settings.config();
        this.master = settings.master().displayName();
        this.ownScheduler = scheduler == null;
        this.scheduler = ownScheduler ? Scheduler.system("mha4j-monitor-" + config.name()) : scheduler;
        this.clock = this.scheduler.clock();
        if (probes == null) {
            this.ownShells = shells == null ? RemoteShells.forApplication(config) : null;
            this.probes = new StandardProbes(
                    config, settings.master(), settings.pingInterval(), shells == null ? ownShells : shells, clock);
        } else {
            this.ownShells = null;
            this.probes = probes;
        }
        this.rule = new DeathRule(config.pingFailureLimit(), config.fastFailureDetection());
        int threads = settings.replicas().size() + 2;
        this.pool = new ThreadPoolExecutor(
                threads,
                threads,
                30,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                new NamedDaemonThreads("mha4j-monitor-" + config.name() + "-probe"));
        pool.allowCoreThreadTimeOut(true);
        this.sshWait = settings.master().sshConnectionTimeout().multipliedBy(2).plusSeconds(1);
        this.fastReplicaWait = config.value(Parameter.REPLICA_READ_TIMEOUT);
        Duration interval = settings.pingInterval();
        Duration judgement = interval.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : interval;
        this.judgementReplicaWait = judgement.compareTo(fastReplicaWait) < 0 ? fastReplicaWait : judgement;
        this.listeners.addAll(settings.listeners());
        this.current =
                new Verdict(VerdictKind.ALIVE, settings.master(), clock.instant(), 0, "not pinged yet", Evidence.NONE);
    }

    @Override
    public synchronized void start() {
        if (closed || started) {
            throw new IllegalStateException(master + ": the monitor was " + (closed ? "closed" : "started already"));
        }
        started = true;
        ApplicationConfig config = settings.config();
        log.info(
                "{}: monitoring every {} ms with ping_type={}, ping_failure_limit={}, fast_failure_detection={},"
                        + " {} replica(s) as second opinion",
                master,
                settings.pingInterval().toMillis(),
                config.pingType(),
                rule.limit(),
                config.fastFailureDetection() ? 1 : 0,
                settings.replicas().size());
        if (config.secondaryCheckScript().isEmpty()) {
            log.warn(
                    "{}: secondary_check_script is not defined. It is highly recommended setting it to check master"
                            + " reachability from two or more routes.",
                    master);
        }
        next = scheduler.schedule(this::tick, Duration.ZERO);
    }

    @Override
    public Verdict currentVerdict() {
        return current;
    }

    @Override
    public CompletableFuture<Verdict> failoverVerdict() {
        return failover;
    }

    @Override
    public void addListener(MonitorListener listener) {
        listeners.add(listener);
    }

    private void tick() {
        if (stopped || isClosed()) {
            return;
        }
        Instant start = clock.instant();
        try {
            PingOutcome outcome = ping();
            each(l -> l.onPing(outcome), "onPing");
            if (outcome.ok()) {
                alive(outcome);
            } else if (outcome.aliveButRefusing()) {
                log.info(
                        "{}: Got MySQL error {}, but this is not a MySQL crash. Continue health check..",
                        master,
                        outcome.errorCode().getAsInt());
            } else {
                failing(outcome);
            }
        } catch (RuntimeException e) {
            log.error("{}: a health check tick failed; the next one runs as planned", master, e);
        } finally {
            scheduleNext(start);
        }
    }

    private PingOutcome ping() {
        try {
            return probes.ping();
        } catch (RuntimeException e) {
            return new PingOutcome(
                    clock.instant(),
                    false,
                    Optional.of(SqlFailure.Kind.OTHER),
                    "the ping failed unexpectedly: " + e,
                    Duration.ZERO);
        }
    }

    private void alive(PingOutcome outcome) {
        if (window != null) {
            log.info(
                    "{}: ping({}) succeeded again after {} failed ping(s)",
                    master,
                    settings.config().pingType(),
                    window.failedPings());
            window.close();
            window = null;
        } else if (!pinged) {
            log.info(
                    "{}: Ping({}) succeeded, waiting until MySQL doesn't respond..",
                    master,
                    settings.config().pingType());
        }
        pinged = true;
        publish(new Verdict(VerdictKind.ALIVE, settings.master(), outcome.at(), 0, outcome.detail(), Evidence.NONE));
    }

    private void failing(PingOutcome outcome) {
        pinged = true;
        if (window == null) {
            window = new FailingWindow(
                    pool, probes, settings.replicas(), settings.pingInterval().multipliedBy(rule.limit()));
        }
        window.failed(outcome);
        int failed = window.failedPings();
        log.debug(
                "{}: ping({}) failed {} time(s) in a row: {}",
                master,
                settings.config().pingType(),
                failed,
                outcome.detail());
        boolean judging = failed >= rule.limit();
        // Before the judgement replicas serve the fast path, which must not wait for a frozen one;
        // the judgement waits for SSH anyway, so slower replicas may answer meanwhile.
        Evidence evidence = window.evidence(
                clock.instant(),
                judging ? judgementReplicaWait : fastReplicaWait,
                judging ? sshWait : Duration.ZERO,
                judging ? StandardProbes.SECONDARY_CHECK_TIMEOUT.plusSeconds(1) : Duration.ZERO);
        DeathRule.Decision d = rule.decide(failed, evidence);
        if (judging && d.kind() != VerdictKind.DEAD) {
            window.restartOpinions();
        }
        publish(new Verdict(d.kind(), settings.master(), clock.instant(), failed, d.reason(), evidence));
    }

    /** Records a verdict; tells listeners and the log when it differs from the last one. */
    private void publish(Verdict v) {
        Verdict previous = current;
        current = v;
        if (previous.kind() == v.kind()
                && previous.failedPings() == v.failedPings()
                && previous.reason().equals(v.reason())) {
            return;
        }
        // One line per change of kind, and per failed ping until the judgement (MHA logs each failed connect).
        if (previous.kind() != v.kind() || (v.kind() != VerdictKind.ALIVE && v.failedPings() <= rule.limit())) {
            switch (v.kind()) {
                case ALIVE -> log.info("{}: ALIVE: {}", master, v.reason());
                case FAILING -> log.warn("{}: FAILING: {}", master, v.reason());
                case UNREACHABLE_BUT_REPLICATING ->
                    log.warn(
                            "{}: UNREACHABLE BUT ALIVE: {}. Check the network" + " between the manager and the master.",
                            master,
                            v.reason());
                case DEAD -> log.warn("{}: DEAD: {}", master, v.reason());
            }
        }
        each(l -> l.onVerdict(v), "onVerdict");
        if (accepted(v)) {
            stopped = true;
            log.info("{}: the failover trigger accepts the {} verdict; monitoring stops", master, v.kind());
            if (window != null) {
                window.close();
            }
            failover.complete(v);
        }
    }

    private boolean accepted(Verdict v) {
        try {
            return settings.trigger().shouldFailover(v);
        } catch (RuntimeException e) {
            log.error("{}: failover trigger {} failed on {}; taken as no", master, settings.trigger(), v, e);
            return false;
        }
    }

    private void each(Consumer<MonitorListener> call, String what) {
        for (MonitorListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                log.warn("{}: listener {} failed in {}; ignored", master, l, what, e);
            }
        }
    }

    private void scheduleNext(Instant start) {
        if (stopped || isClosed()) {
            return;
        }
        Duration delay = settings.pingInterval().minus(Duration.between(start, clock.instant()));
        next = scheduler.schedule(this::tick, delay.isNegative() ? Duration.ZERO : delay);
        if (isClosed()) {
            next.cancel();
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        stopped = true;
        Cancellable n = next;
        if (n != null) {
            n.cancel();
        }
        failover.cancel(false);
        pool.shutdownNow();
        probes.close();
        if (ownShells != null) {
            ownShells.close();
        }
        if (ownScheduler) {
            scheduler.close();
        }
        log.info("{}: monitoring closed", master);
    }

    @Override
    public String toString() {
        return "ClusterMonitor[" + master + ", " + current.kind() + "]";
    }
}
