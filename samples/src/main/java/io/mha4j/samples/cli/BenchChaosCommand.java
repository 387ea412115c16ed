package io.mha4j.samples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench chaos}: randomized faults over a real sandbox under write load, with the manager
 * run as users run it, and the invariants checked in every trial (see {@link ChaosInvariants} and
 * {@code docs/chaos.md}). Prints one raw line per trial (also kept in {@code <out>/trials.tsv})
 * and a summary table; exits 0 when every trial that ran held every invariant, 1 otherwise.
 */
@Command(
        name = "chaos",
        mixinStandardHelpOptions = true,
        description =
                "Randomized faults under write load, the manager as users run it; check the invariants per trial.")
final class BenchChaosCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--trials", defaultValue = "16", description = "trials in all (default: ${DEFAULT-VALUE})")
    int trials;

    @Option(names = "--seed", description = "the run's seed (default: random, printed); trial i uses seed+i-1")
    Long seed;

    @Option(
            names = "--faults",
            split = ",",
            description = "faults to draw from (default: all): kill, shutdown, sigstop,"
                    + " errant, restart, frozen-replica, manager-cut, master-isolated")
    List<String> faults;

    @Option(
            names = "--out",
            description = "directory for trials.tsv and the trial logs (default: ./mha4j-chaos-<time>)")
    Path out;

    @Option(
            names = "--network",
            defaultValue = "auto",
            description = "auto (namespaces when root), netns, or loopback (default: ${DEFAULT-VALUE})")
    String network;

    @Option(names = "--nodes", defaultValue = "3", description = "servers per sandbox (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(
            names = "--ping_interval",
            defaultValue = "1",
            description = "the manager's, in seconds (default: ${DEFAULT-VALUE})")
    int pingInterval;

    @Option(
            names = "--slave_net_timeout",
            defaultValue = "10",
            description = "the servers', in seconds (default: ${DEFAULT-VALUE}; MariaDB's own is 60)")
    int slaveNetTimeout;

    @Option(
            names = "--max_pause",
            defaultValue = "90",
            description = "longest SIGSTOP, seconds (default: ${DEFAULT-VALUE})")
    int maxPause;

    @Option(
            names = "--max_cut",
            defaultValue = "45",
            description = "longest network cut, seconds (default: ${DEFAULT-VALUE})")
    int maxCut;

    @Option(
            names = "--settle",
            defaultValue = "5",
            description = "seconds watched after each fault and failover (default: ${DEFAULT-VALUE})")
    int settle;

    @Option(names = "--max_minutes", defaultValue = "240", description = "stop starting trials after this long")
    int maxMinutes;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        List<ChaosFault> chosen = faults == null
                ? ChaosFault.all()
                : faults.stream().map(ChaosFault::parse).toList();
        if (!List.of("auto", "netns", "loopback").contains(network)) {
            throw new IllegalArgumentException("--network must be auto, netns or loopback, not " + network);
        }
        long runSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
        Path dir = out != null
                ? out
                : Path.of("mha4j-chaos-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        ChaosSettings settings = new ChaosSettings(
                nodes,
                pingInterval,
                slaveNetTimeout,
                maxPause,
                maxCut,
                settle,
                !network.equals("loopback"),
                dir.toAbsolutePath());
        try (ChaosRun run = new ChaosRun(settings, o)) {
            if (network.equals("netns") && !run.hasNamespaces()) {
                throw new IllegalStateException("--network=netns: " + ChaosNetwork.whyLoopback(true));
            }
            o.println(describe(settings, run.hasNamespaces(), runSeed, chosen));
            o.println(ChaosResult.HEADER);
            o.flush();
            List<ChaosResult> results = run.run(trials, runSeed, chosen, maxMinutes);
            o.println();
            o.print(ChaosSummary.table(results));
            o.printf("Raw lines: %s; one log per trial beside it.%n", run.rawFile());
            o.flush();
            return results.stream().filter(ChaosResult::ran).allMatch(ChaosResult::held) ? 0 : 1;
        }
    }

    private String describe(ChaosSettings s, boolean namespaces, long runSeed, List<ChaosFault> chosen) {
        StringBuilder d = new StringBuilder();
        if (namespaces) {
            d.append("Network: one network namespace per server, each with its own sshd; the manager (this JVM) and the"
                    + " application on the bridge.\n");
        } else {
            d.append("Network: LOOPBACK: every server and one sshd on 127.0.0.1, because ")
                    .append(ChaosNetwork.whyLoopback(!network.equals("loopback")))
                    .append(". Skipped: ")
                    .append(Arrays.stream(ChaosFault.values())
                            .filter(f -> f.needsNamespaces && chosen.contains(f))
                            .map(f -> f.label)
                            .toList())
                    .append(" (partitions need namespaces).\n");
        }
        d.append(String.format(
                "Sandbox: %d MariaDB servers started writable (as production my.cnf files have them);"
                        + " slave_net_timeout=%d s (MariaDB's default is 60 s; lowered to keep trials short, so the replicas'"
                        + " heartbeat period is %.1f s). Manager: ping_interval=%d s, the default options (it stays up after a failover and guards the old master), remote_shell=ssh.%n",
                s.nodes(), s.slaveNetTimeout(), s.slaveNetTimeout() / 2.0, s.pingInterval()));
        d.append(String.format(
                "Run: %d trials, seed %d, faults %s; trial budget %d s; output %s",
                trials, runSeed, chosen.stream().map(f -> f.label).toList(), s.trialBudgetSeconds(), s.out()));
        return d.toString();
    }
}
