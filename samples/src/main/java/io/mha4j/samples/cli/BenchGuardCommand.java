package io.mha4j.samples.cli;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.failover.FailoverGuard;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.MasterFailover;
import io.mha4j.guard.GuardEvent;
import io.mha4j.guard.OldMasterGuard;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The old master's guard, measured from outside: a 3-node sandbox whose servers start writable
 * (as production my.cnf files have them), kill -9 of the master, a failover, the guard started;
 * then, per trial, the old master is killed and started again while an ordinary client (the
 * application user, a new connection every 5 ms) polls {@code @@read_only} on it and tries a
 * write whenever it reads 0. Printed per trial: from the client's first answer to its first
 * {@code read_only=1}, the writes it got acknowledged in between, and the guard's own window
 * (its first handshake to read_only=1 read back). Bounded in trials and time; asserts nothing.
 */
@Command(
        name = "guard",
        mixinStandardHelpOptions = true,
        description = "Restart a guarded old master N times: its first answer -> read_only=1, seen from outside.")
final class BenchGuardCommand implements Callable<Integer> {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long POLL_MS = 5;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--trials",
            defaultValue = "20",
            description = "restarts of the old master (default: ${DEFAULT-VALUE})")
    int trials;

    @Option(names = "--ping_interval", defaultValue = "3", description = "seconds (default: ${DEFAULT-VALUE}, MHA's)")
    int pingInterval;

    @Option(names = "--max_minutes", defaultValue = "20", description = "stop starting trials after this long")
    int maxMinutes;

    /** What the outside client saw in one trial. */
    private static final class Poller implements Runnable {
        private final SandboxNode node;
        private final long startNanos = System.nanoTime();
        final AtomicLong firstAnswer = new AtomicLong(-1);
        final AtomicLong firstReadOnly = new AtomicLong(-1);
        final AtomicInteger acknowledged = new AtomicInteger();
        final AtomicInteger writableSamples = new AtomicInteger();

        Poller(SandboxNode node) {
            this.node = node;
        }

        @Override
        public void run() {
            if (firstReadOnly.get() >= 0) {
                return;
            }
            try (Connection c = node.connect(SandboxCredentials.APPLICATION);
                    Statement st = c.createStatement()) {
                long at = System.nanoTime() - startNanos;
                firstAnswer.compareAndSet(-1, at);
                try (ResultSet rs = st.executeQuery("SELECT @@GLOBAL.read_only")) {
                    rs.next();
                    if (rs.getInt(1) == 1) {
                        firstReadOnly.compareAndSet(-1, System.nanoTime() - startNanos);
                        return;
                    }
                }
                writableSamples.incrementAndGet();
                st.executeUpdate("INSERT INTO guardbench.t (v) VALUES (1)");
                acknowledged.incrementAndGet();
            } catch (RuntimeException | SQLException e) {
                // Refused while it starts, or the guard killed this session: poll again.
            }
        }

        long windowMs() {
            return (firstReadOnly.get() - firstAnswer.get()) / 1_000_000;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(maxMinutes);
        List<Long> outside = new ArrayList<>();
        List<Long> inside = new ArrayList<>();
        int acknowledged = 0;
        List<GuardEvent> fenced = new CopyOnWriteArrayList<>();
        ScheduledExecutorService poll = Executors.newSingleThreadScheduledExecutor();
        try (SandboxCluster cluster =
                SandboxCluster.builder().nodes(3).startsReadOnly(false).start()) {
            cluster.master()
                    .execute(
                            "CREATE DATABASE guardbench",
                            "CREATE TABLE guardbench.t (id INT AUTO_INCREMENT" + " PRIMARY KEY, v INT)");
            cluster.awaitReplicasCaughtUp(WAIT);
            ApplicationConfig config = config(cluster);
            SandboxNode old = cluster.node(1);
            old.kill();
            FailoverReport report = MasterFailover.builder(config)
                    .wording(FailoverGuard.Wording.COMMAND_LINE)
                    .build()
                    .run(config.servers().get(0));
            out.printf(
                    "failover: %s, new master %s; guarding %s with ping_interval=%d s%n",
                    report.outcome(), report.newMaster().orElse("none"), report.deadMaster(), pingInterval);
            try (OldMasterGuard guard = OldMasterGuard.builder(config)
                    .after(report)
                    .listener(e -> {
                        if (e.kind() == GuardEvent.Kind.FENCED) {
                            fenced.add(e);
                        }
                    })
                    .start()) {
                for (int t = 1; t <= trials && System.nanoTime() < deadline; t++) {
                    int before = fenced.size();
                    if (old.isRunning()) {
                        old.kill();
                    }
                    Poller p = new Poller(old);
                    var task = poll.scheduleAtFixedRate(p, 0, POLL_MS, TimeUnit.MILLISECONDS);
                    old.start();
                    Awaitility.await("read_only=1 seen from outside")
                            .atMost(WAIT)
                            .until(() -> p.firstReadOnly.get() >= 0 && fenced.size() > before);
                    task.cancel(false);
                    long guardMs = fenced.get(fenced.size() - 1)
                            .refusingWritesAfter()
                            .orElseThrow()
                            .toMillis();
                    outside.add(p.windowMs());
                    inside.add(guardMs);
                    acknowledged += p.acknowledged.get();
                    out.printf(
                            "trial %2d: outside client: first answer -> read_only=1 %4d ms (%d writable sample(s),"
                                    + " %d write(s) acknowledged); guard: handshake -> read_only=1 %4d ms%n",
                            t, p.windowMs(), p.writableSamples.get(), p.acknowledged.get(), guardMs);
                    out.flush();
                }
            }
        } finally {
            poll.shutdownNow();
        }
        out.printf(
                "%nguard, ping_interval=%d s, %d restarts of a writable old master: first answer -> read_only=1"
                        + " seen from outside %d / %d / %d ms (median / p95 / max); guard's own window %d / %d / %d ms;"
                        + " writes acknowledged by the old master: %d%n",
                pingInterval,
                outside.size(),
                BenchDetectionCommand.percentile(outside, 50),
                BenchDetectionCommand.percentile(outside, 95),
                BenchDetectionCommand.percentile(outside, 100),
                BenchDetectionCommand.percentile(inside, 50),
                BenchDetectionCommand.percentile(inside, 95),
                BenchDetectionCommand.percentile(inside, 100),
                acknowledged);
        out.flush();
        return 0;
    }

    private ApplicationConfig config(SandboxCluster cluster) {
        ApplicationConfig.Builder b = ApplicationConfig.builder("bench")
                .user(SandboxCredentials.ADMIN.user())
                .password(SandboxCredentials.ADMIN.password())
                .replUser(SandboxCredentials.REPLICATION.user())
                .replPassword(SandboxCredentials.REPLICATION.password())
                .pingInterval(pingInterval)
                .managerWorkdir(cluster.directory().resolve("manager"))
                .set(Parameter.REMOTE_SHELL, "local")
                .set(Parameter.REMOTE_WORKDIR, cluster.directory().toString());
        for (SandboxNode n : cluster.nodes()) {
            b.server(
                    "server" + n.index(),
                    s -> s.hostname(n.host())
                            .port(n.port())
                            .masterBinlogDirs(List.of(n.dataDir().toString())));
        }
        return b.build();
    }
}
