package io.mha4j.server;

import io.mha4j.gtid.GtidSet;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A replica's view of its source, read from {@code SHOW SLAVE STATUS} / {@code SHOW REPLICA
 * STATUS} (MariaDB adds its GTID variables). Column names differ between flavors and versions;
 * the {@link Dialect} maps them here.
 *
 * @param sourceHost {@code Master_Host}
 * @param sourcePort {@code Master_Port}
 * @param sourceUser {@code Master_User}
 * @param ioThread the receiver thread's state
 * @param sqlThreadRunning whether the applier thread runs
 * @param readSourcePosition how far the receiver read the source's binlog
 *     ({@code Master_Log_File}/{@code Read_Master_Log_Pos}); empty before the first read
 * @param executedSourcePosition how far the applier executed, in the source's binlog
 *     ({@code Relay_Master_Log_File}/{@code Exec_Master_Log_Pos})
 * @param relayLogPosition the applier's place in the local relay log
 * @param receivedGtids GTIDs received ({@code Retrieved_Gtid_Set}; MariaDB {@code Gtid_IO_Pos})
 * @param executedGtids GTIDs executed ({@code Executed_Gtid_Set}; MariaDB {@code gtid_slave_pos})
 * @param positioning how the replica is positioned: file/position or which GTID mode
 * @param secondsBehindSource {@code Seconds_Behind_Master}; empty when unknown (NULL)
 * @param sqlDelaySeconds {@code SQL_Delay}: an intentionally delayed replica
 * @param lastIoError the receiver's last error
 * @param lastSqlError the applier's last error
 * @param sourceServerId {@code Master_Server_Id}, 0 when not yet connected
 * @param sqlThreadState {@code Slave_SQL_Running_State}
 * @param filters the replicate filters (binlog filters come from the server itself)
 * @param sourceUuid MySQL {@code Master_UUID} / {@code Source_UUID}: whose transactions it
 *     receives; empty on MariaDB (no server UUIDs) and before the replica first connected
 * @param relayLogSpace {@code Relay_Log_Space}: bytes of relay log on disk, which {@code CHANGE
 *     MASTER} and {@code RESET SLAVE} delete (at roughly 0.5 ms per MB here); 0 when unknown
 */
public record ReplicaStatus(
        String sourceHost,
        int sourcePort,
        String sourceUser,
        IoThread ioThread,
        boolean sqlThreadRunning,
        Optional<BinlogPosition> readSourcePosition,
        Optional<BinlogPosition> executedSourcePosition,
        Optional<BinlogPosition> relayLogPosition,
        Optional<GtidSet> receivedGtids,
        Optional<GtidSet> executedGtids,
        Positioning positioning,
        OptionalLong secondsBehindSource,
        long sqlDelaySeconds,
        ReplicationError lastIoError,
        ReplicationError lastSqlError,
        long sourceServerId,
        String sqlThreadState,
        ReplicationFilters filters,
        Optional<String> sourceUuid,
        long relayLogSpace) {

    /** Without the relay logs' size. */
    public ReplicaStatus(
            String sourceHost,
            int sourcePort,
            String sourceUser,
            IoThread ioThread,
            boolean sqlThreadRunning,
            Optional<BinlogPosition> readSourcePosition,
            Optional<BinlogPosition> executedSourcePosition,
            Optional<BinlogPosition> relayLogPosition,
            Optional<GtidSet> receivedGtids,
            Optional<GtidSet> executedGtids,
            Positioning positioning,
            OptionalLong secondsBehindSource,
            long sqlDelaySeconds,
            ReplicationError lastIoError,
            ReplicationError lastSqlError,
            long sourceServerId,
            String sqlThreadState,
            ReplicationFilters filters,
            Optional<String> sourceUuid) {
        this(
                sourceHost,
                sourcePort,
                sourceUser,
                ioThread,
                sqlThreadRunning,
                readSourcePosition,
                executedSourcePosition,
                relayLogPosition,
                receivedGtids,
                executedGtids,
                positioning,
                secondsBehindSource,
                sqlDelaySeconds,
                lastIoError,
                lastSqlError,
                sourceServerId,
                sqlThreadState,
                filters,
                sourceUuid,
                0);
    }

    /** Without the source's UUID: MariaDB, or a replica that never connected. */
    public ReplicaStatus(
            String sourceHost,
            int sourcePort,
            String sourceUser,
            IoThread ioThread,
            boolean sqlThreadRunning,
            Optional<BinlogPosition> readSourcePosition,
            Optional<BinlogPosition> executedSourcePosition,
            Optional<BinlogPosition> relayLogPosition,
            Optional<GtidSet> receivedGtids,
            Optional<GtidSet> executedGtids,
            Positioning positioning,
            OptionalLong secondsBehindSource,
            long sqlDelaySeconds,
            ReplicationError lastIoError,
            ReplicationError lastSqlError,
            long sourceServerId,
            String sqlThreadState,
            ReplicationFilters filters) {
        this(
                sourceHost,
                sourcePort,
                sourceUser,
                ioThread,
                sqlThreadRunning,
                readSourcePosition,
                executedSourcePosition,
                relayLogPosition,
                receivedGtids,
                executedGtids,
                positioning,
                secondsBehindSource,
                sqlDelaySeconds,
                lastIoError,
                lastSqlError,
                sourceServerId,
                sqlThreadState,
                filters,
                Optional.empty());
    }

    /** {@code Slave_IO_Running}: Yes, Connecting or No. */
    public enum IoThread {
        RUNNING,
        CONNECTING,
        STOPPED;

        public static IoThread parse(String value) {
            return switch (value == null ? "" : value.trim()) {
                case "Yes" -> RUNNING;
                case "Connecting" -> CONNECTING;
                default -> STOPPED;
            };
        }
    }

    /** How the replica finds its place in the source's stream. */
    public enum Positioning {
        /** Binlog file and position. */
        FILE_POSITION,
        /** MySQL {@code MASTER_AUTO_POSITION=1}. */
        GTID_AUTO_POSITION,
        /** MariaDB {@code Using_Gtid: Slave_Pos}. */
        GTID_REPLICATED_POSITION,
        /** MariaDB {@code Using_Gtid: Current_Pos}. */
        GTID_CURRENT_POSITION;

        public boolean usesGtid() {
            return this != FILE_POSITION;
        }
    }

    /** Both threads run and neither reports an error. */
    public boolean isReplicating() {
        return ioThread == IoThread.RUNNING && sqlThreadRunning;
    }

    /** Everything received has been executed, by source position. */
    public boolean hasAppliedAllReceived() {
        return readSourcePosition.isPresent() && readSourcePosition.equals(executedSourcePosition);
    }

    /**
     * Bytes of a transaction the SQL thread applied part of and waits for the rest of: {@code
     * Read_Master_Log_Pos} − {@code Exec_Master_Log_Pos} in one file while the SQL thread runs,
     * undelayed, and has read all its relay log (its relay log ends inside that transaction: the
     * source died, or the IO thread was stopped, while sending it). 0 otherwise: behind or delayed,
     * what it has not executed is a backlog, not one transaction begun.
     */
    public long halfAppliedBytes() {
        if (!sqlThreadRunning
                || sqlDelaySeconds > 0
                || !sqlThreadState.contains("has read all relay log")
                || readSourcePosition.isEmpty()
                || executedSourcePosition.isEmpty()) {
            return 0;
        }
        BinlogPosition read = readSourcePosition.get();
        BinlogPosition executed = executedSourcePosition.get();
        return read.file().equals(executed.file()) ? Math.max(0, read.position() - executed.position()) : 0;
    }

    /** {@code 127.0.0.1:3306}. */
    public String source() {
        return sourceHost + ":" + sourcePort;
    }
}
