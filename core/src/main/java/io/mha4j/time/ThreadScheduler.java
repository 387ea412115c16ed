package io.mha4j.time;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Scheduler#system(String)}: one named daemon thread on the system clock. */
final class ThreadScheduler implements Scheduler {
    private static final Logger log = LoggerFactory.getLogger(ThreadScheduler.class);

    private final String name;
    private final ScheduledThreadPoolExecutor executor;

    ThreadScheduler(String name) {
        this.name = name;
        this.executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            return t;
        });
        // A cancelled ping must not sit in the queue until its time comes.
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        try {
            ScheduledFuture<?> f =
                    executor.schedule(() -> runLogged(name, task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        } catch (RejectedExecutionException closed) {
            log.debug("{}: closed; a task was not scheduled", name);
            return () -> {};
        }
    }

    /** Runs a task so that whatever it throws is logged and the thread lives on. */
    static void runLogged(String scheduler, Runnable task) {
        try {
            task.run();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            log.error("{}: a scheduled task failed; the scheduler goes on", scheduler, e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "Scheduler[" + name + "]";
    }
}
