package io.mha4j.ssh;

import io.mha4j.remote.RemoteCommand;
import io.mha4j.testkit.OpenSshServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Measures an {@link SshRemoteShell} against a local OpenSSH server: connect plus the first
 * command, then the median of 50 commands and of 50 SFTP stats on the reused connection. Not a
 * test; run by hand to refresh the numbers in the report. The argument {@code userHome} makes
 * sessions run the OS user's dotfiles, as a real host's login shell does.
 */
public final class SshLatencyMeasurement {

    private static final int RUNS = 50;

    private SshLatencyMeasurement() {}

    public static void main(String[] args) {
        boolean userHome = args.length > 0 && args[0].equals("userHome");
        Duration timeout = Duration.ofSeconds(30);
        try (OpenSshServer server = OpenSshServer.builder().userHome(userHome).start()) {
            for (int shellRun = 1; shellRun <= 2; shellRun++) {
                try (SshRemoteShell shell = new SshRemoteShell(TestTargets.of(server))) {
                    long started = System.nanoTime();
                    shell.run(RemoteCommand.of("true"), timeout);
                    long first = System.nanoTime() - started;
                    List<Long> commands = new ArrayList<>();
                    List<Long> stats = new ArrayList<>();
                    for (int i = 0; i < RUNS; i++) {
                        long t = System.nanoTime();
                        shell.run(RemoteCommand.of("true"), timeout);
                        commands.add(System.nanoTime() - t);
                        t = System.nanoTime();
                        shell.stat("/");
                        stats.add(System.nanoTime() - t);
                    }
                    System.out.printf(
                            "shell=%d userHome=%s connect_and_first_command_ms=%.1f"
                                    + " command_median_ms=%.1f stat_median_ms=%.2f%n",
                            shellRun, userHome, first / 1e6, median(commands) / 1e6, median(stats) / 1e6);
                }
            }
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
