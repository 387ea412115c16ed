package io.mha4j.monitor;

/** What the monitor concludes about the master. */
public enum VerdictKind {
    /** The last ping succeeded. */
    ALIVE,
    /** Pings fail, but the evidence does not (yet) say the master is dead. */
    FAILING,
    /**
     * The manager cannot reach the master, but the master demonstrably lives: a replica still
     * receives from it, or {@code secondary_check_script} reached it by another route. Failing
     * over would create a second master; the network between the manager and the master is
     * what needs attention.
     */
    UNREACHABLE_BUT_REPLICATING,
    /** The master is gone: pings failed and the second opinions agree. */
    DEAD
}
