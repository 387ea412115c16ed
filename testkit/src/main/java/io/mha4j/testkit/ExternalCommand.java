package io.mha4j.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A short-lived command run to completion with a time limit, its output kept in a log file so
 * a failure can show what the command said. Secrets go on standard input, never on the
 * command line, where {@code ps} would show them.
 */
record ExternalCommand(List<String> command, Duration timeout) {

    ExternalCommand {
        command = List.copyOf(command);
    }

    /**
     * Runs the command, writing {@code stdin} to it, and waits.
     *
     * @throws SandboxException when it cannot start, times out or exits non-zero; the message
     *     holds the command and the tail of {@code log}
     */
    void run(String stdin, Path log) {
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new SandboxException(command.get(0) + " did not finish within " + timeout + "; command: "
                        + command + "\n" + DirectoryTree.errors(log, 20));
            }
            if (p.exitValue() != 0) {
                throw new SandboxException(command.get(0) + " failed with exit code " + p.exitValue() + "; command: "
                        + command + "\n" + DirectoryTree.errors(log, 20));
            }
        } catch (IOException e) {
            throw new SandboxException("Cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("Interrupted while running " + command, e);
        }
    }
}
