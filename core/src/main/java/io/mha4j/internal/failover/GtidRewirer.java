package io.mha4j.internal.failover;

import io.mha4j.Mha4jException;
import io.mha4j.TopologyRewirer;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FollowRequest;
import io.mha4j.internal.monitor.HeartbeatEvidence;
import io.mha4j.server.Dialect;
import io.mha4j.server.GtidStart;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.ReplicationSource;
import io.mha4j.server.ServerConnection;
import io.mha4j.server.ServerState;
import io.mha4j.server.SqlStatement;
import io.mha4j.spi.TopologyRewirerProvider;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewires by GTID: MySQL {@code MASTER_AUTO_POSITION=1}, MariaDB {@code MASTER_USE_GTID=slave_pos}
 * for a replica (it holds nothing of its own) and {@code current_pos} for a former master
 * rejoining (its own writes are in its binlog, not in {@code gtid_slave_pos}); either way with a
 * {@code MASTER_HEARTBEAT_PERIOD} derived from {@code ping_interval} ({@link #heartbeatPeriod}), so
 * that after a failover the replicas' heartbeats are evidence for the monitor.
 */
public final class GtidRewirer implements TopologyRewirer, TopologyRewirerProvider {
    private static final Logger log = LoggerFactory.getLogger(GtidRewirer.class);

    @Override
    public String name() {
        return "gtid";
    }

    /** Holds nothing of one application: its own provider. */
    @Override
    public TopologyRewirer create(ApplicationConfig config) {
        return this;
    }

    @Override
    public void follow(FollowRequest request) {
        ServerConnection replica = request.replica();
        ReplicationSource source = request.source();
        Dialect d = replica.dialect();
        SqlStatement change = d.changeSourceByGtid(source, request.start(), heartbeatPeriod(replica.config()));
        replica.execute(d.stopReplica());
        replica.execute(change);
        replica.execute(d.startReplica());
        log.info(
                "{}: replicating from {}:{} by GTID ({})",
                replica.config().displayName(),
                source.host(),
                source.port(),
                change.redacted());
        AtomicReference<String> last = new AtomicReference<>("not read yet");
        Await.until(
                request.time(),
                replica.config().displayName() + " to replicate from " + source.host() + ":" + source.port(),
                request.timeout(),
                () -> {
                    ServerState s = replica.readState();
                    Optional<ReplicaStatus> r = s.replica();
                    last.set(r.map(GtidRewirer::describe).orElse("no replication configured"));
                    // A thread that stopped with an error will not recover by waiting; one that is
                    // still connecting may.
                    r.filter(st -> (st.ioThread() == ReplicaStatus.IoThread.STOPPED
                                            && st.lastIoError().isPresent())
                                    || (!st.sqlThreadRunning()
                                            && st.lastSqlError().isPresent()))
                            .ifPresent(st -> {
                                throw new Mha4jException(replica.config().displayName() + " cannot replicate from "
                                        + source.host() + ":" + source.port() + ": " + describe(st));
                            });
                    return r.filter(ReplicaStatus::isReplicating).map(st -> st);
                },
                last::get);
    }

    private static String describe(ReplicaStatus s) {
        return "IO thread " + s.ioThread() + ", SQL thread " + (s.sqlThreadRunning() ? "running" : "stopped")
                + (!s.lastIoError().isPresent() ? "" : ", IO error " + s.lastIoError())
                + (!s.lastSqlError().isPresent() ? "" : ", SQL error " + s.lastSqlError());
    }

    @Override
    public void promote(ServerConnection server, boolean resetReplica) {
        Dialect d = server.dialect();
        server.execute(d.stopReplica());
        if (resetReplica) {
            server.execute(d.resetReplicaAll());
        }
        server.execute(d.disableReadOnly());
        log.info(
                "{}: promoted: replication stopped{}, read_only off",
                server.config().displayName(),
                resetReplica ? " and reset (RESET SLAVE ALL)" : " (skip_reset_slave=1: not reset)");
    }

    @Override
    public String rejoinStatement(ServerConnection source, ReplicationSource as) {
        return source.dialect()
                        .changeSourceByGtid(as, GtidStart.EVERYTHING_EXECUTED, heartbeatPeriod(source.config()))
                        .redacted()
                + "; " + source.dialect().startReplica().sql() + ";";
    }

    /**
     * {@code MASTER_HEARTBEAT_PERIOD} for a replica of a new master: short enough that the
     * monitor can prove the new master silent from its replicas' heartbeats within its window
     * (the servers' default, 30 s, cannot tell an idle master from a dead one).
     */
    static Duration heartbeatPeriod(ServerConfig server) {
        return HeartbeatEvidence.periodFor(
                Duration.ofSeconds(server.value(Parameter.PING_INTERVAL)), server.value(Parameter.PING_FAILURE_LIMIT));
    }
}
