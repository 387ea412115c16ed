package io.mha4j.testkit;

import java.time.Duration;
import java.util.List;

/**
 * A replicated set of servers for a test: one master, its replicas by GTID. {@link SandboxCluster}
 * runs MariaDB locally (the default, and what mha4j's own suite proves things with);
 * {@link ContainerCluster} runs MySQL 8.0 / 8.4 in containers where a Docker engine exists.
 */
public interface ReplicationCluster extends AutoCloseable {

    /** All nodes, node1 first, running or not. */
    List<? extends ReplicationNode> nodes();

    /** Node {@code index} (1-based). */
    ReplicationNode node(int index);

    /** The only running, unpaused, writable node that replicates from nobody. */
    ReplicationNode master();

    /** The running, unpaused nodes other than {@link #master()}. */
    List<? extends ReplicationNode> replicas();

    /** Waits until every replica applied everything the master had when called. */
    void awaitReplicasCaughtUp(Duration timeout);

    /** The accounts every node has. */
    SandboxCredentials credentials();

    /** Stops every server and removes what the cluster made. */
    @Override
    void close();
}
