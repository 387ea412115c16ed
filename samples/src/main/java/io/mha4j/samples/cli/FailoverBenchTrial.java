package io.mha4j.samples.cli;

import io.mha4j.samples.cli.FailoverBenchSettings.Configuration;
import io.mha4j.samples.cli.PromotionProbe.Promotion;
import io.mha4j.testkit.Endpoint;
import io.mha4j.testkit.OpenSshServer;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.WriteLedger;
import io.mha4j.time.Scheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One trial of {@code bench failover}, the same for every tool: a fresh sandbox; the trial's own
 * sshd with the configuration's login shell (unless {@code remote_shell=local}); the manager
 * started as users start it and left alone; the application (a {@link WriteLedger} as the sandbox's
 * application user) writing single-row transactions to the master; with a tail, the replicas' IO
 * threads stopped that long before the kill, so the dead master alone holds what was written
 * meanwhile; kill -9 of the master's mariadbd at a random point of the ping cycle. From the kill,
 * the {@link PromotionProbe} times the promotion and the convergence from outside; the application
 * then follows the new master (as a virtual IP would move), writes 20 more rows, and its ledger is
 * verified on every survivor, checksums included.
 */
final class FailoverBenchTrial {
    /** MHA's start-up checks run dozens of SSH commands: with a one-second shell, a minute or more. */
    private static final Duration START_WAIT = Duration.ofSeconds(300);

    private static final Duration FAILOVER_WAIT = Duration.ofSeconds(120);
    private static final Duration SETTLE_WAIT = Duration.ofSeconds(60);
    /** The replicas applying a filled binary log: 1 GiB of one-row statements takes minutes. */
    private static final Duration FILL_WAIT = Duration.ofMinutes(15);
    /**
     * How long the manager monitors before the fault: a production manager has monitored for hours,
     * its start-up work (connections, MHA's checks, mha4j's warm shell) long over. Timed from its
     * first ping; for MHA, from its "waiting until MySQL doesn't respond" line.
     */
    static final Duration STEADY = Duration.ofSeconds(3);

    private static final int WRITES_BEFORE = 50;
    private static final int WRITES_AFTER = 20;

    private final int number;
    private final BenchTool tool;
    private final Configuration configuration;
    private final FailoverBenchSettings settings;
    private final Path dir;
    private final Optional<MhaInstallation> mha;
    private final List<String> notes = new ArrayList<>();
    private volatile SandboxNode applicationTarget;
    private long killOffsetMs = -1;
    private long detectionMs = -1;
    private long promotionMs = -1;
    private long convergenceMs = -1;
    private String newMaster = "-";
    private int acknowledged;
    private int tailWrites;
    private int lost = -1;
    private String checksums = "-";
    private String outcome = "ERROR";

    FailoverBenchTrial(
            int number,
            BenchTool tool,
            Configuration configuration,
            FailoverBenchSettings settings,
            Path dir,
            Optional<MhaInstallation> mha) {
        this.number = number;
        this.tool = tool;
        this.configuration = configuration;
        this.settings = settings;
        this.dir = dir;
        this.mha = mha;
    }

    FailoverBenchResult run() {
        long started = System.nanoTime();
        try {
            RawLines.createTrialDirectory(dir);
            body();
        } catch (Exception e) {
            outcome = "ERROR";
            notes.add(e.toString());
        }
        return new FailoverBenchResult(
                number,
                tool,
                configuration,
                settings.overSsh(),
                settings.pingInterval(),
                killOffsetMs,
                detectionMs,
                promotionMs,
                convergenceMs,
                newMaster,
                acknowledged,
                tailWrites,
                lost,
                checksums,
                outcome,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
                String.join("; ", notes));
    }

    private void body() throws Exception {
        int nodes = configuration.nodes();
        try (SandboxCluster cluster = SandboxCluster.builder().nodes(nodes).start();
                OpenSshServer sshd = settings.overSsh() ? sshd() : null;
                ManagerUnderTest manager = manager(cluster, sshd);
                WriteLedger ledger = WriteLedger.builder(this::application)
                        .writer("bench")
                        .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                        .writesPerSecond(settings.writeRate())
                        .build();
                PromotionProbe probe = new PromotionProbe(cluster.nodes().subList(1, nodes));
                Scheduler timer = Scheduler.system("mha4j-bench-kill")) {
            SandboxNode master = cluster.node(1);
            applicationTarget = master;
            PromotionProbe.prepare(master);
            if (settings.binlogMb() > 0) {
                long started = System.nanoTime();
                long statements = master.fillBinaryLog(settings.binlogMb());
                cluster.awaitReplicasCaughtUp(FILL_WAIT);
                notes.add("binary log filled with " + statements + " statements (" + settings.binlogMb() + " MB) in "
                        + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + " s");
            }
            cluster.awaitReplicasCaughtUp(SETTLE_WAIT);
            manager.start();
            manager.awaitMonitoring(START_WAIT);
            long steadyFrom = System.nanoTime() + STEADY.toNanos();
            ledger.start(100_000_000L, Duration.ofMinutes(30));
            TrialLedger.awaitWrites(ledger, WRITES_BEFORE, "the application's first writes", SETTLE_WAIT);
            long kill = kill(cluster, ledger, timer, steadyFrom);
            Optional<Promotion> promotion = probe.awaitPromotion(FAILOVER_WAIT);
            if (promotion.isEmpty()) {
                outcome = "NO_PROMOTION";
                notes.add("no INSERT succeeded on a survivor within " + FAILOVER_WAIT.toSeconds() + " s of the kill");
                notes.add(manager.finish(Duration.ofSeconds(5)));
                detected(manager, kill);
                return;
            }
            Promotion p = promotion.get();
            promotionMs = ms(p.nanos() - kill);
            newMaster = p.node().name();
            applicationTarget = p.node();
            Optional<Long> converged = probe.awaitConvergence(p, FAILOVER_WAIT);
            converged.ifPresent(at -> convergenceMs = ms(at - kill));
            TrialLedger.awaitWrites(
                    ledger, ledger.acknowledged().size() + WRITES_AFTER, "writes on the new master", SETTLE_WAIT);
            ledger.stop();
            notes.add(manager.finish(SETTLE_WAIT));
            detected(manager, kill);
            TrialLedger.Verified v = TrialLedger.verify(
                    cluster, ledger, p.node(), cluster.nodes().subList(1, configuration.nodes()), SETTLE_WAIT);
            acknowledged = v.acknowledged();
            lost = v.lost();
            checksums = v.checksums();
            outcome = converged.isEmpty() ? "NOT_CONVERGED" : v.ok() ? "ok" : "LOST";
        }
    }

    /**
     * Once the manager has monitored for {@link #STEADY}, stops the replicas' IO threads for the tail,
     * then kills the master at a random point of the ping cycle.
     */
    private long kill(SandboxCluster cluster, WriteLedger ledger, Scheduler timer, long steadyFrom) throws Exception {
        KillTiming.awaitSteady(timer, steadyFrom);
        long lastBeforeTail = 0;
        if (configuration.tailSeconds() > 0) {
            cluster.nodes().subList(1, configuration.nodes()).forEach(SandboxNode::stopReplicaIoThread);
            lastBeforeTail = ledger.acknowledged().last();
        }
        killOffsetMs = KillTiming.randomOffsetMs(settings.pingInterval());
        long at = KillTiming.killAfter(
                timer,
                Duration.ofMillis(configuration.tailSeconds() * 1000L + killOffsetMs),
                () -> cluster.node(1).kill());
        if (configuration.tailSeconds() > 0) {
            tailWrites = ledger.acknowledged().tailSet(lastBeforeTail + 1).size();
        }
        return at;
    }

    private void detected(ManagerUnderTest manager, long kill) {
        manager.declaredDead().ifPresent(at -> detectionMs = ms(at - kill));
    }

    private OpenSshServer sshd() {
        HostShell shell = configuration.shell().orElseThrow();
        OpenSshServer.Builder b =
                OpenSshServer.builder().loginShell(shell.loginShell).userHome(shell.userHome);
        if (tool == BenchTool.MHA) {
            MhaUnderTest.sessionEnvironment(mha.orElseThrow(), dir).forEach(b::environment);
        }
        return b.start();
    }

    private ManagerUnderTest manager(SandboxCluster cluster, OpenSshServer sshd) {
        return switch (tool) {
            case MHA4J ->
                new Mha4jUnderTest(
                        cluster, Optional.ofNullable(sshd), dir, settings.pingInterval(), settings.mergeRecovered());
            case MHA -> new MhaUnderTest(mha.orElseThrow(), cluster, sshd, dir, settings.pingInterval());
        };
    }

    /** Where the application writes: the master it was given, then the one the probe found writable. */
    private Endpoint application() {
        return applicationTarget.endpoint();
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
