package io.mha4j;

import io.mha4j.failover.FollowRequest;
import io.mha4j.server.ReplicationSource;
import io.mha4j.server.ServerConnection;

/**
 * Changes who replicates from whom. Made by the {@link io.mha4j.spi.TopologyRewirerProvider}
 * the {@code topology_rewirer} parameter names (default {@code gtid}: MySQL auto-position, MariaDB
 * {@code MASTER_USE_GTID}).
 */
public interface TopologyRewirer {

    /**
     * Points the request's replica at its source, starts replication and waits, on the request's
     * {@code time}, until both threads run. It must resume where the request's {@code start} says: a
     * former master rejoining resumes after everything it executed (its own writes included), not
     * after what it replicated.
     *
     * @throws Mha4jException when the replica does not replicate from the source within the timeout
     */
    void follow(FollowRequest request);

    /** Makes {@code server} a master: replication stopped and forgotten, writable. */
    void promote(ServerConnection server, boolean resetReplica);

    /**
     * The statement that makes a repaired server replicate from {@code source} (printed for a
     * human; the password shows as {@code xxx}).
     */
    String rejoinStatement(ServerConnection source, ReplicationSource as);
}
