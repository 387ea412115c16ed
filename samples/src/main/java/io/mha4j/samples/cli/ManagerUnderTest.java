package io.mha4j.samples.cli;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * A failover manager as {@code bench failover} runs it for one trial: started on the trial's
 * sandbox as its users start it, left alone while the master is killed, and ended. Promotion and
 * convergence are not asked of it: the {@link PromotionProbe} sees them from outside.
 */
interface ManagerUnderTest extends AutoCloseable {

    /** Starts the manager; returns at once. */
    void start();

    /**
     * Waits until the manager monitors the master (its start-up checks passed).
     *
     * @throws IllegalStateException if it ended or did not get there within {@code limit}, saying why
     */
    void awaitMonitoring(Duration limit);

    /** When ({@link System#nanoTime()}) the manager first said the master is dead, if it did. */
    OptionalLong declaredDead();

    /** Ends the manager (or waits, at most {@code limit}, for one that exits after a failover); says how it ended. */
    String finish(Duration limit);

    /** Kills whatever is left of the manager. */
    @Override
    void close();
}
