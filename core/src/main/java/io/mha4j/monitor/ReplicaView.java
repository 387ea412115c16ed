package io.mha4j.monitor;

import io.mha4j.server.ReplicaStatus;
import java.util.Optional;

/**
 * One replica's view of the master while pings fail: a second opinion on whether the master
 * lives. A replica that cannot be read counts as not seeing the master.
 *
 * @param server the replica's name in messages
 * @param io its IO thread's state; empty when the replica could not be read
 * @param advancing whether what it receives from the master (binlog position, GTIDs,
 *     heartbeats) moved within the failing window
 * @param detail what was seen, or why the replica could not be read
 */
public record ReplicaView(String server, Optional<ReplicaStatus.IoThread> io, boolean advancing, String detail) {

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
        return connected() && advancing;
    }

    @Override
    public String toString() {
        return server + ": " + detail;
    }
}
