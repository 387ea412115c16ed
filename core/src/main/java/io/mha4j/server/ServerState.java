package io.mha4j.server;

import java.time.Instant;
import java.util.Optional;

/**
 * What one server looked like when it was read: read in one pass, never changed afterwards,
 * so that no decision is made on half-read state.
 *
 * @param server the server's name in messages, e.g. {@code 10.0.0.51(10.0.0.51:3306)}
 * @param readAt when the read began
 * @param version version and flavor
 * @param serverId {@code server_id}
 * @param serverUuid MySQL {@code server_uuid} (MariaDB has none)
 * @param logBin binary logging is on
 * @param binlogFormat ROW, STATEMENT or MIXED
 * @param logReplicaUpdates replicated changes are written to this server's binlog
 *     ({@code log_slave_updates}): needed where a replica must serve others
 * @param gtid GTID configuration and positions
 * @param readOnly {@code read_only}
 * @param superReadOnly MySQL {@code super_read_only}; empty where it does not exist (MariaDB)
 * @param relayLogPurge {@code relay_log_purge}
 * @param binlogPosition the current binlog file and position; empty when binary logging is off
 * @param binlogFilters {@code Binlog_Do_DB}/{@code Binlog_Ignore_DB} of the server itself
 * @param replica the replica status when this server replicates from a source
 */
public record ServerState(
        String server,
        Instant readAt,
        ServerVersion version,
        long serverId,
        Optional<String> serverUuid,
        boolean logBin,
        String binlogFormat,
        boolean logReplicaUpdates,
        GtidState gtid,
        boolean readOnly,
        Optional<Boolean> superReadOnly,
        boolean relayLogPurge,
        Optional<BinlogPosition> binlogPosition,
        ReplicationFilters binlogFilters,
        Optional<ReplicaStatus> replica) {

    public Flavor flavor() {
        return version.flavor();
    }

    public boolean isReplica() {
        return replica.isPresent();
    }

    /** Writable by ordinary users: neither {@code read_only} nor {@code super_read_only}. */
    public boolean isWritable() {
        return !readOnly && !superReadOnly.orElse(false);
    }

    /** Every filter that applies to this server: its binlog filters and its replicate filters. */
    public ReplicationFilters filters() {
        ReplicationFilters r = replica.map(ReplicaStatus::filters).orElse(ReplicationFilters.NONE);
        return new ReplicationFilters(
                binlogFilters.binlogDoDb(),
                binlogFilters.binlogIgnoreDb(),
                r.replicateDoDb(),
                r.replicateIgnoreDb(),
                r.replicateDoTable(),
                r.replicateIgnoreTable(),
                r.replicateWildDoTable(),
                r.replicateWildIgnoreTable());
    }
}
