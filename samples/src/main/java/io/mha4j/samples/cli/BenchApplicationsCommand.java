package io.mha4j.samples.cli;

import io.mha4j.cli.Mha4jCommand;
import io.mha4j.manager.ManagerStatus;
import io.mha4j.manager.StatusFile;
import io.mha4j.testkit.SandboxCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What one more monitored application costs a manager process: {@code mha4j manager} in a JVM of
 * its own with N applications (each the smallest that can be monitored: a 2-node sandbox, master
 * and one replica, on loopback), sampled from outside every 5 s over a window of steady
 * monitoring — process CPU time (ProcessHandle), RSS and threads ({@code /proc}), and at the end
 * the heap still used after a full GC ({@code jcmd}). The baseline is an idle JVM on the same
 * class path (0 applications). Bounded in time; asserts nothing.
 */
@Command(
        name = "applications",
        mixinStandardHelpOptions = true,
        description = "CPU, memory and threads of one manager process per monitored application (N applications).")
final class BenchApplicationsCommand implements Callable<Integer> {
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
    private static final Duration WARM_UP = Duration.ofSeconds(15);
    private static final Duration START_PATIENCE = Duration.ofSeconds(180);

    @Spec
    CommandSpec spec;

    @Option(names = "--applications", split = ",", defaultValue = "1,20", description = "process sizes to measure")
    List<Integer> sizes;

    @Option(names = "--ping_interval", split = ",", defaultValue = "1,3")
    List<Integer> pingIntervals;

    @Option(names = "--seconds", defaultValue = "60", description = "sampling window per process (after a warm-up)")
    int seconds;

    @Option(names = "--max_minutes", defaultValue = "12", description = "stop measuring after this long")
    int maxMinutes;

    /** The baseline process: a JVM that does nothing until its standard input closes. */
    public static final class Idle {
        private Idle() {}

        public static void main(String[] args) throws IOException {
            while (System.in.read() >= 0) {
                // waits for the bench to close the pipe
            }
        }
    }

    /** One process's samples: what it used over the window, and its heap after a full GC at the end. */
    private record Measure(double cpuMsPerSecond, long rssKib, int threads, long heapKib) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(maxMinutes);
        int largest = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
        Path dir = Files.createTempDirectory("mha4j-bench-applications");
        List<SandboxCluster> clusters = new ArrayList<>();
        try {
            long started = System.nanoTime();
            startClusters(largest, clusters);
            out.printf(
                    "%d two-node sandboxes started in %d s; sampling every %d s over %d s after %d s of warm-up%n",
                    clusters.size(),
                    (System.nanoTime() - started) / 1_000_000_000,
                    SAMPLE_EVERY.toSeconds(),
                    seconds,
                    WARM_UP.toSeconds());
            out.println("raw: process applications ping_interval t_s cpu_ms rss_kib threads");
            out.flush();
            Measure baseline = measure(out, "idle", 0, 0, idle(dir));
            for (int ping : pingIntervals) {
                for (int n : sizes) {
                    if (System.nanoTime() > deadline) {
                        out.printf(
                                "time is up (%d min): %d applications at ping_interval=%d not measured%n",
                                maxMinutes, n, ping);
                        continue;
                    }
                    Process manager = manager(dir, clusters.subList(0, n), ping);
                    awaitMonitoring(dir.resolve("p" + ping + "-n" + n), n, manager);
                    Measure m = measure(out, "manager", n, ping, manager);
                    out.printf(
                            "SUMMARY applications=%d ping_interval=%d: process %.1f ms CPU/s, RSS %d MiB, %d threads,"
                                    + " heap after GC %d MiB; per application (baseline subtracted): %.2f ms CPU/s,"
                                    + " RSS %.1f MiB, %.1f threads, heap %.2f MiB%n",
                            n,
                            ping,
                            m.cpuMsPerSecond(),
                            m.rssKib() >> 10,
                            m.threads(),
                            m.heapKib() >> 10,
                            (m.cpuMsPerSecond() - baseline.cpuMsPerSecond()) / n,
                            (m.rssKib() - baseline.rssKib()) / 1024.0 / n,
                            (m.threads() - baseline.threads()) / (double) n,
                            (m.heapKib() - baseline.heapKib()) / 1024.0 / n);
                    out.flush();
                }
            }
            out.printf(
                    "SUMMARY baseline (idle JVM): %.1f ms CPU/s, RSS %d MiB, %d threads, heap after GC %d MiB%n",
                    baseline.cpuMsPerSecond(), baseline.rssKib() >> 10, baseline.threads(), baseline.heapKib() >> 10);
            return 0;
        } finally {
            clusters.forEach(SandboxCluster::close);
        }
    }

    /** N sandboxes, four starting at a time: more only queue for this machine's cores. */
    private static void startClusters(int n, List<SandboxCluster> clusters) {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<SandboxCluster>> starts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                starts.add(CompletableFuture.supplyAsync(
                        () -> SandboxCluster.builder().nodes(2).start(), pool));
            }
            for (CompletableFuture<SandboxCluster> s : starts) {
                clusters.add(s.join());
            }
        } finally {
            pool.shutdown();
        }
    }

    private static Process idle(Path dir) throws IOException {
        return Jvm.start(dir.resolve("idle.out"), Idle.class.getName());
    }

    /** {@code mha4j manager --conf=<dir>} over the first N sandboxes, each application logging to a file of its own. */
    private static Process manager(Path dir, List<SandboxCluster> clusters, int ping) throws IOException {
        Path run = dir.resolve("p" + ping + "-n" + clusters.size());
        Path confs = Files.createDirectories(run.resolve("conf"));
        for (int i = 0; i < clusters.size(); i++) {
            String app = String.format("app%02d", i + 1);
            clusters.get(i)
                    .writeApplicationFile(
                            confs.resolve(app + ".cnf"),
                            "manager_workdir=" + run.resolve("work"),
                            "manager_log=" + run.resolve("log/" + app + ".log"),
                            "remote_shell=local",
                            "ping_interval=" + ping);
        }
        return Jvm.start(
                run.resolve("manager.out"),
                Mha4jCommand.class.getName(),
                "manager",
                "--conf=" + confs,
                "--skip_ssh_check",
                "--global_conf=" + Files.writeString(run.resolve("global.cnf"), ""));
    }

    /** Until every application's status file says PING_OK; the manager's exit is a failure. */
    private static void awaitMonitoring(Path run, int n, Process manager) {
        Awaitility.await("every application monitoring")
                .atMost(START_PATIENCE)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (!manager.isAlive()) {
                        throw new IllegalStateException(
                                "the manager exited (" + manager.exitValue() + "); see " + run.resolve("manager.out"));
                    }
                    for (int i = 1; i <= n; i++) {
                        boolean pinging = new StatusFile(run.resolve("work"), String.format("app%02d", i))
                                .read()
                                .flatMap(StatusFile.Entry::parsedStatus)
                                .filter(s -> s == ManagerStatus.PING_OK)
                                .isPresent();
                        if (!pinging) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /** Warm-up, then a sample every 5 s over the window; the process is ended afterwards. */
    private Measure measure(PrintWriter out, String what, int n, int ping, Process p) throws Exception {
        try {
            ProcessHandle handle = p.toHandle();
            sleepObserved(p, WARM_UP);
            long firstCpu = cpuMillis(handle);
            long firstAt = System.nanoTime();
            long rss = 0;
            int threads = 0;
            for (long t = 0; t <= seconds; t += SAMPLE_EVERY.toSeconds()) {
                if (t > 0) {
                    sleepObserved(p, SAMPLE_EVERY);
                }
                long cpu = cpuMillis(handle) - firstCpu;
                rss = status(handle.pid(), "VmRSS");
                threads = (int) status(handle.pid(), "Threads");
                out.printf("raw: %s %d %d %d %d %d %d%n", what, n, ping, t, cpu, rss, threads);
            }
            double cpuPerSecond = (cpuMillis(handle) - firstCpu) * 1e9 / Math.max(1, System.nanoTime() - firstAt);
            if (n > 0) {
                threadKinds(handle.pid())
                        .forEach((kind, count) -> out.printf("threads: %d %d %s %d%n", n, ping, kind, count));
            }
            out.flush();
            return new Measure(cpuPerSecond, rss, threads, heapAfterGcKib(handle.pid()));
        } finally {
            p.getOutputStream().close();
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** Waits {@code d}, and fails at once if the process under measure ended. */
    private static void sleepObserved(Process p, Duration d) throws InterruptedException {
        if (p.waitFor(d.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the process under measure exited (" + p.exitValue() + ")");
        }
    }

    private static long cpuMillis(ProcessHandle p) {
        return p.info().totalCpuDuration().orElseThrow().toMillis();
    }

    /** A {@code /proc/<pid>/status} field's number ({@code VmRSS} in KiB, {@code Threads}). */
    private static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(
                        line.substring(field.length() + 1).replace("kB", "").strip());
            }
        }
        throw new IllegalStateException("no " + field + " in /proc/" + pid + "/status");
    }

    /**
     * The process's threads by kind: their names with the application ({@code app07}), a server
     * ({@code server1}, {@code 127.0.0.1:40123}) and counters replaced, so that what each application
     * adds shows as one kind counted N times.
     */
    private static Map<String, Long> threadKinds(long pid) throws Exception {
        Matcher names = Pattern.compile("(?m)^\"([^\"]+)\"").matcher(jcmd(pid, "Thread.print"));
        List<String> kinds = new ArrayList<>();
        while (names.find()) {
            kinds.add(names.group(1)
                    .replaceAll("app\\d+", "<app>")
                    .replaceAll("server\\d+", "<server>")
                    .replaceAll("\\d+\\.\\d+\\.\\d+\\.\\d+(:\\d+)?", "<host>")
                    .replaceAll("(?<![A-Za-z])\\d+", "<n>"));
        }
        return kinds.stream().collect(Collectors.groupingBy(k -> k, TreeMap::new, Collectors.counting()));
    }

    /** {@code jcmd <pid> GC.run}, then the heap's "used" from {@code GC.heap_info}, in KiB. */
    private static long heapAfterGcKib(long pid) throws Exception {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("no heap use in jcmd's answer: " + info);
        }
        return Long.parseLong(m.group(1));
    }

    private static String jcmd(long pid, String command) throws Exception {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), command)
                .redirectErrorStream(true)
                .start();
        CompletableFuture<String> text = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("jcmd " + command + " did not answer in 60 s");
        }
        return text.get(10, TimeUnit.SECONDS);
    }
}
