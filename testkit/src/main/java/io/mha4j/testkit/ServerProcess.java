package io.mha4j.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a server process, from launch to exit, and the signals a failover test sends it.
 * Linux only: pausing uses {@code kill -STOP/-CONT} and memory is read from {@code /proc}.
 */
final class ServerProcess {

    private static final Logger log = LoggerFactory.getLogger(ServerProcess.class);

    private final String name;
    private final Process process;
    private volatile boolean paused;

    private ServerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /** Starts {@code command}, appending its standard output and error to {@code output}. */
    static ServerProcess launch(String name, List<String> command, Path output) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            log.debug("{}: launched pid {}", name, process.pid());
            return new ServerProcess(name, process);
        } catch (IOException e) {
            throw new SandboxException(name + ": cannot start " + command.get(0), e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    boolean isPaused() {
        return paused && process.isAlive();
    }

    /** The exit code; only meaningful once {@link #isAlive()} is false. */
    int exitCode() {
        return process.exitValue();
    }

    /** SIGKILL, then waits for the exit. Works on a paused process too. */
    void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30), "SIGKILL");
        paused = false;
    }

    /**
     * SIGTERM (continuing a paused process first, or the signal would wait), then waits for a
     * clean shutdown; escalates to SIGKILL if the server has not exited within {@code patience}.
     */
    void terminate(Duration patience) {
        if (paused) {
            resume();
        }
        process.destroy();
        if (!waitFor(patience)) {
            log.warn("{}: pid {} ignored SIGTERM for {}; sending SIGKILL", name, pid(), patience);
            kill();
        }
    }

    /** SIGSTOP: the server keeps its sockets but answers nothing until {@link #resume()}. */
    void pause() {
        signal("-STOP");
        awaitState("stopped", state -> state == 'T');
        paused = true;
    }

    /** SIGCONT. */
    void resume() {
        signal("-CONT");
        awaitState("running again", state -> state != 'T');
        paused = false;
    }

    /** The peak resident set size ({@code VmHWM}) of the process so far. */
    long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            throw new SandboxException(name + ": no VmHWM in /proc/" + pid() + "/status");
        } catch (IOException e) {
            throw new SandboxException(name + ": cannot read /proc/" + pid() + "/status (is it running?)", e);
        }
    }

    private void signal(String signal) {
        new ExternalCommand(List.of("kill", signal, Long.toString(pid())), Duration.ofSeconds(10))
                .run("", Path.of("/dev/null"));
    }

    private void awaitState(String what, java.util.function.IntPredicate state) {
        try {
            Awaitility.await(name + " " + what)
                    .atMost(Duration.ofSeconds(10))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10))
                    .pollInSameThread()
                    .until(() -> state.test(processState()));
        } catch (ConditionTimeoutException e) {
            throw new SandboxException(name + ": pid " + pid() + " did not become " + what + " within 10 s", e);
        }
    }

    /** The state letter of {@code /proc/<pid>/stat} (R, S, D, T, Z ...), after the command name. */
    private char processState() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"), StandardCharsets.UTF_8);
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    private void awaitExit(Duration timeout, String after) {
        if (!waitFor(timeout)) {
            throw new SandboxException(name + ": pid " + pid() + " still runs " + timeout + " after " + after);
        }
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException(name + ": interrupted while waiting for pid " + pid() + " to exit", e);
        }
    }
}
