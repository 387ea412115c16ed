package io.mha4j.failover;

import java.time.Duration;

/**
 * One step of a phase or of a compensation, and how long it took: where the failover's time went.
 *
 * @param name what it was, e.g. {@code ssh} (phase 2's SSH probe) or {@code tool} (the binlog tool
 *     printing the missing transactions); a custom compensator names its own
 * @param took how long it took
 * @param detail what it did or found, e.g. {@code reused connection #2 and its warm shell (pid 4711)}
 */
public record TimedStep(String name, Duration took, String detail) {}
