package io.mha4j.internal.failover;

import io.mha4j.gtid.GtidSet;
import io.mha4j.gtid.MariadbGtidSet;
import io.mha4j.gtid.MysqlGtidSet;
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

/** Replica states of either flavor, reduced to what errant-transaction decisions read. */
final class ReplicaStates {
    static final String UUID1 = "11111111-1111-1111-1111-111111111111";
    static final String UUID2 = "22222222-2222-2222-2222-222222222222";
    static final String UUID3 = "33333333-3333-3333-3333-333333333333";

    private ReplicaStates() {}

    /** A MariaDB replica with server id {@code id}, replicating from server {@code sourceId} (0: never connected). */
    static ServerState mariadb(long id, long sourceId, String executed) {
        return state(
                new ServerVersion(Flavor.MARIADB, 10, 11, 19, "10.11.19-MariaDB"),
                id,
                Optional.empty(),
                MariadbGtidSet.parse(executed),
                sourceId,
                Optional.empty(),
                true,
                ReplicationError.NONE);
    }

    /** A MySQL 8.0 replica with UUID {@code uuid}, replicating from {@code sourceUuid} (empty: never connected). */
    static ServerState mysql(long id, String uuid, Optional<String> sourceUuid, String executed) {
        return state(
                new ServerVersion(Flavor.MYSQL, 8, 0, 36, "8.0.36"),
                id,
                Optional.of(uuid),
                MysqlGtidSet.parse(executed),
                1,
                sourceUuid,
                true,
                ReplicationError.NONE);
    }

    /** A MariaDB replica whose SQL thread stopped on {@code error}. */
    static ServerState mariadbStopped(long id, long sourceId, String executed, ReplicationError error) {
        return state(
                new ServerVersion(Flavor.MARIADB, 10, 11, 19, "10.11.19-MariaDB"),
                id,
                Optional.empty(),
                MariadbGtidSet.parse(executed),
                sourceId,
                Optional.empty(),
                false,
                error);
    }

    private static ServerState state(
            ServerVersion version,
            long id,
            Optional<String> uuid,
            GtidSet executed,
            long sourceId,
            Optional<String> sourceUuid,
            boolean sqlRunning,
            ReplicationError sqlError) {
        BinlogPosition pos = new BinlogPosition("mysql-bin.000001", 100);
        ReplicaStatus replica = new ReplicaStatus(
                "127.0.0.1",
                3306,
                "repl",
                ReplicaStatus.IoThread.RUNNING,
                sqlRunning,
                Optional.of(pos),
                Optional.of(pos),
                Optional.empty(),
                Optional.of(executed),
                Optional.of(executed),
                ReplicaStatus.Positioning.GTID_REPLICATED_POSITION,
                OptionalLong.of(0),
                0,
                ReplicationError.NONE,
                sqlError,
                sourceId,
                "",
                ReplicationFilters.NONE,
                sourceUuid);
        return new ServerState(
                "s" + id,
                Instant.EPOCH,
                version,
                id,
                uuid,
                true,
                "ROW",
                true,
                new GtidState(
                        true,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        OptionalLong.of(0),
                        executed,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty()),
                true,
                Optional.empty(),
                false,
                Optional.of(pos),
                ReplicationFilters.NONE,
                Optional.of(replica));
    }
}
