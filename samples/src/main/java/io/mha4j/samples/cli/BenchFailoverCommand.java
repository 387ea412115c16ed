package io.mha4j.samples.cli;

import io.mha4j.ClusterMonitor;
import io.mha4j.FailoverHook;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.failover.FailoverContext;
import io.mha4j.failover.FailoverPhase;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.MasterFailover;
import io.mha4j.monitor.Verdict;
import io.mha4j.testkit.LedgerReport;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.WriteLedger;
import io.mha4j.time.Scheduler;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Failover under load: a fresh sandbox per trial, the ledger writing to the master, the
 * monitor pinging every {@code ping_interval}, kill -9 of the master's mysqld at a random moment;
 * then, from the kill: the DEAD verdict (detection), the new master writable (promotion), every
 * replica replicating from it (convergence), and the acknowledged writes missing afterwards.
 * Bounded in trials and time; prints numbers, asserts nothing.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
        description = "kill -9 the master under ledger load; time detection, promotion, convergence; count lost writes.")
final class BenchFailoverCommand implements Callable<Integer> {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Option(names = "--trials", defaultValue = "20", description = "trials per cluster size (default: ${DEFAULT-VALUE})")
    int trials;

    @Option(names = "--nodes", split = ",", defaultValue = "3,5", description = "cluster sizes (default: ${DEFAULT-VALUE})")
    List<Integer> sizes;

    @Option(names = "--ping_interval", defaultValue = "1", description = "seconds (default: ${DEFAULT-VALUE})")
    int pingInterval;

    @Option(names = "--max_minutes", defaultValue = "30", description = "stop starting trials after this long")
    int maxMinutes;

    private PrintWriter out;

    /** One trial's times from the kill, in ms, and the acknowledged writes lost. */
    private record Trial(long detection, long promotion, long convergence, int lost, int acknowledged) {}

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(maxMinutes);
        List<String> summary = new ArrayList<>();
        Path workdir = Files.createTempDirectory("mha4j-bench-failover");
        try (Scheduler killer = Scheduler.system("mha4j-bench-killer")) {
            for (int nodes : sizes) {
                List<Trial> results = new ArrayList<>();
                for (int t = 1; t <= trials && System.nanoTime() < deadline; t++) {
                    Trial r = trial(nodes, t, killer, Files.createTempDirectory(workdir, "trial"));
                    results.add(r);
                }
                summary.add(summarize(nodes, results));
            }
        }
        out.println();
        out.printf("kill -9 under ledger load, ping_interval=%ds (ms from the kill; median / p95 / max):%n", pingInterval);
        summary.forEach(out::println);
        out.flush();
        return 0;
    }

    private Trial trial(int nodes, int number, Scheduler killer, Path workdir) throws Exception {
        try (SandboxCluster cluster = SandboxCluster.builder().nodes(nodes).start();
                WriteLedger ledger = WriteLedger.builder(() -> cluster.master().endpoint()).writer("bench")
                        .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)).build()) {
            ApplicationConfig config = config(cluster, workdir);
            long[] promotedAt = new long[1];
            long[] convergedAt = new long[1];
            FailoverHook clock = new FailoverHook() {
                @Override
                public String name() {
                    return "bench-clock";
                }

                @Override
                public void afterPhase(FailoverPhase phase, FailoverContext context) {
                    if (phase == FailoverPhase.RECOVER_NEW_MASTER) {
                        promotedAt[0] = System.nanoTime();
                    } else if (phase == FailoverPhase.RECOVER_REPLICAS) {
                        convergedAt[0] = System.nanoTime();
                    }
                }
            };
            try (ClusterMonitor monitor = ClusterMonitor.builder(config, config.servers().get(0)).build()) {
                monitor.start();
                Awaitility.await("first ping").atMost(WAIT).until(() -> monitor.currentVerdict().reason()
                        .contains("succeeded"));
                ledger.start(1_000_000, WAIT);
                Awaitility.await("load").atMost(WAIT).until(() -> ledger.acknowledged().size() >= 50);
                CompletableFuture<Long> killed = new CompletableFuture<>();
                killer.schedule(() -> {
                    long at = System.nanoTime();
                    cluster.node(1).kill();
                    killed.complete(at);
                }, Duration.ofMillis(ThreadLocalRandom.current().nextLong(pingInterval * 1000L)));
                Verdict dead = monitor.failoverVerdict().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                long verdictAt = System.nanoTime();
                FailoverReport report = MasterFailover.builder(config).hook(clock).build()
                        .run(config.servers().get(0));
                Awaitility.await("writes on the new master").atMost(WAIT)
                        .until(() -> ledger.acknowledged().size() > 0 && cluster.master() != cluster.node(1));
                int before = ledger.acknowledged().size();
                Awaitility.await("writes on the new master").atMost(WAIT)
                        .until(() -> ledger.acknowledged().size() >= before + 20);
                ledger.stop();
                cluster.awaitReplicasCaughtUp(WAIT);
                List<SandboxNode> survivors = cluster.nodes().subList(1, nodes);
                LedgerReport verified = ledger.verify(survivors);
                long kill = killed.get();
                int lost = verified.nodes().stream().mapToInt(n -> n.missing().size()).max().orElse(0);
                Trial t = new Trial(ms(verdictAt - kill), ms(promotedAt[0] - kill), ms(convergedAt[0] - kill), lost,
                        verified.acknowledged());
                out.printf("%d nodes, trial %2d: %s; detection %5d ms (%d failed ping(s)), promotion %5d ms,"
                        + " convergence %5d ms, %d of %d acknowledged writes lost; compensated %d; checksums %s%n",
                        nodes, number, report.outcome(), t.detection(), dead.failedPings(), t.promotion(),
                        t.convergence(), t.lost(), t.acknowledged(),
                        report.compensation().map(c -> c.transactions()).orElse(0L),
                        verified.checksumsAgree() ? "agree" : "DIFFER");
                out.flush();
                return t;
            }
        }
    }

    private static ApplicationConfig config(SandboxCluster cluster, Path workdir) {
        ApplicationConfig.Builder b = ApplicationConfig.builder("bench")
                .user(SandboxCredentials.ADMIN.user()).password(SandboxCredentials.ADMIN.password())
                .replUser(SandboxCredentials.REPLICATION.user()).replPassword(SandboxCredentials.REPLICATION.password())
                .managerWorkdir(workdir)
                .set(Parameter.REMOTE_SHELL, "local")
                .set(Parameter.REMOTE_WORKDIR, workdir.toString());
        for (SandboxNode n : cluster.nodes()) {
            b.server("server" + n.index(), s -> s.hostname(n.host()).port(n.port())
                    .masterBinlogDirs(List.of(n.dataDir().toString())));
        }
        return b.build().toBuilder().pingInterval(1).build();
    }

    private String summarize(int nodes, List<Trial> results) {
        return String.format("%d nodes, %2d trials: detection %s, promotion %s, convergence %s; acknowledged writes"
                + " lost: %d in total", nodes, results.size(),
                stats(results.stream().map(Trial::detection).toList()),
                stats(results.stream().map(Trial::promotion).toList()),
                stats(results.stream().map(Trial::convergence).toList()),
                results.stream().mapToInt(Trial::lost).sum());
    }

    private static String stats(List<Long> ms) {
        return BenchDetectionCommand.percentile(ms, 50) + " / " + BenchDetectionCommand.percentile(ms, 95) + " / "
                + BenchDetectionCommand.percentile(ms, 100) + " ms";
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
