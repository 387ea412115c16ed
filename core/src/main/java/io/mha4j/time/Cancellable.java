package io.mha4j.time;

/** A scheduled task that may still be called off. */
@FunctionalInterface
public interface Cancellable {

    /** Calls the task off if it has not started; a task already running is not interrupted. Idempotent. */
    void cancel();
}
