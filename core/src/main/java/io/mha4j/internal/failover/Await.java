package io.mha4j.internal.failover;

import io.mha4j.Mha4jException;
import io.mha4j.time.Scheduler;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Polls a server-side condition until it holds or a deadline passes. Failover steps wait for
 * servers (threads starting, relay logs draining); a short fixed interval keeps the reaction
 * fast without flooding a server. Deadline (its monotonic {@link Scheduler#nanoTime}, which a
 * step of the wall clock does not move) and pauses are on the failover's {@link Scheduler},
 * so a test runs the waits and their timeouts in virtual time.
 */
final class Await {
    static final Duration INTERVAL = Duration.ofMillis(20);

    private Await() {}

    /** The deadline passed before the condition held. */
    static final class TimedOut extends Mha4jException {
        private static final long serialVersionUID = 1L;

        TimedOut(String message) {
            super(message);
        }
    }

    /**
     * @param time where the deadline is measured and the pauses between polls are taken
     * @param what what is awaited, for the error
     * @param probe answers the value once the condition holds, empty before
     * @throws TimedOut naming {@code what} and {@code lastSeen} when {@code timeout} passes
     * @throws Mha4jException when the waiting thread is interrupted (its flag is kept)
     */
    static <T> T until(
            Scheduler time, String what, Duration timeout, Supplier<Optional<T>> probe, Supplier<String> lastSeen) {
        long deadline = time.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (time.nanoTime() - deadline > 0) {
                throw new TimedOut("timed out after " + timeout.toMillis() + " ms waiting for " + what + " ("
                        + lastSeen.get() + ")");
            }
            try {
                time.sleep(INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Mha4jException("interrupted while waiting for " + what + " (" + lastSeen.get() + ")", e);
            }
        }
    }
}
