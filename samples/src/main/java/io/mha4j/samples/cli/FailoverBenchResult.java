package io.mha4j.samples.cli;

import io.mha4j.samples.cli.FailoverBenchSettings.Configuration;
import java.util.Optional;

/**
 * One trial of {@code bench failover}, one tab-separated line of {@code trials.tsv}. Times are in
 * milliseconds from the kill of the master's mariadbd; -1 where there is none.
 *
 * @param killOffsetMs how long after the tail (or the load's start) the kill came: a random point of the ping cycle
 * @param detectionMs the tool's own word that the master is dead (mha4j: the monitor's DEAD verdict; MHA: its log
 *     line "Master is down!")
 * @param promotionMs an ordinary user's INSERT succeeded on a survivor: seen from outside, the same client for every tool
 * @param convergenceMs every other survivor replicates from the new master and has applied that INSERT
 * @param newMaster the survivor the INSERT succeeded on
 * @param acknowledged writes the application had acknowledged in the trial
 * @param tailWrites of which acknowledged while the replicas' IO threads were stopped: only the dead master had them
 * @param lost acknowledged writes missing on some survivor at the end (the most any survivor misses)
 * @param checksums whether the survivors' ledger rows agree: agree, DIFFER, or - (not verified)
 * @param outcome ok; LOST (an acknowledged write missing, or the survivors' rows differ); NO_PROMOTION; NOT_CONVERGED;
 *     ERROR (the trial could not run: the notes say why)
 * @param notes the tool's own result (mha4j's report, MHA's exit code), and why a trial failed
 */
record FailoverBenchResult(
        int trial,
        BenchTool tool,
        Configuration configuration,
        boolean overSsh,
        int pingInterval,
        long killOffsetMs,
        long detectionMs,
        long promotionMs,
        long convergenceMs,
        String newMaster,
        int acknowledged,
        int tailWrites,
        int lost,
        String checksums,
        String outcome,
        long seconds,
        String notes) {

    static final String HEADER = String.join(
            "\t",
            "trial",
            "tool",
            "nodes",
            "tail_s",
            "login_shell",
            "remote_shell",
            "ping_interval_s",
            "kill_offset_ms",
            "detection_ms",
            "promotion_ms",
            "convergence_ms",
            "new_master",
            "acknowledged",
            "tail_writes",
            "lost",
            "checksums",
            "outcome",
            "seconds",
            "notes");

    boolean ok() {
        return outcome.equals("ok");
    }

    String line() {
        return String.join(
                "\t",
                Integer.toString(trial),
                tool.label,
                Integer.toString(configuration.nodes()),
                Integer.toString(configuration.tailSeconds()),
                configuration.shellLabel(),
                overSsh ? "ssh" : "local",
                Integer.toString(pingInterval),
                Long.toString(killOffsetMs),
                Long.toString(detectionMs),
                Long.toString(promotionMs),
                Long.toString(convergenceMs),
                newMaster,
                Integer.toString(acknowledged),
                Integer.toString(tailWrites),
                Integer.toString(lost),
                checksums,
                outcome,
                Long.toString(seconds),
                notes.isEmpty() ? "-" : notes.replace('\t', ' ').replace('\n', ' '));
    }

    /**
     * Reads a line {@link #line()} wrote.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    static FailoverBenchResult parse(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != HEADER.split("\t").length) {
            throw new IllegalArgumentException("A trials.tsv line has " + HEADER.split("\t").length
                    + " fields, this one " + f.length + ": " + line);
        }
        Optional<HostShell> shell = f[4].equals("-") ? Optional.empty() : Optional.of(HostShell.parse(f[4]));
        return new FailoverBenchResult(
                Integer.parseInt(f[0]),
                BenchTool.parse(f[1]),
                new Configuration(Integer.parseInt(f[2]), Integer.parseInt(f[3]), shell),
                f[5].equals("ssh"),
                Integer.parseInt(f[6]),
                Long.parseLong(f[7]),
                Long.parseLong(f[8]),
                Long.parseLong(f[9]),
                Long.parseLong(f[10]),
                f[11],
                Integer.parseInt(f[12]),
                Integer.parseInt(f[13]),
                Integer.parseInt(f[14]),
                f[15],
                f[16],
                Long.parseLong(f[17]),
                f[18].equals("-") ? "" : f[18]);
    }
}
