package io.mha4j.samples.cli;

import io.mha4j.check.ReplicationCheck;
import io.mha4j.check.ReplicationHealth;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.remote.RemoteShells;
import io.mha4j.remote.SshTarget;
import io.mha4j.testkit.OpenSshServer;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.WriteLedger;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Benchmarks, printed as numbers; never asserted as time limits in tests. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure mha4j on sandbox clusters.",
        subcommands = {
            BenchCommand.CheckRepl.class,
            BenchCommand.Sandbox.class,
            BenchDetectionCommand.class,
            BenchFailoverCommand.class,
            BenchSwitchoverCommand.class,
            BenchGuardCommand.class,
            BenchChaosCommand.class,
            BenchApplicationsCommand.class,
            BenchTakeoverCommand.class,
            BenchOutageCommand.class
        })
final class BenchCommand {

    /** Sandbox start time (start() until replicas replicate) and the servers' peak memory. */
    @Command(
            name = "sandbox",
            mixinStandardHelpOptions = true,
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
                try (SandboxCluster cluster =
                                SandboxCluster.builder().nodes(nodes).start();
                        WriteLedger ledger = WriteLedger.builder(
                                        () -> cluster.master().endpoint())
                                .build()) {
                    long ms = (System.nanoTime() - started) / 1_000_000;
                    times.add(ms);
                    ledger.write(1_000);
                    cluster.awaitReplicasCaughtUp(java.time.Duration.ofSeconds(30));
                    long totalRss = cluster.nodes().stream()
                            .mapToLong(SandboxNode::peakRssBytes)
                            .sum();
                    out.printf(
                            "run %d: start %d ms; peak RSS %s MiB (total %d MiB)%n",
                            run,
                            ms,
                            cluster.nodes().stream()
                                    .map(n -> Long.toString(n.peakRssBytes() >> 20))
                                    .toList(),
                            totalRss >> 20);
                    out.flush();
                }
            }
            List<Long> sorted = new ArrayList<>(times);
            Collections.sort(sorted);
            out.printf(
                    "%d-node sandbox start: median %d ms, min %d ms, max %d ms over %d runs (one JVM; the first"
                            + " run includes class loading)%n",
                    nodes, sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1), runs);
            return 0;
        }
    }

    /**
     * check_repl wall time on sandboxes of growing size, with SSH checks over a real sshd: one
     * for all nodes (as several instances on one host: every route is the same route, tested
     * once), or one per node (as on separate hosts). check_repl tests the manager's route to each
     * host; {@code --host_routes} adds check_ssh's n·(n−1) host-to-host routes.
     */
    @Command(
            name = "check_repl",
            mixinStandardHelpOptions = true,
            description = "Time check_repl on sandboxes of 3 to N nodes (real sshd).")
    static final class CheckRepl implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--min_nodes", defaultValue = "3")
        int minNodes;

        @Option(names = "--max_nodes", defaultValue = "8")
        int maxNodes;

        @Option(names = "--runs", defaultValue = "5", description = "timed runs per size, after one warm-up")
        int runs;

        @Option(
                names = {"--skip_ssh_check", "--skip_check_ssh"},
                description = "time the SQL checks alone")
        boolean skipSshCheck;

        @Option(
                names = "--host_routes",
                description = "also test SSH between every pair of hosts (check_ssh's" + " routes)")
        boolean hostRoutes;

        @Option(
                names = "--sshd",
                defaultValue = "shared",
                description = "shared: one sshd for every node (one"
                        + " host with several instances); per_node: one sshd per node (separate hosts)")
        String sshdLayout;

        @Option(
                names = "--login_shell",
                defaultValue = "lean",
                description = "lean: sessions get an empty HOME;"
                        + " user: the OS user's own HOME, dotfiles and all (a slow ~/.bashrc shows here)")
        String loginShell;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (!List.of("shared", "per_node").contains(sshdLayout)
                    || !List.of("lean", "user").contains(loginShell)) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "--sshd is shared or per_node, --login_shell lean or user");
            }
            out.printf(
                    "sshd %s, login shell %s, host-to-host routes %s%n",
                    sshdLayout, loginShell, hostRoutes ? "tested" : "not tested");
            out.println("nodes  median_ms  min_ms  max_ms  ssh_pairs  routes_run  ok");
            List<OpenSshServer> sshds = new ArrayList<>();
            try {
                for (int n = minNodes; n <= maxNodes; n++) {
                    while (sshds.size() < (sshdLayout.equals("shared") ? 1 : n)) {
                        sshds.add(OpenSshServer.builder()
                                .userHome(loginShell.equals("user"))
                                .start());
                    }
                    try (SandboxCluster cluster =
                            SandboxCluster.builder().nodes(n).start()) {
                        ApplicationConfig config = config(cluster, sshds);
                        List<Long> times = new ArrayList<>();
                        boolean ok = true;
                        for (int i = 0; i <= runs; i++) {
                            // Connections anew each run, as each check_repl command makes them.
                            try (RemoteShells shells = RemoteShells.forApplication(config)) {
                                ReplicationHealth h = new ReplicationCheck(config, shells, Clock.systemUTC())
                                        .skipSshCheck(skipSshCheck)
                                        .hostToHostRoutes(hostRoutes)
                                        .run();
                                ok &= h.isOk();
                                if (i > 0) {
                                    times.add(h.took().toMillis());
                                }
                            }
                        }
                        Collections.sort(times);
                        out.printf(
                                "%5d  %9d  %6d  %6d  %9d  %10d  %s%n",
                                n,
                                times.get(times.size() / 2),
                                times.get(0),
                                times.get(times.size() - 1),
                                skipSshCheck ? 0 : n + (hostRoutes ? n * (n - 1) : 0),
                                skipSshCheck ? 0 : routesRun(config, hostRoutes),
                                ok);
                        out.flush();
                    }
                }
            } finally {
                sshds.forEach(OpenSshServer::close);
            }
            return 0;
        }

        /** Node i logs in to {@code sshds[i-1]}, or to the one sshd when they share it. */
        private static ApplicationConfig config(SandboxCluster cluster, List<OpenSshServer> sshds) {
            Function<SandboxNode, OpenSshServer> sshdOf = n -> sshds.get(sshds.size() == 1 ? 0 : n.index() - 1);
            return Mha4jUnderTest.configBuilder(cluster, Optional.of(sshdOf), cluster.directory(), 3)
                    .build();
        }

        /** The manager's routes (and the host-to-host routes, if tested) run: one per distinct SSH target (pair). */
        private static int routesRun(ApplicationConfig config, boolean hostRoutes) {
            List<SshTarget> targets =
                    config.servers().stream().map(SshTarget::of).toList();
            Set<List<SshTarget>> routes = new HashSet<>();
            for (int i = 0; hostRoutes && i < targets.size(); i++) {
                for (int j = 0; j < targets.size(); j++) {
                    if (i != j) {
                        routes.add(List.of(targets.get(i), targets.get(j)));
                    }
                }
            }
            return new HashSet<>(targets).size() + routes.size();
        }
    }
}
