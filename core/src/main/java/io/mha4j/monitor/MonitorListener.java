package io.mha4j.monitor;

/**
 * Observes a monitor: every ping, and every verdict that differs from the one before.
 * Observers never break monitoring: a listener that throws is logged by name and ignored.
 * Calls come from the monitor's thread, one at a time; a listener should return quickly.
 */
public interface MonitorListener {

    /** Each ping of the master, successful or not. */
    default void onPing(PingOutcome outcome) {}

    /** A new verdict: its kind, its reason or the count of failed pings changed. */
    default void onVerdict(Verdict verdict) {}
}
