package io.mha4j.testkit;

/** How the sandbox's replicas are first pointed at the initial master. */
public enum Positioning {
    /** {@code MASTER_USE_GTID=slave_pos}: crash-safe, the default. */
    GTID,
    /**
     * Binary log file and position read from {@code SHOW MASTER STATUS}. MariaDB keeps the
     * applied position in {@code relay-log.info}, which is not crash-safe: a replica killed
     * with SIGKILL may re-apply or skip events when it restarts, as in production.
     */
    FILE_POSITION
}
