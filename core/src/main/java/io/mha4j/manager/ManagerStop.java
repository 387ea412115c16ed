package io.mha4j.manager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
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
 * One application of a process that runs several is stopped by request instead, never signalled
 * ({@link StopRequest}).
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
        StopRequest one = new StopRequest(workdir, app);
        if (one.offeredBy(p.pid())) {
            return stopOne(app, workdir, p, one, abortTimeout);
        }
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

    /**
     * One application of a process that runs several: asked by its request file, never signalled,
     * even with {@code --abort} (a SIGKILL would kill the others too).
     */
    private static ManagerStop stopOne(String app, Path workdir, ProcessHandle p, StopRequest one, Duration timeout) {
        one.request();
        if (statusRemoved(new StatusFile(workdir, app).path(), p, timeout)) {
            return new ManagerStop(0, "Stopped " + app + " successfully.");
        }
        return new ManagerStop(
                1,
                "Manager process " + p.pid() + " didn't stop " + app + " in " + timeout.toSeconds() + " seconds;"
                        + " it manages other applications too, so it was not killed (" + one.requestFile()
                        + " asks it still).\nFailed to stop " + app + ".");
    }

    /** Until the application's status file is gone (its manager ended) or the process ended; false after timeout. */
    private static boolean statusRemoved(Path status, ProcessHandle p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (WatchService watch = status.getFileSystem().newWatchService()) {
            status.getParent().register(watch, StandardWatchEventKinds.ENTRY_DELETE);
            while (Files.exists(status) && p.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // Woken by any deletion in the directory; at the latest every 100 ms, to see the process end.
                WatchKey key = watch.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch " + status.getParent(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !Files.exists(status);
        }
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
