package io.mha4j.failover;

/**
 * How one replica came out of the failover.
 *
 * @param server the replica's display name
 * @param recovered it replicates from the new master and has caught up
 * @param detail what was done, or what failed
 */
public record ReplicaOutcome(String server, boolean recovered, String detail) {}
