package io.mha4j.samples.cli;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.Secret;
import io.mha4j.config.ServerConfig;
import io.mha4j.datasource.DataSourceSettings;
import io.mha4j.datasource.TopologyDataSources;
import io.mha4j.guard.GuardEvent;
import io.mha4j.manager.ManagerEvent;
import io.mha4j.manager.MhaManager;
import io.mha4j.monitor.MonitorListener;
import io.mha4j.monitor.PingOutcome;
import io.mha4j.testkit.Endpoint;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.WritableWatch;
import io.mha4j.testkit.WriteLedger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chaos trial's world: a fresh sandbox whose servers start writable (as production
 * {@code my.cnf} files have them), the application (a {@link WriteLedger} writing to the master it
 * was told of: node1, then whichever master a failover activates, as a virtual IP would move; an
 * open connection is kept until it fails, as a pool keeps it — or, for a plan {@link
 * FaultPlan#throughDataSource()}, through mha4j-datasource's writer following the manager's events),
 * the {@link WritableWatch}, and the manager as users embed it ({@link MhaManager} with the default
 * options, over SSH) in its own thread. The
 * fault's timeline ({@link ChaosScript}) acts on it; {@link #finish()} ends the load and the
 * manager (asked to stop, so a manager that stays up after a failover is ended the same way as
 * one that exited) and hands the end state to {@link ChaosInvariants}.
 */
final class ChaosTrial implements AutoCloseable {
    static final Duration FAILOVER_WAIT = Duration.ofSeconds(90);
    private static final Duration START_WAIT = Duration.ofSeconds(60);
    private static final Duration MANAGER_STOP_WAIT = Duration.ofSeconds(60);
    private static final Logger log = LoggerFactory.getLogger(ChaosTrial.class);

    final FaultPlan plan;
    final ChaosSettings settings;
    final ChaosNetwork network;
    final Path dir;
    private final CountDownLatch aborted = new CountDownLatch(1);
    private final CompletableFuture<Void> managerWatching = new CompletableFuture<>();
    private final List<GuardEvent> guardEvents = new CopyOnWriteArrayList<>();
    /** A silence on a server's socket this long is a restart (or freeze) that it returned from. */
    private static final Duration RETURN_GAP = Duration.ofMillis(500);
    /** The watch's round: a return within a round counts for it. */
    private static final Duration ROUND = Duration.ofMillis(100);

    private SandboxCluster cluster;
    private WriteLedger ledger;
    private WritableWatch watch;
    private ChaosObserver observer;
    private TopologyDataSources dataSources;
    private MhaManager mhaManager;
    private CompletableFuture<ManagerEvent.Stopped> manager;
    private volatile SandboxNode applicationTarget;
    private volatile long faultNanos;
    private volatile long strikeNanos;
    private volatile long watchEnd;
    private volatile boolean managerEndedOnItsOwn;

    ChaosTrial(FaultPlan plan, ChaosSettings settings, ChaosNetwork network, Path dir) {
        this.plan = plan;
        this.settings = settings;
        this.network = network;
        this.dir = dir;
    }

    /** Starts the sandbox, the watch, the manager, then the write load; returns once the manager pings and writes flow. */
    void start() throws IOException {
        Files.createDirectories(dir.resolve("remote"));
        cluster = SandboxCluster.builder()
                .nodes(settings.nodes())
                .startsReadOnly(false)
                .placement(network.placement())
                .serverOptions("--slave-net-timeout=" + settings.slaveNetTimeout())
                .start();
        applicationTarget = cluster.node(1);
        watch = WritableWatch.start(cluster.nodes());
        ApplicationConfig config = network.config(cluster, dir, settings.pingInterval());
        if (plan.powerSwitch()) {
            config = config.toBuilder()
                    .set(
                            Parameter.SHUTDOWN_SCRIPT,
                            PowerSwitch.write(cluster, dir).toString())
                    .build();
        }
        observer = new ChaosObserver(this::follow);
        // The manager as users run it now: it stays up after a failover and guards the old master.
        MhaManager.Builder m = MhaManager.builder(config)
                .workdir(dir)
                .hook(observer)
                .listener(event -> {
                    if (event instanceof ManagerEvent.GuardActed acted) {
                        guardEvents.add(acted.event());
                    }
                })
                .monitorListener(new MonitorListener() {
                    @Override
                    public void onPing(PingOutcome outcome) {
                        if (outcome.ok()) {
                            managerWatching.complete(null);
                        }
                    }
                });
        WriteLedger.Builder app;
        if (plan.throughDataSource()) {
            dataSources = TopologyDataSources.builder(config)
                    .settings(DataSourceSettings.builder()
                            .credentials(
                                    SandboxCredentials.APPLICATION.user(),
                                    Secret.of(SandboxCredentials.APPLICATION.password()))
                            .connectionTimeout(Duration.ofSeconds(5))
                            .build())
                    .build();
            m = dataSources.bind(m);
            app = WriteLedger.builder(dataSources.writer());
        } else {
            app = WriteLedger.builder(() -> applicationTarget.endpoint())
                    .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
            network.applicationAddress().ifPresent(app::localAddress);
        }
        ledger = app.writer("chaos").build();
        mhaManager = m.build();
        manager = mhaManager.termination();
        mhaManager.start();
        awaitManagerWatching();
        ledger.start(100_000_000L, Duration.ofSeconds(settings.trialBudgetSeconds()));
        Awaitility.await("the application's first writes")
                .atMost(START_WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> ledger.acknowledged().size() >= 20);
    }

    private void awaitManagerWatching() {
        try {
            if (!completesWithin(CompletableFuture.anyOf(managerWatching, manager), START_WAIT)) {
                throw new IllegalStateException("the manager did not ping the master within " + START_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (!managerWatching.isDone()) {
            throw new IllegalStateException("the manager ended at start: "
                    + manager.handle((r, e) -> e != null ? e.toString() : r.summary())
                            .join());
        }
    }

    /** The application follows the master a failover activates, as a virtual IP or a proxy would. */
    private void follow(ServerConfig newMaster) {
        node(newMaster).ifPresent(n -> {
            applicationTarget = n;
            log.info("chaos: the application now writes to {}", n);
        });
    }

    Optional<SandboxNode> node(ServerConfig server) {
        return cluster.nodes().stream()
                .filter(n -> n.host().equals(server.hostname()) && n.port() == server.port())
                .findFirst();
    }

    SandboxCluster cluster() {
        return cluster;
    }

    WriteLedger ledger() {
        return ledger;
    }

    WritableWatch watch() {
        return watch;
    }

    /** What the manager's guard did to returning servers, in order. */
    List<GuardEvent> guardEvents() {
        return guardEvents;
    }

    ChaosObserver observer() {
        return observer;
    }

    /** The first action of the fault: dual-writable rounds count from here. */
    void markFault() {
        if (faultNanos == 0) {
            faultNanos = System.nanoTime();
        }
    }

    /** The moment the master was hit (killed, stopped, paused, cut): promotion is measured from here. */
    void markStrike() {
        markFault();
        strikeNanos = System.nanoTime();
    }

    long faultNanos() {
        return faultNanos;
    }

    long strikeNanos() {
        return strikeNanos;
    }

    /** Waits {@code d} unless the trial is aborted (a stuck trial); then throws. */
    void hold(Duration d) throws InterruptedException {
        if (aborted.await(d.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new InterruptedException("trial aborted");
        }
    }

    /** Waits, at most {@code limit}, for the first failover's report or the manager's exit; true if either came. */
    boolean awaitFailoverOrExit(Duration limit) throws InterruptedException {
        return completesWithin(CompletableFuture.anyOf(observer.firstReport(), manager), limit);
    }

    /** Whether {@code f} completes (normally or not) within {@code limit}. */
    private static boolean completesWithin(CompletableFuture<?> f, Duration limit) throws InterruptedException {
        try {
            f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    /** Waits for a failover that began to end (bounded); returns at once when none began. */
    void awaitFailoverIfBegun() throws InterruptedException {
        if (observer.began().isPresent()) {
            awaitFailoverOrExit(FAILOVER_WAIT);
        }
    }

    /** Ends the fault's effects, the load and the manager. Returns the manager's result, or why there is none. */
    String finish() {
        long stopped = System.nanoTime();
        managerEndedOnItsOwn = manager.isDone();
        ledger.stop();
        network.heal();
        cluster.nodes().stream().filter(SandboxNode::isPaused).forEach(SandboxNode::resume);
        mhaManager.stop();
        String result;
        try {
            ManagerEvent.Stopped r = manager.get(MANAGER_STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
            result = "manager exit " + r.exitCode() + " (" + r.summary() + ")";
        } catch (TimeoutException e) {
            result = "MANAGER DID NOT STOP within " + MANAGER_STOP_WAIT.toSeconds() + " s of being asked";
        } catch (ExecutionException e) {
            result = "manager threw " + e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = "interrupted while stopping the manager";
        }
        watchEnd = stopped;
        return result;
    }

    /** Whether the manager had ended before the trial asked it to stop: it is meant to stay up and guard. */
    boolean managerEndedOnItsOwn() {
        return managerEndedOnItsOwn;
    }

    /**
     * Dual-writable rounds from the fault's first action until the trial's end, but for those in
     * the guard's window ({@link #guardWindowRounds()}).
     */
    long dualWritableRounds() {
        return duringTrial().filter(d -> !inGuardWindow(d)).count();
    }

    /**
     * Dual-writable rounds in which every writable server but one had answered again (restarted)
     * at most one {@code ping_interval} earlier: a server whose own configuration starts it
     * writable is writable until its guard reaches it, which the guard bounds by a ping interval
     * (issue 11, item 1) and nothing outside the server can make shorter. Counted apart, not as a
     * violation.
     */
    long guardWindowRounds() {
        return duringTrial().filter(this::inGuardWindow).count();
    }

    private java.util.stream.Stream<WritableWatch.DualWritable> duringTrial() {
        long from = faultNanos == 0 ? watchEnd : faultNanos;
        return watch.dualWritable().stream()
                .filter(d -> d.nanoTime() - from >= 0 && (watchEnd == 0 || d.nanoTime() - watchEnd < 0));
    }

    private boolean inGuardWindow(WritableWatch.DualWritable d) {
        long window = Duration.ofSeconds(settings.pingInterval()).toNanos();
        long returned = d.nodes().stream()
                .map(this::nodeNamed)
                .flatMap(Optional::stream)
                .filter(n -> watch.answeredAgain(n, d.nanoTime() + ROUND.toNanos(), RETURN_GAP).stream()
                        .anyMatch(at -> d.nanoTime() - at <= window))
                .count();
        return returned >= d.nodes().size() - 1;
    }

    private Optional<SandboxNode> nodeNamed(String name) {
        return cluster.nodes().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** Whether the manager is still running (a stuck one blocks the next trial). */
    boolean managerRunning() {
        return manager != null && !manager.isDone();
    }

    /** Waits at most {@code d} for the manager's thread to end; true if it did (or never started). */
    boolean awaitManagerEnd(Duration d) {
        try {
            return manager == null || completesWithin(manager, d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return manager.isDone();
        }
    }

    /** Stops everything now: for a stuck trial, from another thread. */
    void abort() {
        aborted.countDown();
        if (mhaManager != null) {
            mhaManager.stop();
        }
        close();
    }

    Endpoint applicationTarget() {
        return applicationTarget.endpoint();
    }

    @Override
    public synchronized void close() {
        if (ledger != null) {
            ledger.close();
        }
        if (watch != null) {
            watch.close();
        }
        if (dataSources != null) {
            dataSources.close();
        }
        network.heal();
        if (cluster != null) {
            cluster.close();
        }
    }
}
