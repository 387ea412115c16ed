package io.mha4j.datasource;

import io.mha4j.config.ServerConfig;
import io.mha4j.server.ReplicaReading;
import java.time.Clock;

/** Reads a replica's replication; the real one through core's {@link ReplicaReading#read}, a fake in tests. */
@FunctionalInterface
interface ReplicaProbe {

    /** Never throws: a server that cannot be read is a {@link ReplicaReading#broken} one. */
    ReplicaReading read(ServerConfig replica);

    /** As the manager reads it (and the command line's health endpoints): core's one rule for a replica's reads. */
    static ReplicaProbe overServerConnection(Clock clock) {
        return replica -> ReplicaReading.read(replica, clock);
    }
}
