package io.mha4j.monitor;

import io.mha4j.server.ReplicaStatus;
import java.time.Duration;
import java.util.Optional;

/**
 * One replica's view of the master while pings fail: a second opinion on whether the master
 * lives. A replica that cannot be read gives no opinion.
 *
 * <p>A connected replica that receives nothing says something only through its heartbeat
 * period: a live master sends at least a heartbeat every period, so a replica that received
 * nothing for clearly longer ({@link #heartbeatsOverdue}) proves the master silent. With the
 * default period (30 s) nothing can be proven within seconds: such a replica is
 * {@linkplain #inconclusive() inconclusive} — an idle master and a dead one look alike — until
 * the replica itself gives up on its source ({@code slave_net_timeout}).
 *
 * @param server the replica's name in messages
 * @param io its IO thread's state; empty when the replica could not be read
 * @param advancing whether what it receives from the master (binlog position, GTIDs,
 *     heartbeats) moved within the failing window, and has not fallen silent since
 * @param heartbeatPeriod its {@code MASTER_HEARTBEAT_PERIOD}, when heartbeats are on and known
 * @param heartbeatsOverdue connected, yet nothing received for longer than its heartbeat period
 *     allows a live master: the master is silent
 * @param detail what was seen, or why the replica could not be read
 */
public record ReplicaView(
        String server,
        Optional<ReplicaStatus.IoThread> io,
        boolean advancing,
        Optional<Duration> heartbeatPeriod,
        boolean heartbeatsOverdue,
        String detail) {

    /** A view without heartbeat evidence (period unknown, nothing overdue). */
    public ReplicaView(String server, Optional<ReplicaStatus.IoThread> io, boolean advancing, String detail) {
        this(server, io, advancing, Optional.empty(), false, detail);
    }

    public static ReplicaView unreadable(String server, String why) {
        return new ReplicaView(server, Optional.empty(), false, "cannot be read: " + why);
    }

    public boolean readable() {
        return io.isPresent();
    }

    /** The IO thread is connected to the master ({@code Slave_IO_Running: Yes}). */
    public boolean connected() {
        return io.filter(t -> t == ReplicaStatus.IoThread.RUNNING).isPresent();
    }

    /** Connected and receiving: proof that the master lives. */
    public boolean replicating() {
        return connected() && advancing && !heartbeatsOverdue;
    }

    /** Read, and it no longer hears the master: its IO thread is not connected, or its heartbeats are overdue. */
    public boolean lostMaster() {
        return readable() && (!connected() || heartbeatsOverdue);
    }

    /**
     * Connected but receiving nothing, and its heartbeat period cannot tell an idle master from a
     * silent one (yet): neither proof of life nor of death.
     */
    public boolean inconclusive() {
        return connected() && !advancing && !heartbeatsOverdue;
    }

    @Override
    public String toString() {
        return server + ": " + detail;
    }
}
