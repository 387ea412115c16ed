package io.mha4j.samples.cli;

import io.mha4j.check.ReplicationCheck;
import io.mha4j.check.ReplicationHealth;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.remote.RemoteShells;
import io.mha4j.testkit.OpenSshServer;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.WriteLedger;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Benchmarks, printed as numbers; never asserted as time limits in tests. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure mha4j on sandbox clusters.",
        subcommands = {BenchCommand.CheckRepl.class, BenchCommand.Sandbox.class, BenchDetectionCommand.class,
                BenchFailoverCommand.class, BenchSwitchoverCommand.class, BenchGuardCommand.class,
                BenchChaosCommand.class})
final class BenchCommand {

    /** Sandbox start time (start() until replicas replicate) and the servers' peak memory. */
    @Command(name = "sandbox", mixinStandardHelpOptions = true,
            description = "Start a sandbox cluster several times; print start times and peak RSS after 1,000 writes.")
    static final class Sandbox implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--nodes", defaultValue = "3")
        int nodes;

        @Option(names = "--runs", defaultValue = "5")
        int runs;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<Long> times = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                long started = System.nanoTime();
                try (SandboxCluster cluster = SandboxCluster.builder().nodes(nodes).start();
                        WriteLedger ledger = WriteLedger.builder(() -> cluster.master().endpoint()).build()) {
                    long ms = (System.nanoTime() - started) / 1_000_000;
                    times.add(ms);
                    ledger.write(1_000);
                    cluster.awaitReplicasCaughtUp(java.time.Duration.ofSeconds(30));
                    long totalRss = cluster.nodes().stream().mapToLong(SandboxNode::peakRssBytes).sum();
                    out.printf("run %d: start %d ms; peak RSS %s MiB (total %d MiB)%n", run, ms,
                            cluster.nodes().stream().map(n -> Long.toString(n.peakRssBytes() >> 20)).toList(),
                            totalRss >> 20);
                    out.flush();
                }
            }
            List<Long> sorted = new ArrayList<>(times);
            Collections.sort(sorted);
            out.printf("%d-node sandbox start: median %d ms, min %d ms, max %d ms over %d runs (one JVM; the first"
                    + " run includes class loading)%n", nodes, sorted.get(sorted.size() / 2), sorted.get(0),
                    sorted.get(sorted.size() - 1), runs);
            return 0;
        }
    }

    /** check_repl wall time on sandboxes of growing size, with SSH checks over a real sshd. */
    @Command(name = "check_repl", mixinStandardHelpOptions = true,
            description = "Time check_repl on sandboxes of 3 to N nodes (real sshd; every host pair is tested).")
    static final class CheckRepl implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--min_nodes", defaultValue = "3")
        int minNodes;

        @Option(names = "--max_nodes", defaultValue = "8")
        int maxNodes;

        @Option(names = "--runs", defaultValue = "5", description = "timed runs per size, after one warm-up")
        int runs;

        @Option(names = {"--skip_ssh_check", "--skip_check_ssh"}, description = "time the SQL checks alone")
        boolean skipSshCheck;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.println("nodes  median_ms  min_ms  max_ms  ssh_pairs  ok");
            try (OpenSshServer sshd = OpenSshServer.builder().start()) {
                for (int n = minNodes; n <= maxNodes; n++) {
                    try (SandboxCluster cluster = SandboxCluster.builder().nodes(n).start()) {
                        ApplicationConfig config = config(cluster, sshd);
                        List<Long> times = new ArrayList<>();
                        boolean ok = true;
                        try (RemoteShells shells = RemoteShells.forApplication(config)) {
                            for (int i = 0; i <= runs; i++) {
                                ReplicationHealth h = new ReplicationCheck(config, shells, Clock.systemUTC())
                                        .skipSshCheck(skipSshCheck).run();
                                ok &= h.isOk();
                                if (i > 0) {
                                    times.add(h.took().toMillis());
                                }
                            }
                        }
                        Collections.sort(times);
                        out.printf("%5d  %9d  %6d  %6d  %9d  %s%n", n, times.get(times.size() / 2), times.get(0),
                                times.get(times.size() - 1), skipSshCheck ? 0 : n + n * (n - 1), ok);
                        out.flush();
                    }
                }
            }
            return 0;
        }

        private static ApplicationConfig config(SandboxCluster cluster, OpenSshServer sshd) {
            ApplicationConfig.Builder b = ApplicationConfig.builder("bench")
                    .user(SandboxCredentials.ADMIN.user()).password(SandboxCredentials.ADMIN.password())
                    .replUser(SandboxCredentials.REPLICATION.user())
                    .replPassword(SandboxCredentials.REPLICATION.password())
                    .sshUser(sshd.user())
                    .set(Parameter.SSH_PORT, sshd.port())
                    .set(Parameter.SSH_IDENTITY_FILE, sshd.clientKey().toString())
                    .set(Parameter.SSH_KNOWN_HOSTS_FILE, sshd.knownHostsFile().toString());
            for (SandboxNode node : cluster.nodes()) {
                b.server("server" + node.index(), s -> s.hostname("127.0.0.1").port(node.port()));
            }
            return b.build();
        }
    }
}
