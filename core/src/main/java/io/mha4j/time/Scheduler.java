package io.mha4j.time;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

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

    /**
     * Nanoseconds on a monotonic scale of this scheduler's time, for deadlines and durations (never
     * for dates): the system scheduler's is {@link System#nanoTime()}, which a step of the wall
     * clock (NTP) does not move; a {@link ManualScheduler}'s follows its virtual time.
     */
    default long nanoTime() {
        return System.nanoTime();
    }

    /**
     * Blocks the calling thread for {@code duration} of this scheduler's time. Code that waits for
     * a server (a failover polling a replica until it has applied its relay log) pauses here, never
     * in {@code Thread.sleep}, so that under a {@link ManualScheduler} its waits and timeouts pass in
     * virtual time. The system scheduler sleeps; it runs no task for it.
     *
     * @throws InterruptedException when the thread is interrupted meanwhile
     */
    default void sleep(Duration duration) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(Math.max(0, duration.toNanos()));
    }

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
