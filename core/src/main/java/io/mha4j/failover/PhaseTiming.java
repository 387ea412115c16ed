package io.mha4j.failover;

import java.time.Duration;
import java.util.List;

/**
 * One phase of a failover as it ran.
 *
 * @param phase the phase
 * @param duration how long it took
 * @param result {@code ok}, or what went wrong
 * @param steps where its time went, for the phases that time their steps (phase 2: its probes of
 *     the dead master, freezing the replicas, the hooks); the compensation's steps are in
 *     {@link Compensation#steps()}
 */
public record PhaseTiming(FailoverPhase phase, Duration duration, String result, List<TimedStep> steps) {
    public PhaseTiming {
        steps = List.copyOf(steps);
    }

    /** A phase that did not time its steps. */
    public PhaseTiming(FailoverPhase phase, Duration duration, String result) {
        this(phase, duration, result, List.of());
    }
}
