package io.mha4j.monitor;

import io.mha4j.server.ReplicaStatus;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one replica said about its source at one moment: its replica status and how many
 * heartbeats it has received. Two samples tell whether the replica still receives from the
 * master ({@link #receivedSince}).
 *
 * @param server the replica's name in messages
 * @param status its replica status; empty when it replicates from nothing
 * @param receivedHeartbeats heartbeats received from its source since replication started
 *     (MariaDB {@code Slave_received_heartbeats}, MySQL {@code COUNT_RECEIVED_HEARTBEATS});
 *     empty when the server does not say
 */
public record ReplicaSample(String server, Optional<ReplicaStatus> status, OptionalLong receivedHeartbeats) {

    /** The IO (receiver) thread's state; {@code STOPPED} when the server is no replica. */
    public ReplicaStatus.IoThread ioThread() {
        return status.map(ReplicaStatus::ioThread).orElse(ReplicaStatus.IoThread.STOPPED);
    }

    /**
     * Whether anything arrived from the source between {@code earlier} and this sample: the
     * position read from the source's binlog moved, the received GTIDs changed, or a heartbeat
     * came. A heartbeat proves a live source even when no transaction is written.
     */
    public boolean receivedSince(ReplicaSample earlier) {
        if (status.isEmpty() || earlier.status.isEmpty()) {
            return false;
        }
        ReplicaStatus now = status.get();
        ReplicaStatus then = earlier.status.get();
        boolean heartbeat = receivedHeartbeats.isPresent() && earlier.receivedHeartbeats.isPresent()
                && receivedHeartbeats.getAsLong() > earlier.receivedHeartbeats.getAsLong();
        return heartbeat || !Objects.equals(now.readSourcePosition(), then.readSourcePosition())
                || !Objects.equals(now.receivedGtids(), then.receivedGtids());
    }

    /** "IO thread Yes, read mysql-bin.000003:1234, 17 heartbeats". */
    public String describe() {
        if (status.isEmpty()) {
            return "not a replica";
        }
        ReplicaStatus s = status.get();
        StringBuilder sb = new StringBuilder("IO thread ").append(switch (s.ioThread()) {
            case RUNNING -> "Yes";
            case CONNECTING -> "Connecting";
            case STOPPED -> "No";
        });
        s.readSourcePosition().ifPresent(p -> sb.append(", read ").append(p));
        s.receivedGtids().filter(g -> !g.isEmpty()).ifPresent(g -> sb.append(", received ").append(g));
        receivedHeartbeats.ifPresent(h -> sb.append(", ").append(h).append(" heartbeats"));
        if (s.lastIoError().errno() != 0) {
            sb.append(", IO error ").append(s.lastIoError().errno());
        }
        return sb.toString();
    }
}
