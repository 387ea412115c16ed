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
public final class FakeServer {
    public long serverId;
    public boolean readOnly = true;
    public boolean logBin = true;
    public boolean logSlaveUpdates = true;
    public boolean relayLogPurge = false;
    public String binlogFormat = "ROW";
    public boolean strict = true;
    public String gtid = "0-1-10";
    public ReplicationFilters replicateFilters = ReplicationFilters.NONE;
    // replica
    public Integer sourcePort;
    public long sourceServerId;
    public ReplicaStatus.IoThread io = ReplicaStatus.IoThread.RUNNING;
    public boolean sql = true;
    public ReplicationError ioError = ReplicationError.NONE;
    public ReplicationError sqlError = ReplicationError.NONE;
    public Long lag = 0L;
    public long sqlDelay;
    public long relayLogSpace;
    /** What its heartbeat read says; empty: not read (as for a master). */
    public java.util.Optional<io.mha4j.server.HeartbeatStatus> heartbeat = java.util.Optional.empty();

    public static FakeServer master(long id) {
        FakeServer s = new FakeServer();
        s.serverId = id;
        s.readOnly = false;
        return s;
    }

    public static FakeServer replica(long id, int sourcePort, long sourceId) {
        FakeServer s = new FakeServer();
        s.serverId = id;
        s.sourcePort = sourcePort;
        s.sourceServerId = sourceId;
        return s;
    }

    public ServerState state() {
        MariadbGtidSet g = MariadbGtidSet.parse(gtid);
        Optional<ReplicaStatus> replica = sourcePort == null
                ? Optional.empty()
                : Optional.of(new ReplicaStatus(
                        "127.0.0.1",
                        sourcePort,
                        "repl",
                        io,
                        sql,
                        Optional.of(new BinlogPosition("mysql-bin.000001", 100)),
                        Optional.of(new BinlogPosition("mysql-bin.000001", 100)),
                        Optional.empty(),
                        Optional.of(g),
                        Optional.of(g),
                        ReplicaStatus.Positioning.GTID_REPLICATED_POSITION,
                        lag == null ? OptionalLong.empty() : OptionalLong.of(lag),
                        sqlDelay,
                        ioError,
                        sqlError,
                        sourceServerId,
                        "",
                        replicateFilters,
                        Optional.empty(),
                        relayLogSpace));
        return new ServerState(
                "s" + serverId,
                Instant.EPOCH,
                new ServerVersion(Flavor.MARIADB, 10, 11, 19, "10.11.19"),
                serverId,
                Optional.empty(),
                logBin,
                binlogFormat,
                logSlaveUpdates,
                new GtidState(
                        true,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(strict),
                        OptionalLong.of(0),
                        g,
                        Optional.empty(),
                        Optional.of(g),
                        Optional.of(g)),
                readOnly,
                Optional.empty(),
                relayLogPurge,
                logBin ? Optional.of(new BinlogPosition("mysql-bin.000001", 100)) : Optional.empty(),
                ReplicationFilters.NONE,
                replica);
    }
}
