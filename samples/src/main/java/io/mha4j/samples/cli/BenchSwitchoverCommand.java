package io.mha4j.samples.cli;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.failover.MasterSwitchover;
import io.mha4j.failover.SwitchoverReport;
import io.mha4j.testkit.LedgerReport;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.WriteLedger;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Online switchover under load: a fresh 3-node sandbox per trial, the ledger writing to the
 * master, a switch node1 → node2 with the old master becoming a replica; the window in which no
 * server took writes, the total time, and the acknowledged writes lost. Bounded; asserts nothing.
 */
@Command(
        name = "switchover",
        mixinStandardHelpOptions = true,
        description = "Online master switch under ledger load: write-block window, total time, lost writes.")
final class BenchSwitchoverCommand implements Callable<Integer> {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Option(names = "--trials", defaultValue = "20", description = "trials (default: ${DEFAULT-VALUE})")
    int trials;

    @Option(names = "--max_minutes", defaultValue = "20", description = "stop starting trials after this long")
    int maxMinutes;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(maxMinutes);
        List<Long> blocked = new ArrayList<>();
        List<Long> total = new ArrayList<>();
        int lost = 0;
        for (int t = 1; t <= trials && System.nanoTime() < deadline; t++) {
            try (SandboxCluster cluster = SandboxCluster.builder().nodes(3).start();
                    WriteLedger ledger = WriteLedger.builder(
                                    () -> cluster.master().endpoint())
                            .writer("bench")
                            .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                            .build()) {
                ApplicationConfig config = config(cluster);
                ledger.start(1_000_000, WAIT);
                Awaitility.await("load")
                        .atMost(WAIT)
                        .until(() -> ledger.acknowledged().size() >= 200);
                SwitchoverReport r = MasterSwitchover.builder(config)
                        .newMaster(config.servers().get(1))
                        .origMasterIsNewSlave(true)
                        .build()
                        .run(config.servers().get(0));
                int at = ledger.acknowledged().size();
                Awaitility.await("writes on the new master")
                        .atMost(WAIT)
                        .until(() -> ledger.acknowledged().size() >= at + 50);
                ledger.stop();
                cluster.awaitReplicasCaughtUp(WAIT);
                LedgerReport v = ledger.verify(cluster.nodes());
                int missing = v.nodes().stream()
                        .mapToInt(n -> n.missing().size())
                        .max()
                        .orElse(0);
                lost += missing;
                long block = r.writeBlock().map(Duration::toMillis).orElse(-1L);
                long ms = Duration.between(r.startedAt(), r.endedAt()).toMillis();
                blocked.add(block);
                total.add(ms);
                out.printf(
                        "trial %2d: %s; writes blocked %4d ms; switch %5d ms; %d of %d acknowledged lost;"
                                + " checksums %s%n",
                        t, r.outcome(), block, ms, missing, v.acknowledged(), v.checksumsAgree() ? "agree" : "DIFFER");
                out.flush();
            }
        }
        out.printf(
                "%nonline switchover, 3 nodes, %d trials: writes blocked %d / %d / %d ms (median / p95 / max),"
                        + " switch %d / %d / %d ms; acknowledged writes lost: %d%n",
                blocked.size(),
                BenchDetectionCommand.percentile(blocked, 50),
                BenchDetectionCommand.percentile(blocked, 95),
                BenchDetectionCommand.percentile(blocked, 100),
                BenchDetectionCommand.percentile(total, 50),
                BenchDetectionCommand.percentile(total, 95),
                BenchDetectionCommand.percentile(total, 100),
                lost);
        out.flush();
        return 0;
    }

    private static ApplicationConfig config(SandboxCluster cluster) {
        ApplicationConfig.Builder b = ApplicationConfig.builder("bench")
                .user(SandboxCredentials.ADMIN.user())
                .password(SandboxCredentials.ADMIN.password())
                .replUser(SandboxCredentials.REPLICATION.user())
                .replPassword(SandboxCredentials.REPLICATION.password())
                .set(Parameter.REMOTE_SHELL, "local");
        for (SandboxNode n : cluster.nodes()) {
            b.server("server" + n.index(), s -> s.hostname(n.host()).port(n.port()));
        }
        return b.build();
    }
}
