package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One cluster per class, wherever it is asked for; here with file/position replication. */
@Sandbox(nodes = 2, positioning = Positioning.FILE_POSITION)
class SandboxExtensionIT {

    private static final Set<SandboxCluster> SEEN = Collections.newSetFromMap(new IdentityHashMap<>());
    private final SandboxCluster fromConstructor;

    SandboxExtensionIT(SandboxCluster cluster) {
        this.fromConstructor = cluster;
        SEEN.add(cluster);
    }

    @BeforeAll
    static void beforeAll(SandboxCluster cluster) {
        SEEN.add(cluster);
    }

    @BeforeEach
    void beforeEach(SandboxCluster cluster) {
        SEEN.add(cluster);
        assertThat(cluster).isSameAs(fromConstructor);
    }

    @Test
    void theReplicaReplicatesByFileAndPosition(SandboxCluster cluster) {
        SEEN.add(cluster);
        assertThat(cluster.positioning()).isEqualTo(Positioning.FILE_POSITION);
        assertThat(cluster.node(2).replicaStatus())
                .hasValueSatisfying(
                        s -> assertThat(s).containsEntry("Using_Gtid", "No").containsEntry("Slave_IO_Running", "Yes"));

        cluster.master()
                .execute(
                        "CREATE DATABASE ext",
                        "CREATE TABLE ext.t (id INT PRIMARY KEY)",
                        "INSERT INTO ext.t VALUES (7)");
        cluster.awaitReplicasCaughtUp(java.time.Duration.ofSeconds(20));
        assertThat(cluster.node(2).queryForString("SELECT id FROM ext.t")).isEqualTo("7");
    }

    @Test
    void aSecondTestGetsTheSameRunningCluster(SandboxCluster cluster) {
        SEEN.add(cluster);
        assertThat(cluster.nodes()).hasSize(2).allMatch(SandboxNode::isRunning);
    }

    @AfterAll
    static void everyInjectionWasTheSameCluster(SandboxCluster cluster) {
        SEEN.add(cluster);
        assertThat(SEEN).hasSize(1);
    }
}
