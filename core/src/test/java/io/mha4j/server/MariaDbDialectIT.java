package io.mha4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.gtid.GtidSet;
import io.mha4j.gtid.MariadbGtidSet;
import io.mha4j.testkit.Sandbox;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Executes every MariaDB statement of the dialect on real servers and reads the result back
 * through {@link ServerStateReader}: the unit test pins the text, this proves the server
 * accepts it and does what we think.
 */
@Sandbox(nodes = 3)
class MariaDbDialectIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    static ServerConfig configOf(SandboxNode node) {
        ApplicationConfig app = ApplicationConfig.builder("sandbox")
                .user(SandboxCredentials.ADMIN.user())
                .password(SandboxCredentials.ADMIN.password())
                .server(node.name(), s -> s.hostname(node.host()).port(node.port()))
                .build();
        return app.servers().get(0);
    }

    static ServerConnection connect(SandboxNode node) {
        return ServerConnection.open(configOf(node), Clock.systemUTC());
    }

    static ReplicationSource sourceOf(SandboxNode master) {
        return new ReplicationSource(
                master.host(),
                master.port(),
                SandboxCredentials.REPLICATION.user(),
                io.mha4j.config.Secret.of(SandboxCredentials.REPLICATION.password()));
    }

    @BeforeAll
    static void schema(SandboxCluster cluster) {
        cluster.master()
                .execute(
                        "CREATE DATABASE IF NOT EXISTS dialect_it",
                        "CREATE TABLE IF NOT EXISTS dialect_it.t (id INT PRIMARY KEY AUTO_INCREMENT, v VARCHAR(20))");
        cluster.awaitReplicasCaughtUp(WAIT);
    }

    /** Every test leaves node2 and node3 replicating from node1 by GTID. */
    @AfterEach
    void restore(SandboxCluster cluster) {
        SandboxNode master = cluster.node(1);
        for (SandboxNode replica : List.of(cluster.node(2), cluster.node(3))) {
            try (ServerConnection c = connect(replica)) {
                c.execute(c.dialect().stopReplica());
                c.execute(c.dialect().changeSourceByGtid(sourceOf(master), GtidStart.REPLICATED));
                c.execute(c.dialect().startReplica());
                c.execute(c.dialect().enableReadOnly());
            }
        }
        cluster.awaitReplicasCaughtUp(WAIT);
    }

    @Test
    void readsTheMasterAndAReplica(SandboxCluster cluster) {
        try (ServerConnection master = connect(cluster.node(1));
                ServerConnection replica = connect(cluster.node(2))) {
            ServerState m = master.readState();
            assertThat(m.flavor()).isEqualTo(Flavor.MARIADB);
            assertThat(m.version().major()).isGreaterThanOrEqualTo(10);
            assertThat(m.serverId()).isEqualTo(1);
            assertThat(m.isWritable()).isTrue();
            assertThat(m.isReplica()).isFalse();
            assertThat(m.logBin()).isTrue();
            assertThat(m.binlogFormat()).isEqualTo("ROW");
            assertThat(m.binlogPosition()).isPresent();
            assertThat(m.gtid().strictMode()).contains(true);
            assertThat(m.gtid().binlogPos())
                    .hasValueSatisfying(p -> assertThat(p.isEmpty()).isFalse());

            ServerState r = replica.readState();
            assertThat(r.serverId()).isEqualTo(2);
            assertThat(r.readOnly()).isTrue();
            assertThat(r.superReadOnly()).isEmpty();
            ReplicaStatus status = r.replica().orElseThrow();
            assertThat(status.source())
                    .isEqualTo(cluster.node(1).host() + ":" + cluster.node(1).port());
            assertThat(status.sourceUser()).isEqualTo(SandboxCredentials.REPLICATION.user());
            assertThat(status.isReplicating()).isTrue();
            assertThat(status.positioning()).isEqualTo(ReplicaStatus.Positioning.GTID_REPLICATED_POSITION);
            assertThat(status.sourceServerId()).isEqualTo(1);
            assertThat(r.gtid().executed().contains(m.gtid().binlogPos().orElseThrow()))
                    .isTrue();
        }
    }

    @Test
    void countsTheHeartbeatsAReplicaReceivesAndReadsTheirPeriod(SandboxCluster cluster) {
        SandboxNode replica = cluster.node(2);
        try (ServerConnection c = connect(replica)) {
            Dialect d = c.dialect();
            HeartbeatStatus initial = d.heartbeatStatus(c.query(d.heartbeatStatus()));
            assertThat(initial.period())
                    .as("the servers' default: slave_net_timeout / 2")
                    .contains(Duration.ofSeconds(30));
            assertThat(initial.netTimeout()).contains(Duration.ofSeconds(60));
            long before = initial.received().orElseThrow();
            c.execute(d.stopReplica());
            c.execute(d.changeSourceByGtid(sourceOf(cluster.node(1)), GtidStart.REPLICATED, Duration.ofMillis(100)));
            c.execute(d.startReplica());
            assertThat(d.heartbeatStatus(c.query(d.heartbeatStatus())).period()).contains(Duration.ofMillis(100));
            await("heartbeats arriving")
                    .atMost(WAIT)
                    .until(() -> d.heartbeatStatus(c.query(d.heartbeatStatus()))
                                    .received()
                                    .orElseThrow()
                            > before);
        }
        try (ServerConnection master = connect(cluster.node(1))) {
            assertThat(master.dialect()
                            .heartbeatStatus(master.query(master.dialect().heartbeatStatus()))
                            .activePeriod())
                    .as("a server that replicates from nothing has no heartbeats")
                    .isEmpty();
        }
    }

    @Test
    void stopsAndStartsEachReplicationThread(SandboxCluster cluster) {
        try (ServerConnection c = connect(cluster.node(2))) {
            Dialect d = c.dialect();
            c.execute(d.stopReplicaIoThread());
            ReplicaStatus ioStopped = c.readState().replica().orElseThrow();
            assertThat(ioStopped.ioThread()).isEqualTo(ReplicaStatus.IoThread.STOPPED);
            assertThat(ioStopped.sqlThreadRunning()).isTrue();

            c.execute(d.startReplicaIoThread());
            c.execute(d.stopReplicaSqlThread());
            ReplicaStatus sqlStopped = awaitReplica(c, s -> s.ioThread() == ReplicaStatus.IoThread.RUNNING);
            assertThat(sqlStopped.sqlThreadRunning()).isFalse();

            c.execute(d.startReplicaSqlThread());
            awaitReplica(c, ReplicaStatus::isReplicating);

            c.execute(d.stopReplica());
            ReplicaStatus stopped = c.readState().replica().orElseThrow();
            assertThat(stopped.ioThread()).isEqualTo(ReplicaStatus.IoThread.STOPPED);
            assertThat(stopped.sqlThreadRunning()).isFalse();
            c.execute(d.startReplica());
            awaitReplica(c, ReplicaStatus::isReplicating);
        }
    }

    @Test
    void pointsAReplicaByFileAndPositionThenBackByGtid(SandboxCluster cluster) {
        SandboxNode master = cluster.node(1);
        try (ServerConnection m = connect(master);
                ServerConnection c = connect(cluster.node(3))) {
            cluster.awaitReplicasCaughtUp(WAIT);
            c.execute(c.dialect().stopReplica());
            BinlogPosition here = m.readState().binlogPosition().orElseThrow();
            c.execute(c.dialect().changeSourceByPosition(sourceOf(master), here));
            c.execute(c.dialect().startReplica());
            ReplicaStatus byFile = awaitReplica(c, ReplicaStatus::isReplicating);
            assertThat(byFile.positioning()).isEqualTo(ReplicaStatus.Positioning.FILE_POSITION);
            master.execute("INSERT INTO dialect_it.t (v) VALUES ('by-file')");
            awaitRow(cluster.node(3), "by-file");

            c.execute(c.dialect().stopReplica());
            c.execute(c.dialect().changeSourceByGtid(sourceOf(master), GtidStart.REPLICATED));
            c.execute(c.dialect().startReplica());
            ReplicaStatus byGtid = awaitReplica(c, ReplicaStatus::isReplicating);
            assertThat(byGtid.positioning()).isEqualTo(ReplicaStatus.Positioning.GTID_REPLICATED_POSITION);
            master.execute("INSERT INTO dialect_it.t (v) VALUES ('by-gtid')");
            awaitRow(cluster.node(3), "by-gtid");
        }
    }

    @Test
    void waitsForAGtidPositionAndTimesOutOnOneNeverReached(SandboxCluster cluster) {
        SandboxNode master = cluster.node(1);
        try (ServerConnection m = connect(master);
                ServerConnection r = connect(cluster.node(2))) {
            master.execute("INSERT INTO dialect_it.t (v) VALUES ('wait')");
            GtidSet target = m.readState().gtid().binlogPos().orElseThrow();
            Row reached = r.query(r.dialect().waitForGtids(target, WAIT)).get(0);
            assertThat(reached.asMap().values()).containsExactly("0");

            MariadbGtidSet mariadb = (MariadbGtidSet) target;
            long domain = mariadb.domains().first();
            GtidSet never = MariadbGtidSet.builder()
                    .add(domain, 1, mariadb.lastSeq(domain).getAsLong() + 1000)
                    .build();
            Row timedOut = r.query(r.dialect().waitForGtids(never, Duration.ofMillis(200)))
                    .get(0);
            assertThat(timedOut.asMap().values()).doesNotContain("0");
        }
    }

    @Test
    void readOnlyStopsOrdinaryUsersAndCanBeLifted(SandboxCluster cluster) throws SQLException {
        SandboxNode replica = cluster.node(2);
        try (ServerConnection c = connect(replica)) {
            c.execute(c.dialect().enableReadOnly());
            assertThat(c.readState().isWritable()).isFalse();
            assertThatThrownBy(() -> appWrite(replica))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("read-only");
            c.execute(c.dialect().disableReadOnly());
            assertThat(c.readState().isWritable()).isTrue();
        }
    }

    @Test
    void resetReplicaAllMakesAServerForgetItsSource(SandboxCluster cluster) {
        try (ServerConnection c = connect(cluster.node(3))) {
            c.execute(c.dialect().stopReplica());
            c.execute(c.dialect().resetReplicaAll());
            assertThat(c.readState().replica()).isEmpty();
            // A server that was reset rejoins with everything it executed as its start.
            c.execute(c.dialect().changeSourceByGtid(sourceOf(cluster.node(1)), GtidStart.EVERYTHING_EXECUTED));
            c.execute(c.dialect().startReplica());
            assertThat(awaitReplica(c, ReplicaStatus::isReplicating).positioning())
                    .isEqualTo(ReplicaStatus.Positioning.GTID_CURRENT_POSITION);
        }
    }

    @Test
    void aPasswordWithQuotesAndBackslashesReachesTheServerIntact(SandboxCluster cluster) {
        String password = "it's a \\ \"test\"";
        SandboxNode master = cluster.node(1);
        master.execute(
                "CREATE USER IF NOT EXISTS 'repl_odd'@'127.0.0.1' IDENTIFIED BY 'it''s a \\\\ \"test\"'",
                "GRANT REPLICATION SLAVE ON *.* TO 'repl_odd'@'127.0.0.1'");
        try (ServerConnection c = connect(cluster.node(2))) {
            c.execute(c.dialect().stopReplica());
            c.execute(c.dialect()
                    .changeSourceByGtid(
                            new ReplicationSource(
                                    master.host(), master.port(), "repl_odd", io.mha4j.config.Secret.of(password)),
                            GtidStart.REPLICATED));
            c.execute(c.dialect().startReplica());
            ReplicaStatus s = awaitReplica(c, ReplicaStatus::isReplicating);
            assertThat(s.sourceUser()).isEqualTo("repl_odd");
            assertThat(s.lastIoError().isPresent()).isFalse();
        }
    }

    @Test
    void failuresSayWhatWentWrong(SandboxCluster cluster) {
        SandboxNode node = cluster.node(1);
        ServerConfig wrongPassword = ApplicationConfig.builder("sandbox")
                .user("mha")
                .password("wrong")
                .server("server1", s -> s.hostname(node.host()).port(node.port()))
                .build()
                .servers()
                .get(0);
        assertThatThrownBy(() -> ServerConnection.open(wrongPassword, Clock.systemUTC()))
                .isInstanceOf(SqlFailure.class)
                .satisfies(e -> assertThat(((SqlFailure) e).kind()).isEqualTo(SqlFailure.Kind.ACCESS_DENIED))
                .hasMessageNotContaining("wrong");
        try (java.net.ServerSocket closed =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = closed.getLocalPort();
            closed.close();
            ServerConfig nothingListens = ApplicationConfig.builder("sandbox")
                    .server("server9", s -> s.hostname("127.0.0.1").port(port))
                    .build()
                    .servers()
                    .get(0);
            assertThatThrownBy(() -> ServerConnection.open(nothingListens, Clock.systemUTC()))
                    .isInstanceOf(SqlFailure.class)
                    .satisfies(e -> assertThat(((SqlFailure) e).kind()).isEqualTo(SqlFailure.Kind.CONNECTION_REFUSED));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (io.mha4j.testkit.TcpProxy proxy = cluster.proxyTo(node)) {
            ServerConfig viaProxy = ApplicationConfig.builder("sandbox")
                    .user("mha")
                    .password(SandboxCredentials.ADMIN.password())
                    .set(io.mha4j.config.Parameter.SQL_READ_TIMEOUT, Duration.ofMillis(300))
                    .server("server1", s -> s.hostname("127.0.0.1").port(proxy.port()))
                    .build()
                    .servers()
                    .get(0);
            try (ServerConnection c = ServerConnection.open(viaProxy, Clock.systemUTC())) {
                proxy.cut(io.mha4j.testkit.CutMode.BLACKHOLE);
                assertThatThrownBy(c::readState)
                        .isInstanceOf(SqlFailure.class)
                        .satisfies(e -> assertThat(((SqlFailure) e).kind()).isEqualTo(SqlFailure.Kind.TIMEOUT));
            }
        }
        try (ServerConnection c = connect(node)) {
            assertThatThrownBy(() -> c.query(SqlStatement.of("SELECT * FROM no_such_db.t")))
                    .isInstanceOf(SqlFailure.class)
                    .hasMessageContaining("'SELECT * FROM no_such_db.t' failed")
                    .satisfies(e -> assertThat(((SqlFailure) e).kind()).isEqualTo(SqlFailure.Kind.STATEMENT_ERROR));
        }
    }

    private static ReplicaStatus awaitReplica(ServerConnection c, java.util.function.Predicate<ReplicaStatus> ok) {
        return await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> c.readState().replica().orElseThrow(), ok);
    }

    private static void awaitRow(SandboxNode node, String value) {
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !node.query("SELECT id FROM dialect_it.t WHERE v = '" + value + "'")
                        .isEmpty());
    }

    private static void appWrite(SandboxNode node) throws SQLException {
        try (Connection c = node.connect(SandboxCredentials.APPLICATION);
                Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO dialect_it.t (v) VALUES ('app')");
        }
    }
}
