package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@Sandbox(nodes = 3)
class SandboxClusterIT {

    private static final Duration CATCH_UP = Duration.ofSeconds(20);
    private final SandboxCluster cluster;

    SandboxClusterIT(SandboxCluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    static void createTable(SandboxCluster cluster) {
        cluster.master()
                .execute("CREATE DATABASE shop", "CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(20))");
    }

    @AfterEach
    void everyTestLeavesAHealthyCluster() {
        assertThat(cluster.master()).isSameAs(cluster.node(1));
        assertThat(cluster.replicas()).containsExactly(cluster.node(2), cluster.node(3));
        cluster.awaitReplicasCaughtUp(CATCH_UP);
    }

    @Test
    void threeNodesRunWithNode1AsTheOnlyWritableMaster() {
        assertThat(cluster.nodes()).extracting(SandboxNode::name).containsExactly("node1", "node2", "node3");
        assertThat(cluster.nodes()).allMatch(SandboxNode::isRunning);
        assertThat(cluster.nodes())
                .extracting(n -> n.queryForString("SELECT @@server_id"))
                .containsExactly("1", "2", "3");
        assertThat(cluster.node(1).isReadOnly()).isFalse();
        assertThat(cluster.node(2).isReadOnly()).isTrue();
        assertThat(cluster.node(2).replicaStatus())
                .hasValueSatisfying(s -> assertThat(s)
                        .containsEntry("Using_Gtid", "Slave_Pos")
                        .containsEntry("Master_Port", "" + cluster.node(1).port()));
    }

    @Test
    void aRowWrittenOnTheMasterReachesBothReplicas() {
        cluster.master().execute("INSERT INTO shop.orders VALUES (1, 'apple')");

        for (SandboxNode replica : cluster.replicas()) {
            await().atMost(CATCH_UP)
                    .until(() -> "apple"
                            .equals(replica.query("SELECT item FROM shop.orders WHERE id = 1").stream()
                                    .findFirst()
                                    .map(r -> r.get("item"))
                                    .orElse(null)));
        }
    }

    @Test
    void theApplicationUserCannotWriteOnAReadOnlyReplica() throws SQLException {
        try (Connection c = cluster.node(2).connect(cluster.credentials().application());
                Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("INSERT INTO shop.orders VALUES (99, 'errant')"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("read-only");
        }
    }

    @Test
    void aReplicaWithoutItsIoThreadLagsUntilItIsStarted() {
        SandboxNode replica = cluster.node(3);
        replica.stopReplicaIoThread();

        cluster.master().execute("INSERT INTO shop.orders VALUES (2, 'pear')");
        await().atMost(CATCH_UP)
                .until(() -> !cluster.node(2)
                        .query("SELECT 1 FROM shop.orders WHERE id = 2")
                        .isEmpty());
        assertThat(replica.query("SELECT 1 FROM shop.orders WHERE id = 2")).isEmpty();
        assertThat(replica.replicaStatus())
                .hasValueSatisfying(s -> assertThat(s).containsEntry("Slave_IO_Running", "No"));

        replica.startReplica();
        cluster.awaitReplicasCaughtUp(CATCH_UP);
        assertThat(replica.query("SELECT 1 FROM shop.orders WHERE id = 2")).hasSize(1);
    }

    @Test
    void aReplicaKilledWithSigkillComesBackReadOnlyAndCatchesUp() {
        SandboxNode replica = cluster.node(2);
        long oldPid = replica.pid();
        int port = replica.port();

        replica.kill();
        assertThat(replica.isRunning()).isFalse();
        assertThat(ProcessHandle.of(oldPid)).isEmpty();
        cluster.master().execute("INSERT INTO shop.orders VALUES (3, 'plum')");

        replica.start();
        assertThat(replica.pid()).isNotEqualTo(oldPid);
        assertThat(replica.port()).isEqualTo(port);
        assertThat(replica.isReadOnly()).isTrue();
        cluster.awaitReplicasCaughtUp(CATCH_UP);
        assertThat(replica.query("SELECT item FROM shop.orders WHERE id = 3"))
                .containsExactly(java.util.Map.of("item", "plum"));
    }

    @Test
    void aNodeWhosePortWasTakenWhileItWasDownSaysSoAndStartsOnceItIsFree() throws Exception {
        SandboxNode replica = cluster.node(3);
        replica.stop();
        try (ServerSocket squatter = new ServerSocket(replica.port(), 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(replica::start)
                    .isInstanceOf(SandboxException.class)
                    .hasMessageContaining("node3: port " + squatter.getLocalPort() + " is now taken");
        }
        replica.start();
        assertThat(replica.replicaStatus())
                .hasValueSatisfying(s -> assertThat(s).containsEntry("Slave_SQL_Running", "Yes"));
    }

    @Test
    void aPausedNodeAnswersNothingUntilResumed() throws Exception {
        SandboxNode replica = cluster.node(3);
        replica.pause();
        assertThat(replica.isPaused()).isTrue();
        assertThat(replica.isRunning()).isTrue();
        assertThat(cluster.replicas()).containsExactly(cluster.node(2));

        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> replica.queryForString("SELECT 42"));
        assertThat(answer).isNotCompleted();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> !answer.isDone());

        replica.resume();
        assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("42");
        assertThat(replica.isPaused()).isFalse();
    }

    @Test
    void everyServerListensOnlyOnLoopback() throws Exception {
        for (SandboxNode node : cluster.nodes()) {
            assertThat(ListeningSockets.of(node.pid())).containsExactly("127.0.0.1:" + node.port());
        }
    }

    @Test
    void peakMemoryIsReportedPerServer() {
        for (SandboxNode node : cluster.nodes()) {
            assertThat(node.peakRssBytes()).isBetween(10L << 20, 1L << 30);
        }
    }

    @Test
    void masterDiscoveryNamesEveryNodeWhenThereIsNoMaster() {
        cluster.node(1).execute("SET GLOBAL read_only=ON");
        try {
            assertThatThrownBy(cluster::master)
                    .isInstanceOf(SandboxException.class)
                    .hasMessageContaining("No master")
                    .hasMessageContaining("node1: read_only")
                    .hasMessageContaining("node2: read_only");
        } finally {
            cluster.node(1).execute("SET GLOBAL read_only=OFF");
        }
    }
}
