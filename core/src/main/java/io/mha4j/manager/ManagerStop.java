package io.mha4j.manager;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code stop}, as MHA's {@code masterha_stop}: SIGTERM to the manager named in the status
 * file, refused while a failover runs unless {@code --abort}, SIGKILL after the timeout with
 * {@code --abort}. The manager's shutdown hook stops monitoring and removes its status file.
 *
 * @param exitCode what the command exits with
 * @param message MHA's line
 */
public record ManagerStop(int exitCode, String message) {

    public static ManagerStop stop(String app, Path workdir, boolean abort, Duration abortTimeout) {
        StatusCheck status = StatusCheck.of(app, workdir, Duration.ofSeconds(3), Optional.empty(), Instant.now());
        if (status.status() == ManagerStatus.NOT_RUNNING) {
            return new ManagerStop(
                    0, "MHA Manager is not running on " + app + "(" + ManagerStatus.NOT_RUNNING.label() + ").");
        }
        if (status.status() == ManagerStatus.FAILOVER_RUNNING && !abort) {
            return new ManagerStop(1, "Currently Failover is running on " + app + ". Should not stop.");
        }
        Optional<ProcessHandle> manager = new StatusFile(workdir, app).read().flatMap(e -> ProcessHandle.of(e.pid()));
        if (manager.isEmpty()) {
            return new ManagerStop(1, "Failed to stop " + app + ": its status file names no running process.");
        }
        ProcessHandle p = manager.get();
        p.destroy();
        if (exited(p, abortTimeout)) {
            return new ManagerStop(0, "Stopped " + app + " successfully.");
        }
        if (abort && p.destroyForcibly() && exited(p, abortTimeout)) {
            return new ManagerStop(
                    0,
                    "Manager process " + p.pid() + " didn't stop in " + abortTimeout.toSeconds()
                            + " seconds.\nForced stopped " + app + ".");
        }
        return new ManagerStop(
                1,
                "Manager process " + p.pid() + " didn't stop in " + abortTimeout.toSeconds()
                        + " seconds.\nFailed to stop " + app + ".");
    }

    private static boolean exited(ProcessHandle p, Duration timeout) {
        try {
            p.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !p.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }
}
