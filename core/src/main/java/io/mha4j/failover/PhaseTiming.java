package io.mha4j.failover;

import java.time.Duration;

/**
 * One phase of a failover as it ran.
 *
 * @param phase the phase
 * @param duration how long it took
 * @param result {@code ok}, or what went wrong
 */
public record PhaseTiming(FailoverPhase phase, Duration duration, String result) {}
