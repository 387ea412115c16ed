package io.mha4j.datasource;

import io.mha4j.config.ServerConfig;
import io.mha4j.server.ServerConnection;
import java.time.Clock;

/** Reads a replica's replication; the real one through core's {@link ServerConnection}, a fake in tests. */
@FunctionalInterface
interface ReplicaProbe {

    /** Never throws: a server that cannot be read is a {@link ReplicaReading#broken} one. */
    ReplicaReading read(ServerConfig replica);

    /**
     * As the manager reads it: MHA's admin account (it needs the replication-client privilege the
     * application's account may lack), core's dialect for MySQL and MariaDB, one connection per read.
     */
    static ReplicaProbe overServerConnection(Clock clock) {
        return replica -> {
            try (ServerConnection c = ServerConnection.open(replica, clock)) {
                return ReplicaReading.of(c.readState().replica());
            } catch (RuntimeException e) {
                return ReplicaReading.broken("unreadable: " + e.getMessage());
            }
        };
    }
}
