package io.mha4j.internal.failover;

import io.mha4j.Mha4jException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Polls a server-side condition until it holds or a deadline passes. Failover steps wait for
 * servers (threads starting, relay logs draining); a short fixed interval keeps the reaction
 * fast without flooding a server.
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
     * @param what what is awaited, for the error
     * @param probe answers the value once the condition holds, empty before
     * @throws TimedOut naming {@code what} and {@code lastSeen} when {@code timeout} passes
     */
    static <T> T until(String what, Duration timeout, Supplier<Optional<T>> probe, Supplier<String> lastSeen) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimedOut("timed out after " + timeout.toMillis() + " ms waiting for " + what + " ("
                        + lastSeen.get() + ")");
            }
            LockSupport.parkNanos(INTERVAL.toNanos());
        }
    }
}
