package io.mha4j.failover;

import io.mha4j.server.GtidStart;
import io.mha4j.server.ReplicationSource;
import io.mha4j.server.ServerConnection;
import io.mha4j.time.Scheduler;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link io.mha4j.TopologyRewirer} is asked to do when a server must replicate from
 * another: point {@code replica} at {@code source}, start it, and wait — on {@code time} — until
 * both its threads run.
 *
 * @param replica the server to rewire
 * @param source how it reaches its new source
 * @param start which of its transactions it resumes after: {@link GtidStart#REPLICATED} for a
 *     replica (what it applied from its sources), {@link GtidStart#EVERYTHING_EXECUTED} for a
 *     former master rejoining (its own writes are in its binary log, not among what it
 *     replicated)
 * @param timeout how long it may take to replicate ({@code apply_timeout})
 * @param time where that wait is measured and its pauses taken ({@link Scheduler#sleep}): the
 *     failover's, so that a test runs the wait in virtual time
 */
public record FollowRequest(
        ServerConnection replica, ReplicationSource source, GtidStart start, Duration timeout, Scheduler time) {

    public FollowRequest {
        Objects.requireNonNull(replica, "replica");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(time, "time");
    }
}
