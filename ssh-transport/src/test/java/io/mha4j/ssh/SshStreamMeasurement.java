package io.mha4j.ssh;

import io.mha4j.remote.CommandResult;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.testkit.OpenSshServer;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Measures streaming a command's large output through an {@link SshRemoteShell}'s warm shell
 * from a local OpenSSH server into a file, as the failover streams the binlog tool's text: each
 * run's milliseconds and bytes, the first run cold. Not a test; run by hand with the command and
 * its arguments, e.g. {@code cat /tmp/out.sql}.
 */
public final class SshStreamMeasurement {
    private SshStreamMeasurement() {}

    public static void main(String[] args) throws Exception {
        Duration timeout = Duration.ofSeconds(60);
        Path into = Files.createTempFile("mha4j-stream", ".out");
        try (OpenSshServer server = OpenSshServer.builder().start();
                SshRemoteShell shell = new SshRemoteShell(TestTargets.of(server))) {
            System.out.println(shell.prepare(Duration.ofSeconds(5)));
            shell.run(RemoteCommand.of("true"), timeout);
            for (int run = 1; run <= 10; run++) {
                long t = System.nanoTime();
                CommandResult r;
                try (OutputStream out = Files.newOutputStream(into)) {
                    // Standard input (empty) sends the command over an exec channel of its own instead.
                    r = shell.run(
                            RemoteCommand.of(java.util.List.of(args)),
                            timeout,
                            Boolean.getBoolean("exec") ? java.io.InputStream.nullInputStream() : null,
                            out);
                }
                System.out.printf(
                        "run=%d exit=%d bytes=%d ms=%.1f%n",
                        run, r.exitCode(), Files.size(into), (System.nanoTime() - t) / 1e6);
            }
        } finally {
            Files.deleteIfExists(into);
        }
    }
}
