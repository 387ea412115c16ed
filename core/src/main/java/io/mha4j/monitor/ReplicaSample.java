package io.mha4j.monitor;

import io.mha4j.server.HeartbeatStatus;
import io.mha4j.server.ReplicaStatus;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one replica said about its source at one moment: its replica status and its heartbeats
 * (how many it received, and how often its source sends them). Two samples tell whether the
 * replica still receives from the master ({@link #receivedSince}); the period tells how long it
 * may receive nothing from a live master.
 *
 * @param server the replica's name in messages
 * @param status its replica status; empty when it replicates from nothing
 * @param heartbeat heartbeats received from its source (MariaDB {@code Slave_received_heartbeats},
 *     MySQL {@code COUNT_RECEIVED_HEARTBEATS}), {@code MASTER_HEARTBEAT_PERIOD} and {@code
 *     slave_net_timeout}, each empty when the server does not say
 */
public record ReplicaSample(String server, Optional<ReplicaStatus> status, HeartbeatStatus heartbeat) {

    /** A sample whose heartbeat period and net timeout are unknown. */
    public ReplicaSample(String server, Optional<ReplicaStatus> status, OptionalLong receivedHeartbeats) {
        this(server, status, new HeartbeatStatus(receivedHeartbeats, Optional.empty(), Optional.empty()));
    }

    /** Heartbeats received since replication started; empty when the server does not say. */
    public OptionalLong receivedHeartbeats() {
        return heartbeat.received();
    }

    /** {@code MASTER_HEARTBEAT_PERIOD} when heartbeats are on and the server says. */
    public Optional<Duration> heartbeatPeriod() {
        return heartbeat.activePeriod();
    }

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
        OptionalLong hb = receivedHeartbeats();
        OptionalLong before = earlier.receivedHeartbeats();
        boolean heartbeat = hb.isPresent() && before.isPresent() && hb.getAsLong() > before.getAsLong();
        return heartbeat
                || !Objects.equals(now.readSourcePosition(), then.readSourcePosition())
                || !Objects.equals(now.receivedGtids(), then.receivedGtids());
    }

    /**
     * Whether nothing at all differs from {@code earlier} in what the replica receives: same IO
     * thread state, position, GTIDs and heartbeat count (a count reset by a reconnection is a
     * difference too). A replica unchanged for longer than its heartbeat period heard nothing
     * from a source that should have spoken.
     */
    public boolean unchangedSince(ReplicaSample earlier) {
        return ioThread() == earlier.ioThread()
                && !receivedSince(earlier)
                && receivedHeartbeats().equals(earlier.receivedHeartbeats());
    }

    /** "IO thread Yes, read mysql-bin.000003:1234, 17 heartbeats every 0.5 s". */
    public String describe() {
        if (status.isEmpty()) {
            return "not a replica";
        }
        ReplicaStatus s = status.get();
        StringBuilder sb = new StringBuilder("IO thread ")
                .append(
                        switch (s.ioThread()) {
                            case RUNNING -> "Yes";
                            case CONNECTING -> "Connecting";
                            case STOPPED -> "No";
                        });
        s.readSourcePosition().ifPresent(p -> sb.append(", read ").append(p));
        s.receivedGtids()
                .filter(g -> !g.isEmpty())
                .ifPresent(g -> sb.append(", received ").append(g));
        receivedHeartbeats().ifPresent(h -> sb.append(", ").append(h).append(" heartbeats"));
        heartbeat
                .period()
                .ifPresent(p -> sb.append(p.isZero() ? " (heartbeats off)" : " every " + HeartbeatStatus.describe(p)));
        if (s.lastIoError().errno() != 0) {
            sb.append(", IO error ").append(s.lastIoError().errno());
        }
        return sb.toString();
    }
}
