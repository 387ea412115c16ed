package io.mha4j.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Virtual time for tests, yours included (as Guava's {@code FakeTicker}): nothing runs until
 * {@link #advance(Duration)}, which runs every task that falls due, in time order, on the
 * calling thread, moving {@link #clock()} to each task's time as it runs it. Tasks scheduled
 * by a running task run in the same call if they fall due within it.
 *
 * <pre>{@code
 * ManualScheduler time = new ManualScheduler();
 * ClusterMonitor monitor = ClusterMonitor.builder(config, master).scheduler(time).probes(fakes).build();
 * monitor.start();
 * time.advance(Duration.ofSeconds(9));   // four pings at 3 s, in milliseconds of real time
 * }</pre>
 *
 * <p>Thread-safe: any thread may schedule, advance or sleep; advances take turns.
 */
public final class ManualScheduler implements Scheduler {
    /** Where virtual time starts unless told otherwise. */
    public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private record Entry(Instant due, long seq, Runnable task) {}

    private final PriorityQueue<Entry> queue =
            new PriorityQueue<>(Comparator.comparing(Entry::due).thenComparingLong(Entry::seq));
    private final VirtualClock clock = new VirtualClock(ZoneOffset.UTC);
    private final Instant start;
    private final java.util.concurrent.locks.ReentrantLock advancing = new java.util.concurrent.locks.ReentrantLock();
    private volatile Instant now;
    private long seq;
    private boolean closed;

    public ManualScheduler() {
        this(EPOCH);
    }

    public ManualScheduler(Instant start) {
        this.start = start;
        this.now = start;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** Virtual nanoseconds since this scheduler's start: its time, monotonic. */
    @Override
    public long nanoTime() {
        return Duration.between(start, now).toNanos();
    }

    /** The virtual time now. */
    public Instant now() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        if (closed) {
            return () -> {};
        }
        Entry e = new Entry(now.plus(delay.isNegative() ? Duration.ZERO : delay), seq++, task);
        queue.add(e);
        return () -> remove(e);
    }

    private synchronized void remove(Entry e) {
        queue.remove(e);
    }

    /**
     * Moves time forward by {@code by}, running every task due on the way, each at its own time.
     * {@code advance(Duration.ZERO)} runs what is due now. A task that throws is logged; the
     * others still run.
     */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time does not go back: " + by);
        }
        // One advance at a time (threads sleeping at once take turns): tasks run one at a time and in
        // time order, as the Scheduler contract says, and each sleeper's time passes from where it finds it.
        advancing.lock();
        try {
            advanceLocked(by);
        } finally {
            advancing.unlock();
        }
    }

    private void advanceLocked(Duration by) {
        Instant target = now.plus(by);
        while (true) {
            Entry next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due().isAfter(target) || closed) {
                    break;
                }
                queue.poll();
                if (next.due().isAfter(now)) {
                    now = next.due();
                }
            }
            // Outside the lock: a task may wait on threads that schedule.
            ThreadScheduler.runLogged("manual scheduler", next.task());
        }
        synchronized (this) {
            now = target;
        }
    }

    /**
     * Moves time forward by {@code duration} as {@link #advance} does, on the sleeping thread: a
     * failover under test that waits for a server passes its waits and timeouts in virtual time.
     * Several threads may sleep at once (a failover's parallel waits); time only moves forward.
     */
    @Override
    public void sleep(Duration duration) {
        advance(duration.isNegative() ? Duration.ZERO : duration);
    }

    /** Tasks scheduled and not yet run or cancelled. */
    public synchronized int pending() {
        return queue.size();
    }

    /** The time the next pending task falls due, or null when none is pending. */
    public synchronized Instant nextDue() {
        Entry e = queue.peek();
        return e == null ? null : e.due();
    }

    @Override
    public synchronized void close() {
        closed = true;
        queue.clear();
    }

    private final class VirtualClock extends Clock {
        private final ZoneId zone;

        VirtualClock(ZoneId zone) {
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId other) {
            return new VirtualClock(other);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Override
    public String toString() {
        return "ManualScheduler[now=" + now + ", pending=" + pending() + "]";
    }
}
