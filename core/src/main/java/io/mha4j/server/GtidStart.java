package io.mha4j.server;

/**
 * Which of its own GTID positions a replica starts from when it is pointed at a source by
 * GTID. MySQL always starts from everything it executed (auto-position) and ignores this;
 * MariaDB distinguishes the two ({@code MASTER_USE_GTID}).
 */
public enum GtidStart {
    /** What the replica applied through replication ({@code slave_pos}): a replica being re-pointed. */
    REPLICATED,
    /**
     * Everything the server has, its own writes included ({@code current_pos}): a former master
     * rejoining as a replica.
     */
    EVERYTHING_EXECUTED
}
