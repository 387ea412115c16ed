package io.mha4j.internal.failover;

import io.mha4j.failover.TimedStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one part of a failover (phase 2, a compensation) as they run, each timed and
 * logged: where the time of the critical path goes. Steps may run at once, on several threads.
 */
final class StepTimer {
    private static final Logger log = LoggerFactory.getLogger(StepTimer.class);

    private final String what;
    private final LongSupplier nanoTime;
    private final boolean oneAfterAnother;
    private final List<TimedStep> steps = new ArrayList<>();
    private long lastEnd;

    /** @param what whose steps, for the log, e.g. {@code 127.0.0.1:3306: phase 2} */
    StepTimer(String what) {
        this(what, System::nanoTime);
    }

    /**
     * @param nanoTime what the steps are timed on: the failover's monotonic time ({@link
     *     io.mha4j.time.Scheduler#nanoTime}), virtual in tests
     */
    StepTimer(String what, LongSupplier nanoTime) {
        this(what, nanoTime, false);
    }

    private StepTimer(String what, LongSupplier nanoTime, boolean oneAfterAnother) {
        this.what = what;
        this.nanoTime = nanoTime;
        this.oneAfterAnother = oneAfterAnother;
        this.lastEnd = nanoTime.getAsLong();
    }

    /**
     * Steps run one after another on one thread, each timed from the end of the one before (the
     * first from now): their sum is the whole time of the part, and what runs between two steps
     * (a log line, a check) is counted in the next instead of nowhere — the report calls that sum
     * the compensation's time.
     *
     * @param what whose steps, for the log, e.g. {@code 127.0.0.1:3306: compensation}
     */
    static StepTimer oneAfterAnother(String what, LongSupplier nanoTime) {
        return new StepTimer(what, nanoTime, true);
    }

    /**
     * Runs {@code body} as the step {@code name}, described by {@code detail} of its result; a step
     * that throws is recorded as failed, with why, and the exception goes on.
     */
    <T> T time(String name, Supplier<T> body, Function<T, String> detail) {
        long start = oneAfterAnother ? lastEnd() : nanoTime.getAsLong();
        T result;
        try {
            result = body.get();
        } catch (RuntimeException e) {
            add(name, start, "failed: " + e.getMessage());
            throw e;
        }
        add(name, start, detail.apply(result));
        return result;
    }

    void add(String name, long startNanos, String detail) {
        long end = nanoTime.getAsLong();
        Duration took = Duration.ofNanos(end - startNanos);
        synchronized (steps) {
            steps.add(new TimedStep(name, took, detail));
            lastEnd = end;
        }
        log.info("{} step {} took {} ms: {}", what, name, took.toMillis(), detail);
    }

    private long lastEnd() {
        synchronized (steps) {
            return lastEnd;
        }
    }

    List<TimedStep> list() {
        synchronized (steps) {
            return List.copyOf(steps);
        }
    }
}
