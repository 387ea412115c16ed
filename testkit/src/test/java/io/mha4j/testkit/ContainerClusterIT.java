package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * MySQL 8.4 in containers behind the {@link ReplicationCluster} API. Needs a Linux Docker engine:
 * without one (mha4j's own machines) it is skipped, says so, and proves nothing.
 */
class ContainerClusterIT {

    @Test
    void threeMysqlServersReplicateByGtidAndSurviveKillAndRestart() {
        assumeTrue(ContainerCluster.dockerAvailable(), ContainerCluster.unavailableReason());
        try (ContainerCluster cluster =
                ContainerCluster.builder().image("mysql:8.4").nodes(3).start()) {
            ReplicationNode master = cluster.master();
            assertThat(master.index()).isEqualTo(1);
            assertThat(cluster.replicas()).extracting(ReplicationNode::index).containsExactly(2, 3);
            assertThat(cluster.node(2).isReadOnly()).isTrue();
            String executed = master.queryForString("SELECT @@GLOBAL.gtid_executed");
            assertThat(cluster.nodes())
                    .as("no node has transactions of its own")
                    .allSatisfy(n -> assertThat(n.queryForString("SELECT @@GLOBAL.gtid_executed"))
                            .isEqualTo(executed));
            master.execute("CREATE DATABASE t", "CREATE TABLE t.x (id INT PRIMARY KEY)", "INSERT INTO t.x VALUES (1)");
            cluster.awaitReplicasCaughtUp(Duration.ofSeconds(30));
            assertThat(cluster.node(3).queryForString("SELECT COUNT(*) FROM t.x"))
                    .isEqualTo("1");

            cluster.node(1).kill();
            assertThat(cluster.node(1).isRunning()).isFalse();
            cluster.node(1).start();
            assertThat(cluster.node(1).queryForString("SELECT COUNT(*) FROM t.x"))
                    .isEqualTo("1");
        }
    }
}
