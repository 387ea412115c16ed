package io.mha4j.internal.check;

import io.mha4j.gtid.MariadbGtidSet;
import io.mha4j.server.BinlogPosition;
import io.mha4j.server.Flavor;
import io.mha4j.server.GtidState;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.ReplicationError;
import io.mha4j.server.ReplicationFilters;
import io.mha4j.server.ServerState;
import io.mha4j.server.ServerVersion;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/** A MariaDB server state for rule tests, healthy unless told otherwise. */
final class FakeServer {
    long serverId;
    boolean readOnly = true;
    boolean logBin = true;
    boolean logSlaveUpdates = true;
    boolean relayLogPurge = false;
    String binlogFormat = "ROW";
    boolean strict = true;
    String gtid = "0-1-10";
    ReplicationFilters replicateFilters = ReplicationFilters.NONE;
    // replica
    Integer sourcePort;
    long sourceServerId;
    ReplicaStatus.IoThread io = ReplicaStatus.IoThread.RUNNING;
    boolean sql = true;
    ReplicationError ioError = ReplicationError.NONE;
    ReplicationError sqlError = ReplicationError.NONE;
    Long lag = 0L;
    long sqlDelay;

    static FakeServer master(long id) {
        FakeServer s = new FakeServer();
        s.serverId = id;
        s.readOnly = false;
        return s;
    }

    static FakeServer replica(long id, int sourcePort, long sourceId) {
        FakeServer s = new FakeServer();
        s.serverId = id;
        s.sourcePort = sourcePort;
        s.sourceServerId = sourceId;
        return s;
    }

    ServerState state() {
        MariadbGtidSet g = MariadbGtidSet.parse(gtid);
        Optional<ReplicaStatus> replica = sourcePort == null ? Optional.empty() : Optional.of(new ReplicaStatus(
                "127.0.0.1", sourcePort, "repl", io, sql, Optional.of(new BinlogPosition("mysql-bin.000001", 100)),
                Optional.of(new BinlogPosition("mysql-bin.000001", 100)), Optional.empty(), Optional.of(g),
                Optional.of(g), ReplicaStatus.Positioning.GTID_REPLICATED_POSITION,
                lag == null ? OptionalLong.empty() : OptionalLong.of(lag), sqlDelay, ioError, sqlError, sourceServerId,
                "", replicateFilters));
        return new ServerState("s" + serverId, Instant.EPOCH, new ServerVersion(Flavor.MARIADB, 10, 11, 19, "10.11.19"),
                serverId, Optional.empty(), logBin, binlogFormat, logSlaveUpdates,
                new GtidState(true, Optional.empty(), Optional.empty(), Optional.of(strict), OptionalLong.of(0), g,
                        Optional.empty(), Optional.of(g), Optional.of(g)),
                readOnly, Optional.empty(), relayLogPurge,
                logBin ? Optional.of(new BinlogPosition("mysql-bin.000001", 100)) : Optional.empty(),
                ReplicationFilters.NONE, replica);
    }
}
