package io.mha4j.server;

import io.mha4j.config.Secret;

/**
 * Where a replica should replicate from, and as whom.
 *
 * @param host the source's address as the replica must reach it
 * @param port the source's port
 * @param user the replication account
 * @param password its password; shown as {@code xxx}
 */
public record ReplicationSource(String host, int port, String user, Secret password) {
    public ReplicationSource {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("replication source host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("replication source port " + port + " is not 1-65535");
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("replication user is empty");
        }
    }
}
