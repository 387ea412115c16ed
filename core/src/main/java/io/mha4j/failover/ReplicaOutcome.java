package io.mha4j.failover;

/**
 * How one replica came out of the failover.
 *
 * @param server the replica's display name
 * @param host its {@code hostname}, as MHA's {@code report_script} receives it
 * @param recovered it replicates from the new master and has caught up
 * @param detail what was done, or what failed
 */
public record ReplicaOutcome(String server, String host, boolean recovered, String detail) {}
