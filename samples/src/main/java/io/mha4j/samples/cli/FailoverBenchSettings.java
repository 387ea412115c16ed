package io.mha4j.samples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How {@code bench failover} runs: every configuration (cluster size × tail × login shell) gets
 * {@code trials} trials per tool, the tools taking turns within a configuration so that both see
 * the same machine at the same time.
 *
 * @param tools the managers timed (mha4j, MHA 0.58)
 * @param nodes cluster sizes
 * @param tails seconds the replicas' IO threads are stopped before the kill (0: a clean kill)
 * @param shells the remote user's shell starts tried; ignored without SSH
 * @param trials trials per tool and configuration
 * @param pingInterval the managers' {@code ping_interval}, seconds
 * @param writeRate the application's single-row transactions per second (0: as fast as the master answers)
 * @param overSsh {@code remote_shell=ssh} through the testkit's sshd (else {@code local}, mha4j only)
 * @param out the directory for {@code trials.tsv}, one log per trial and the managers' working directories
 * @param maxMinutes no trial starts after this long
 * @param installMha install Debian's MHA 0.58 packages when missing (root only)
 * @param mergeRecovered mha4j runs with {@code merge_recovered_transactions=1}
 * @param binlogMb MB of earlier transactions in the master's current binary log before the
 *     manager starts ({@code ReplicationNode.fillBinaryLog}); 0: a fresh sandbox's nearly empty log
 */
record FailoverBenchSettings(
        List<BenchTool> tools,
        List<Integer> nodes,
        List<Integer> tails,
        List<HostShell> shells,
        int trials,
        int pingInterval,
        int writeRate,
        boolean overSsh,
        Path out,
        int maxMinutes,
        boolean installMha,
        boolean mergeRecovered,
        int binlogMb) {

    /** One cell of the table: the same sandbox, fault and host for every tool; no shell without SSH. */
    record Configuration(int nodes, int tailSeconds, Optional<HostShell> shell) {
        String shellLabel() {
            return shell.map(h -> h.label).orElse("-");
        }
    }

    FailoverBenchSettings {
        tools = List.copyOf(tools);
        nodes = List.copyOf(nodes);
        tails = List.copyOf(tails);
        shells = List.copyOf(shells);
        if (tools.isEmpty() || nodes.isEmpty() || tails.isEmpty() || shells.isEmpty()) {
            throw new IllegalArgumentException(
                    "--tool, --nodes, --tail and --login_shell need at least one value each");
        }
        if (tools.size() != tools.stream().distinct().count()) {
            throw new IllegalArgumentException("--tool names a tool twice: " + tools);
        }
        if (nodes.stream().anyMatch(n -> n < 3)) {
            throw new IllegalArgumentException("--nodes must be at least 3 (a master and two replicas): " + nodes);
        }
        if (tails.stream().anyMatch(t -> t < 0 || t > 60)) {
            throw new IllegalArgumentException("--tail must be from 0 to 60 seconds: " + tails);
        }
        if (trials < 1 || pingInterval < 1 || maxMinutes < 1) {
            throw new IllegalArgumentException("--trials, --ping_interval and --max_minutes must be at least 1");
        }
        if (writeRate < 0) {
            throw new IllegalArgumentException(
                    "--write_rate must be 0 (as fast as the master answers) or more: " + writeRate);
        }
        if (binlogMb < 0 || binlogMb > 1024) {
            throw new IllegalArgumentException(
                    "--binlog_mb must be from 0 to 1024 (a binary log's largest size): " + binlogMb);
        }
        if (!overSsh && tools.contains(BenchTool.MHA)) {
            throw new IllegalArgumentException(
                    "--remote_shell=local is for mha4j only: MHA 0.58 always runs its node" + " tools over SSH");
        }
    }

    /** Every configuration, in the order run: by size, then tail, then shell (one shell, none, without SSH). */
    List<Configuration> configurations() {
        List<Configuration> all = new ArrayList<>();
        for (int n : nodes) {
            for (int tail : tails) {
                if (overSsh) {
                    shells.forEach(shell -> all.add(new Configuration(n, tail, Optional.of(shell))));
                } else {
                    all.add(new Configuration(n, tail, Optional.empty()));
                }
            }
        }
        return all;
    }

    /** How many trials the run makes in all. */
    int totalTrials() {
        return configurations().size() * tools.size() * trials;
    }
}
