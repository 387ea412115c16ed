package io.mha4j.testkit.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.testkit.LedgerReport;
import io.mha4j.testkit.Sandbox;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.WriteLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;

/**
 * The testkit as a project on JUnit 5 uses it: {@code @Sandbox} starts one cluster per class,
 * hands the same one to every test of that class, and closes it when the class is done —
 * on JUnit Jupiter 5.10, whose store has neither {@code computeIfAbsent} nor the closing of
 * plain {@code AutoCloseable} values.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class SandboxOnJUnit5IT {
    private static SandboxCluster first;
    private static Path firstDirectory;

    @Test
    void runsOnJUnit5() {
        assertThat(Test.class.getPackage().getImplementationVersion())
                .as("the JUnit Jupiter this module pins")
                .startsWith("5.10.");
    }

    @Nested
    @Order(1)
    @Sandbox(nodes = 2)
    class OneClusterPerClass {
        @Test
        void replicatesWhatAnApplicationWrites(SandboxCluster cluster) {
            remember(cluster);
            try (WriteLedger ledger =
                    WriteLedger.builder(() -> cluster.master().endpoint()).build()) {
                assertThat(ledger.write(5)).isEqualTo(5);
                cluster.awaitReplicasCaughtUp(Duration.ofSeconds(30));
                LedgerReport report = ledger.verify(cluster.replicas());
                assertThat(report.nothingLostAndAgreed()).as(report.toString()).isTrue();
            }
        }

        @Test
        void everyTestOfTheClassGetsTheSameCluster(SandboxCluster cluster) {
            remember(cluster);
            assertThat(Files.isDirectory(cluster.directory())).isTrue();
        }

        private void remember(SandboxCluster cluster) {
            synchronized (SandboxOnJUnit5IT.class) {
                if (first == null) {
                    first = cluster;
                    firstDirectory = cluster.directory();
                }
                assertThat(cluster).isSameAs(first);
            }
        }
    }

    @Nested
    @Order(2)
    class AfterTheClass {
        @Test
        void itsClusterWasClosed() {
            assertThat(firstDirectory)
                    .as("the first class ran and started a cluster")
                    .isNotNull();
            assertThat(firstDirectory).as("removed when its class was done").doesNotExist();
        }
    }
}
