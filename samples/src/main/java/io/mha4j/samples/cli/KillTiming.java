package io.mha4j.samples.cli;

import io.mha4j.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * When a bench's fault strikes: after the manager has monitored long enough to be in its steady
 * state, and at a random point of its ping cycle — a fault does not wait for the next ping, and a
 * bench that struck just before one would flatter every tool alike.
 */
final class KillTiming {
    private KillTiming() {}

    /** Waits on {@code timer} until {@code steadyFrom} ({@link System#nanoTime()}). */
    static void awaitSteady(Scheduler timer, long steadyFrom) throws Exception {
        CompletableFuture<Void> steady = new CompletableFuture<>();
        long wait = Math.max(0, steadyFrom - System.nanoTime());
        timer.schedule(() -> steady.complete(null), Duration.ofNanos(wait));
        steady.get(TimeUnit.NANOSECONDS.toSeconds(wait) + 60L, TimeUnit.SECONDS);
    }

    /** A random offset into a ping cycle of {@code pingIntervalSeconds}, in ms. */
    static long randomOffsetMs(int pingIntervalSeconds) {
        return ThreadLocalRandom.current().nextLong(pingIntervalSeconds * 1000L);
    }

    /** Runs {@code kill} on {@code timer} after {@code delay}; returns when it ran ({@link System#nanoTime()}). */
    static long killAfter(Scheduler timer, Duration delay, Runnable kill) throws Exception {
        CompletableFuture<Long> killed = new CompletableFuture<>();
        timer.schedule(
                () -> {
                    long at = System.nanoTime();
                    kill.run();
                    killed.complete(at);
                },
                delay);
        return killed.get(delay.toSeconds() + 60L, TimeUnit.SECONDS);
    }
}
