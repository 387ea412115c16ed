package io.mha4j.samples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench failover}: kill -9 of the master under write load, timed the same way for every
 * tool it measures (mha4j, and MHA 0.58 where it is installed), over real SSH by default. The
 * method is in {@code docs/measurements.md} ("Failover"); each trial is a {@link FailoverBenchTrial}.
 * Prints one raw line per trial (kept in {@code <out>/trials.tsv}) and a summary table; exits 0
 * when every trial promoted, converged and lost nothing, 1 otherwise. Bounded in trials and time.
 */
@Command(
        name = "failover",
        mixinStandardHelpOptions = true,
        description = "kill -9 the master under load; time detection, promotion and convergence from outside; count"
                + " lost writes; mha4j and MHA 0.58 on the same sandbox, over real SSH.")
final class BenchFailoverCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--tool",
            split = ",",
            defaultValue = "mha4j",
            description = "mha4j, mha, or both (mha4j,mha): taking turns (default: ${DEFAULT-VALUE})")
    List<String> tools;

    @Option(
            names = "--nodes",
            split = ",",
            defaultValue = "3,5",
            description = "cluster sizes (default: ${DEFAULT-VALUE})")
    List<Integer> nodes;

    @Option(
            names = "--tail",
            split = ",",
            defaultValue = "0",
            paramLabel = "SECONDS",
            description = "the replicas' IO threads stopped this long before the kill, so the dead master alone holds"
                    + " what was written meanwhile; 0 is a clean kill; several: 0,1 (default: ${DEFAULT-VALUE})")
    List<Integer> tails;

    @Option(
            names = "--login_shell",
            split = ",",
            defaultValue = "lean",
            description = "the remote user's shell start: lean (sources nothing), slow (1 s per command), as-is (the"
                    + " user's own rc files); several: lean,slow (default: ${DEFAULT-VALUE})")
    List<String> shells;

    @Option(
            names = "--trials",
            defaultValue = "10",
            description = "trials per tool and configuration (default: ${DEFAULT-VALUE})")
    int trials;

    @Option(
            names = "--ping_interval",
            defaultValue = "1",
            description = "the managers', seconds (default: ${DEFAULT-VALUE})")
    int pingInterval;

    @Option(
            names = "--write_rate",
            defaultValue = "30",
            description = "the application's single-row transactions a"
                    + " second, paced (about what issue 12's client wrote: a 1 s tail holds ~30); 0: as fast as the master"
                    + " answers (default: ${DEFAULT-VALUE})")
    int writeRate;

    @Option(
            names = "--remote_shell",
            defaultValue = "ssh",
            description = "ssh (the testkit's sshd on 127.0.0.1) or local (mha4j only) (default: ${DEFAULT-VALUE})")
    String remoteShell;

    @Option(
            names = "--out",
            description = "directory for trials.tsv, the trial logs and the managers' files"
                    + " (default: ./mha4j-bench-failover-<time>)")
    Path out;

    @Option(
            names = "--max_minutes",
            defaultValue = "240",
            description = "start no trial after this long (default: ${DEFAULT-VALUE})")
    int maxMinutes;

    @Option(
            names = "--merge_recovered_transactions",
            description = "mha4j's merge_recovered_transactions=1: the dead master's row transactions replayed as few"
                    + " (MariaDB); default: each as committed")
    boolean mergeRecovered;

    @Option(
            names = "--binlog_mb",
            defaultValue = "0",
            description = "MB of earlier one-row statements in the master's current binary log before the manager"
                    + " starts, as on a busy master (default: ${DEFAULT-VALUE}: a fresh sandbox's nearly empty log)")
    int binlogMb;

    @Option(
            names = "--install_mha",
            description =
                    "as root, install Debian's mha4mysql-manager and mha4mysql-node when" + " --tool=mha needs them")
    boolean installMha;

    /** The options, checked. */
    FailoverBenchSettings settings() {
        if (!List.of("ssh", "local").contains(remoteShell)) {
            throw new IllegalArgumentException("--remote_shell must be ssh or local, not " + remoteShell);
        }
        Path dir = out != null
                ? out
                : Path.of("mha4j-bench-failover-"
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        return new FailoverBenchSettings(
                tools.stream().map(BenchTool::parse).toList(),
                nodes,
                tails,
                shells.stream().map(HostShell::parse).toList(),
                trials,
                pingInterval,
                writeRate,
                remoteShell.equals("ssh"),
                dir.toAbsolutePath(),
                maxMinutes,
                installMha,
                mergeRecovered,
                binlogMb);
    }

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        FailoverBenchSettings s = settings();
        Optional<MhaInstallation> mha = Optional.empty();
        if (s.tools().contains(BenchTool.MHA)) {
            Optional<String> missing = MhaInstallation.missing();
            if (missing.isPresent() && !s.installMha()) {
                throw new IllegalStateException(missing.get());
            }
            if (missing.isPresent()) {
                MhaInstallation.install(o);
            }
            mha = Optional.of(MhaInstallation.prepare(s.out()));
        }
        FailoverBenchRun run = new FailoverBenchRun(s, o);
        o.println(describe(s));
        o.println(FailoverBenchResult.HEADER);
        o.flush();
        List<FailoverBenchResult> results = run.run(mha);
        o.println();
        o.print(FailoverBenchSummary.table(results));
        o.printf("Raw lines: %s; one log per trial beside it.%n", run.rawFile());
        o.flush();
        return results.stream().allMatch(FailoverBenchResult::ok) ? 0 : 1;
    }

    private static String describe(FailoverBenchSettings s) {
        return String.format(
                "Failover bench: tools %s (taking turns), %d trial(s) each per configuration, %d in all;"
                        + " nodes %s, tail %s s, %s; ping_interval=%d s; the application writes %s.%s A fresh sandbox per trial on"
                        + " 127.0.0.1; the manager as users run it, monitoring for %d s before the fault; kill -9 of the master's"
                        + " mariadbd at a random point of the ping cycle; promotion ="
                        + " an ordinary user's INSERT succeeding on a survivor, convergence = every other survivor replicating"
                        + " from it with that row; lost = acknowledged writes missing on a survivor. Output: %s",
                s.tools().stream()
                        .map(t -> t.label + (t == BenchTool.MHA ? " " + MhaInstallation.version() : ""))
                        .toList(),
                s.trials(),
                s.totalTrials(),
                s.nodes(),
                s.tails(),
                s.overSsh()
                        ? "remote_shell=ssh (one sshd per trial on 127.0.0.1 serving every host), login shell "
                                + s.shells().stream().map(h -> h.label).toList()
                        : "remote_shell=local",
                s.pingInterval(),
                s.writeRate() == 0 ? "as fast as the master answers" : s.writeRate() + " transactions/s",
                s.binlogMb() == 0
                        ? ""
                        : " The master's binary log holds " + s.binlogMb() + " MB of earlier transactions before the"
                                + " manager starts.",
                FailoverBenchTrial.STEADY.toSeconds(),
                s.out());
    }
}
