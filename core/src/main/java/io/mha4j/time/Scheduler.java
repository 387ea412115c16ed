package io.mha4j.time;

import java.time.Clock;
import java.time.Duration;

/**
 * Runs tasks after a delay, measured on the scheduler's own {@link #clock()}. mha4j's periodic
 * work (the master's pings) is written against this interface, never against {@code
 * Thread.sleep}, so tests drive it with a {@link ManualScheduler} in virtual time.
 *
 * <p>Contract for implementations: tasks run one at a time, in the order they fall due; a task
 * that throws is logged and does not stop later tasks; after {@link #close()} no task starts
 * and {@link #schedule} does nothing (a task racing with the shutdown of its owner is not an
 * error).
 */
public interface Scheduler extends AutoCloseable {

    /** The clock delays are measured on, and that scheduled code should read. */
    Clock clock();

    /**
     * Runs {@code task} once, {@code delay} from now (a negative delay counts as zero).
     *
     * @return a handle that calls the task off
     */
    Cancellable schedule(Runnable task, Duration delay);

    /** Stops: pending tasks never run, a running task is interrupted. Idempotent. */
    @Override
    void close();

    /**
     * A scheduler on the system clock with one daemon thread named {@code threadName}, so a
     * thread dump shows whose work it does and it never keeps a host application's JVM alive.
     */
    static Scheduler system(String threadName) {
        return new ThreadScheduler(threadName);
    }
}
