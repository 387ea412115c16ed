package io.mha4j.samples.cli;

import io.mha4j.testkit.SandboxCluster;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingCluster;
import org.awaitility.Awaitility;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Leader loss to new leader: several {@code mha4j manager} processes of one application on a
 * ZooKeeper ensemble (three real servers, in this JVM) and a sandbox; the leading manager is
 * killed with SIGKILL and the bench times, from outside, when ZooKeeper names another leader and
 * when that manager's check_status says it leads and monitors. One raw line per trial.
 */
@Command(
        name = "takeover",
        mixinStandardHelpOptions = true,
        description = "Kill the leading manager (SIGKILL) of several; time until another leads (ZooKeeper) and"
                + " monitors (its check_status).")
final class BenchTakeoverCommand implements Callable<Integer> {
    private static final String HEADER =
            "trial\tmanagers\tsession_timeout_s\tping_interval_s\tkilled_pid\telected_ms\tmonitoring_ms";

    @Spec
    CommandSpec spec;

    @Option(names = "--trials", defaultValue = "10", description = "(default: ${DEFAULT-VALUE})")
    int trials;

    @Option(
            names = "--managers",
            defaultValue = "2",
            description = "managers per trial, 2 to 5 (default: ${DEFAULT-VALUE})")
    int managers;

    @Option(
            names = "--session_timeout",
            defaultValue = "4",
            description = "zookeeper_session_timeout, seconds (default: ${DEFAULT-VALUE})")
    int sessionTimeout;

    @Option(names = "--ping_interval", defaultValue = "1", description = "seconds (default: ${DEFAULT-VALUE})")
    int pingInterval;

    @Option(
            names = "--out",
            description = "directory for trials.tsv and the managers' files (default: ./mha4j-bench-takeover-<time>)")
    Path out;

    @Option(
            names = "--max_minutes",
            defaultValue = "20",
            description = "start no trial after this long (default: ${DEFAULT-VALUE})")
    int maxMinutes;

    @Override
    public Integer call() throws Exception {
        if (managers < 2 || managers > 5) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--managers must be 2 to 5");
        }
        PrintWriter print = spec.commandLine().getOut();
        Path dir = out != null
                ? out
                : Path.of("mha4j-bench-takeover-"
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        RawLines raw = new RawLines(dir, HEADER);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(maxMinutes);
        List<Long> elected = new ArrayList<>();
        List<Long> monitoring = new ArrayList<>();
        print.printf(
                "%d managers, zookeeper_session_timeout=%d s, ping_interval=%d s; raw lines in %s%n",
                managers, sessionTimeout, pingInterval, raw.file());
        try (TestingCluster zookeeper = new TestingCluster(3);
                SandboxCluster cluster = SandboxCluster.builder().nodes(3).start()) {
            zookeeper.start();
            try (CuratorFramework observer =
                    CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(200))) {
                observer.start();
                for (int trial = 1; trial <= trials && System.nanoTime() < deadline; trial++) {
                    String root = "/bench-takeover-" + System.currentTimeMillis();
                    try (ManagerFleet fleet = new ManagerFleet(
                            cluster,
                            dir.resolve("trial-" + trial),
                            managers,
                            zookeeper.getConnectString(),
                            root,
                            sessionTimeout,
                            pingInterval)) {
                        for (int i = 1; i <= managers; i++) {
                            fleet.start(i);
                        }
                        int leader = fleet.leader().orElseThrow(() -> new IllegalStateException("no manager leads"));
                        long pid = fleet.process(leader).pid();
                        LeaderLatch latch = new LeaderLatch(observer, root + "/app1/leader");
                        long killed = System.nanoTime();
                        fleet.kill(leader);
                        long[] at = {-1, -1};
                        Awaitility.await("a new leader")
                                .atMost(Duration.ofSeconds(sessionTimeout * 3L + 30))
                                .pollInterval(Duration.ofMillis(20))
                                .until(() -> {
                                    long now = System.nanoTime();
                                    if (at[0] < 0 && isOther(latch, pid)) {
                                        at[0] = now - killed;
                                    }
                                    OptionalInt next = fleet.leader();
                                    if (at[1] < 0 && next.isPresent() && next.getAsInt() != leader) {
                                        at[1] = now - killed;
                                    }
                                    return at[0] >= 0 && at[1] >= 0;
                                });
                        long e = TimeUnit.NANOSECONDS.toMillis(at[0]);
                        long m = TimeUnit.NANOSECONDS.toMillis(at[1]);
                        elected.add(e);
                        monitoring.add(m);
                        raw.append(String.join(
                                "\t",
                                List.of(
                                        Integer.toString(trial),
                                        Integer.toString(managers),
                                        Integer.toString(sessionTimeout),
                                        Integer.toString(pingInterval),
                                        Long.toString(pid),
                                        Long.toString(e),
                                        Long.toString(m))));
                        print.printf(
                                "trial %d: leader (pid %d) killed; new leader elected %d ms, monitoring %d ms%n",
                                trial, pid, e, m);
                        print.flush();
                    }
                }
            }
        }
        print.printf(
                "takeover over %d trials: elected %d / %d / %d ms, leading and monitoring %d / %d / %d ms (median / p95 / max)%n",
                elected.size(),
                BenchDetectionCommand.percentile(elected, 50),
                BenchDetectionCommand.percentile(elected, 95),
                BenchDetectionCommand.percentile(elected, 100),
                BenchDetectionCommand.percentile(monitoring, 50),
                BenchDetectionCommand.percentile(monitoring, 95),
                BenchDetectionCommand.percentile(monitoring, 100));
        return elected.size() == trials ? 0 : 1;
    }

    /** Whether ZooKeeper names a leader other than the manager of {@code pid} (ids are {@code pid@host#…}). */
    private static boolean isOther(LeaderLatch latch, long pid) {
        try {
            String id = latch.getLeader().getId();
            return !id.isEmpty() && !id.startsWith(pid + "@");
        } catch (Exception e) {
            return false;
        }
    }
}
