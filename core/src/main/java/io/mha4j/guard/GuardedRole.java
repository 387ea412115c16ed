package io.mha4j.guard;

/** Why a server is guarded: what it was when the failover or switch left it behind. */
public enum GuardedRole {
    /**
     * The master a failover or online switch replaced. Rejoined automatically only with
     * {@code rejoin_old_master=1}; otherwise fenced and parked for a human.
     */
    OLD_MASTER,
    /**
     * A replica the failover could not recover (it did not answer, could not be read, or its
     * rewiring failed). Rewired to the current master as soon as it answers, when it holds
     * nothing the master lacks.
     */
    REPLICA
}
