package io.mha4j.internal.failover;

import io.mha4j.failover.Compensation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The steps of one compensation as they run, each timed and logged: where the time of the critical path goes. */
final class CompensationSteps {
    private static final Logger log = LoggerFactory.getLogger(CompensationSteps.class);

    private final String what;
    private final List<Compensation.Step> steps = new ArrayList<>();

    /** @param what whose compensation, for the log */
    CompensationSteps(String what) {
        this.what = what;
    }

    /**
     * Runs {@code body} as the step {@code name}, described by {@code detail} of its result; a step
     * that throws is recorded as failed, with why, and the exception goes on.
     */
    <T> T time(String name, Supplier<T> body, Function<T, String> detail) {
        long start = System.nanoTime();
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
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        steps.add(new Compensation.Step(name, took, detail));
        log.info("{}: compensation step {} took {} ms: {}", what, name, took.toMillis(), detail);
    }

    List<Compensation.Step> list() {
        return List.copyOf(steps);
    }
}
