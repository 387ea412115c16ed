package io.mha4j.samples.cli;

import io.mha4j.ClusterMonitor;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.monitor.MonitorListener;
import io.mha4j.monitor.Verdict;
import io.mha4j.monitor.VerdictKind;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.time.Scheduler;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
 * Detection latency: kill -9 of the master's mysqld to the DEAD verdict, over many trials per
 * configuration (ping interval × fast path), on one 3-node sandbox whose master is restarted
 * between trials; and the CPU the monitor spends per minute watching a healthy cluster.
 * Each kill falls at a random moment of the ping cycle, as real crashes do. Bounded in trials
 * and in time; prints numbers, asserts nothing.
 */
@Command(
        name = "detection",
        mixinStandardHelpOptions = true,
        description =
                "Time kill -9 of the master -> DEAD verdict per ping interval and fast path; monitor CPU per minute.")
final class BenchDetectionCommand implements Callable<Integer> {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Option(
            names = "--trials",
            defaultValue = "20",
            description = "trials per configuration (default: ${DEFAULT-VALUE})")
    int trials;

    @Option(
            names = "--ping_interval",
            split = ",",
            defaultValue = "1,3",
            description = "ping intervals in seconds (default: ${DEFAULT-VALUE})")
    List<Integer> intervals;

    @Option(
            names = "--fast_path",
            split = ",",
            defaultValue = "on,off",
            description = "fast_failure_detection settings to try: on, off (default: ${DEFAULT-VALUE})")
    List<String> fastPaths;

    @Option(
            names = "--cpu_seconds",
            defaultValue = "60",
            description = "seconds of healthy monitoring per ping interval for the CPU measure; 0 skips it")
    int cpuSeconds;

    @Option(names = "--max_minutes", defaultValue = "60", description = "stop starting trials after this long")
    int maxMinutes;

    private PrintWriter out;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(maxMinutes);
        try (SandboxCluster cluster = SandboxCluster.builder().nodes(3).start();
                Scheduler killer = Scheduler.system("mha4j-bench-killer")) {
            List<String> summary = new ArrayList<>();
            for (int interval : intervals) {
                for (String fast : fastPaths) {
                    List<Long> ms = new ArrayList<>();
                    for (int t = 1; t <= trials && System.nanoTime() < deadline; t++) {
                        ms.add(trial(cluster, killer, interval, fast.equals("on"), t));
                    }
                    summary.add(String.format(
                            "ping_interval=%ds fast_path=%-3s trials=%2d  median %5d ms  p95 %5d ms" + "  max %5d ms",
                            interval, fast, ms.size(), percentile(ms, 50), percentile(ms, 95), percentile(ms, 100)));
                }
            }
            out.println();
            out.println("kill -9 -> DEAD verdict:");
            summary.forEach(out::println);
            if (cpuSeconds > 0) {
                out.println();
                for (int interval : intervals) {
                    cpu(cluster, interval);
                }
            }
        }
        out.flush();
        return 0;
    }

    private static ApplicationConfig config(SandboxCluster cluster, boolean fastPath) {
        ApplicationConfig.Builder b = ApplicationConfig.builder("bench")
                .user(SandboxCredentials.ADMIN.user())
                .password(SandboxCredentials.ADMIN.password())
                .set(Parameter.REMOTE_SHELL, "local")
                .set(Parameter.FAST_FAILURE_DETECTION, fastPath);
        for (SandboxNode n : cluster.nodes()) {
            b.server("server" + n.index(), s -> s.hostname(n.host()).port(n.port()));
        }
        return b.build();
    }

    /** One kill at a random moment of the ping cycle; returns kill -> DEAD in ms. */
    private long trial(SandboxCluster cluster, Scheduler killer, int interval, boolean fastPath, int number) {
        SandboxNode master = cluster.node(1);
        ensureHealthy(cluster);
        ApplicationConfig config = config(cluster, fastPath);
        long[] arrivedAt = new long[1];
        MonitorListener arrival = new MonitorListener() {
            @Override
            public void onVerdict(Verdict v) {
                if (v.kind() == VerdictKind.DEAD) {
                    arrivedAt[0] = System.nanoTime();
                }
            }
        };
        try (ClusterMonitor monitor = ClusterMonitor.builder(
                        config, config.servers().get(0))
                .pingInterval(Duration.ofSeconds(interval))
                .listener(arrival)
                .build()) {
            monitor.start();
            Awaitility.await("first ping")
                    .atMost(WAIT)
                    .until(() -> monitor.currentVerdict().reason().contains("succeeded"));
            CompletableFuture<Long> killed = new CompletableFuture<>();
            long delayMs = ThreadLocalRandom.current().nextLong(interval * 1000L);
            killer.schedule(
                    () -> {
                        long at = System.nanoTime();
                        master.kill();
                        killed.complete(at);
                    },
                    Duration.ofMillis(delayMs));
            Verdict dead = monitor.failoverVerdict().get(WAIT.toSeconds() + interval * 4L, TimeUnit.SECONDS);
            long ms = (arrivedAt[0] - killed.get(WAIT.toSeconds(), TimeUnit.SECONDS)) / 1_000_000;
            out.printf(
                    "ping_interval=%ds fast_path=%-3s trial %2d: killed %4d ms after the first ping"
                            + " -> DEAD in %5d ms (%d failed ping(s))%n",
                    interval, fastPath ? "on" : "off", number, delayMs, ms, dead.failedPings());
            out.flush();
            return ms;
        } catch (Exception e) {
            throw new IllegalStateException("trial " + number + " failed: " + e, e);
        }
    }

    /** The master running and writable, both replicas replicating from it. */
    private static void ensureHealthy(SandboxCluster cluster) {
        SandboxNode master = cluster.node(1);
        if (!master.isRunning()) {
            master.start();
            master.execute("SET GLOBAL read_only=OFF");
        }
        Awaitility.await("replicas connected to node1")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(() -> List.of(cluster.node(2), cluster.node(3)).stream()
                        .allMatch(r -> r.replicaStatus()
                                .map(s -> "Yes".equals(s.get("Slave_IO_Running")))
                                .orElse(false)));
    }

    /** CPU time of the monitor's own threads, and of the whole JVM, over cpuSeconds of healthy pinging. */
    private void cpu(SandboxCluster cluster, int interval) {
        ensureHealthy(cluster);
        ApplicationConfig config = config(cluster, true);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (ClusterMonitor monitor = ClusterMonitor.builder(
                        config, config.servers().get(0))
                .pingInterval(Duration.ofSeconds(interval))
                .build()) {
            monitor.start();
            Awaitility.await("first ping")
                    .atMost(WAIT)
                    .until(() -> monitor.currentVerdict().reason().contains("succeeded"));
            long monitorBefore = monitorThreadsCpu(threads);
            long processBefore = os.getProcessCpuTime();
            long started = System.nanoTime();
            CompletableFuture<Void> done = new CompletableFuture<>();
            try (Scheduler timer = Scheduler.system("mha4j-bench-timer")) {
                timer.schedule(() -> done.complete(null), Duration.ofSeconds(cpuSeconds));
                done.get(cpuSeconds + 60L, TimeUnit.SECONDS);
            }
            double minutes = (System.nanoTime() - started) / 60e9;
            long monitorNs = monitorThreadsCpu(threads) - monitorBefore;
            long processNs = os.getProcessCpuTime() - processBefore;
            out.printf(
                    "CPU, healthy cluster, ping_interval=%ds over %d s: monitor threads %.1f ms/min,"
                            + " whole JVM %.1f ms/min (monitor verdict %s)%n",
                    interval,
                    cpuSeconds,
                    monitorNs / 1e6 / minutes,
                    processNs / 1e6 / minutes,
                    monitor.currentVerdict().kind());
            out.flush();
        } catch (Exception e) {
            throw new IllegalStateException("CPU measure failed: " + e, e);
        }
    }

    private static long monitorThreadsCpu(ThreadMXBean threads) {
        long sum = 0;
        for (Map.Entry<Thread, StackTraceElement[]> e :
                Thread.getAllStackTraces().entrySet()) {
            if (e.getKey().getName().startsWith("mha4j-monitor-")) {
                sum += Math.max(0, threads.getThreadCpuTime(e.getKey().getId()));
            }
        }
        return sum;
    }

    /** Nearest-rank percentile; 100 is the maximum. */
    static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1));
    }
}
