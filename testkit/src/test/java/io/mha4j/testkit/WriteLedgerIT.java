package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class WriteLedgerIT {

    private static final Duration CATCH_UP = Duration.ofSeconds(20);

    @Test
    void aHealthyRunLosesNothingAndEveryNodeHoldsTheSameRows() {
        try (SandboxCluster cluster = SandboxCluster.builder().nodes(3).start();
                WriteLedger ledger = WriteLedger.builder(() -> cluster.master().endpoint())
                        .writer("healthy")
                        .build()) {
            ledger.start(300, Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> ledger.acknowledged().size() == 300);
            LedgerSummary summary = ledger.stop();
            cluster.awaitReplicasCaughtUp(CATCH_UP);

            LedgerReport report = ledger.verify(cluster.nodes());

            assertThat(summary.acknowledged()).isEqualTo(300);
            assertThat(summary.inDoubt()).isZero();
            assertThat(report.nothingLost()).as(report.toString()).isTrue();
            assertThat(report.noPhantoms()).isTrue();
            assertThat(report.checksumsAgree()).as(report.toString()).isTrue();
            assertThat(report.nodes()).extracting(NodeLedger::rowCount).containsOnly(300);

            // Paced, as an application with a steady load: 50 a second for one second, not thousands.
            try (WriteLedger paced = WriteLedger.builder(() -> cluster.master().endpoint())
                    .writer("paced")
                    .firstId(1_000)
                    .writesPerSecond(50)
                    .build()) {
                paced.start(10_000, Duration.ofSeconds(1));
                await().atMost(Duration.ofSeconds(10)).until(() -> !paced.isWriting());
                assertThat(paced.stop().acknowledged()).isBetween(10, 51);
            }

            // Through the application's DataSource (here Connector/J's own, unpooled), as a pool or a proxy is judged.
            com.mysql.cj.jdbc.MysqlDataSource application = new com.mysql.cj.jdbc.MysqlDataSource();
            application.setUrl(cluster.master().endpoint().jdbcUrl(2_000, 5_000));
            application.setUser(SandboxCredentials.APPLICATION.user());
            application.setPassword(SandboxCredentials.APPLICATION.password());
            long before = System.nanoTime();
            try (WriteLedger pooled = WriteLedger.builder(application)
                    .writer("datasource")
                    .firstId(2_000)
                    .build()) {
                assertThat(pooled.write(20)).isEqualTo(20);
                long after = System.nanoTime();
                assertThat(pooled.firstAcknowledgedAfter(before).orElseThrow()).isBetween(before, after);
                assertThat(pooled.firstAcknowledgedAfter(after)).isEmpty();
                cluster.awaitReplicasCaughtUp(CATCH_UP);
                assertThat(pooled.verify(cluster.nodes()).nothingLostAndAgreed())
                        .isTrue();
            }
        }
    }

    @Test
    void writesAcknowledgedWhileReplicasWereNotFetchingAreReportedLostWhenTheMasterDies() {
        try (SandboxCluster cluster = SandboxCluster.builder().nodes(3).start();
                WriteLedger ledger = WriteLedger.builder(() -> cluster.master().endpoint())
                        .writer("doomed")
                        .build()) {
            assertThat(ledger.write(20)).isEqualTo(20);
            cluster.awaitReplicasCaughtUp(CATCH_UP);
            cluster.node(2).stopReplicaIoThread();
            cluster.node(3).stopReplicaIoThread();
            assertThat(ledger.write(10)).isEqualTo(10);

            cluster.node(1).kill();
            LedgerReport report = ledger.verify(List.of(cluster.node(2), cluster.node(3)));

            List<Long> lost = LongStream.rangeClosed(21, 30).boxed().toList();
            assertThat(report.nothingLost()).isFalse();
            assertThat(report.node("node2").missing()).as(report.toString()).containsExactlyElementsOf(lost);
            assertThat(report.node("node3").missing()).containsExactlyElementsOf(lost);
            assertThat(report.node("node2").rowCount()).isEqualTo(20);
            assertThat(report.checksumsAgree()).isTrue();
            assertThat(report.toString()).contains("10 missing [21, 22");
        }
    }

    @Test
    void theLedgerFollowsTheMasterThroughAFailoverAndMarksTheBrokenWriteInDoubt() {
        try (SandboxCluster cluster = SandboxCluster.builder().nodes(3).start();
                WriteLedger ledger = WriteLedger.builder(() -> cluster.master().endpoint())
                        .writer("follower")
                        .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                        .build()) {
            assertThat(ledger.write(10)).isEqualTo(10);
            cluster.awaitReplicasCaughtUp(CATCH_UP);

            cluster.node(1).kill();
            assertThat(ledger.writeOne()).isEqualTo(WriteOutcome.IN_DOUBT);
            assertThat(ledger.writeOne()).isEqualTo(WriteOutcome.NO_TARGET);
            promote(cluster.node(2));
            cluster.node(3).changeMasterTo(cluster.node(2));
            assertThat(ledger.write(10)).isEqualTo(10);
            cluster.awaitReplicasCaughtUp(CATCH_UP);

            assertThat(cluster.master()).isSameAs(cluster.node(2));
            assertThat(cluster.replicas()).containsExactly(cluster.node(3));
            assertThat(ledger.inDoubt()).containsExactly(11L);
            LedgerReport report = ledger.verify(List.of(cluster.node(2), cluster.node(3)));
            assertThat(report.nothingLost()).as(report.toString()).isTrue();
            assertThat(report.checksumsAgree()).isTrue();
            assertThat(report.node("node2").rowCount()).isEqualTo(20);
            assertThat(report.node("node2").inDoubtPresent()).isEmpty();

            SandboxNode oldMaster = cluster.node(1);
            oldMaster.start();
            assertThat(oldMaster.isReadOnly())
                    .as("a restarted old master comes up read-only")
                    .isTrue();
            assertThat(cluster.master()).isSameAs(cluster.node(2));
            oldMaster.changeMasterTo(cluster.node(2));
            cluster.awaitReplicasCaughtUp(CATCH_UP);
            LedgerReport rejoined = ledger.verify(cluster.nodes());
            assertThat(rejoined.nothingLost()).as(rejoined.toString()).isTrue();
            assertThat(rejoined.checksumsAgree()).as(rejoined.toString()).isTrue();
        }
    }

    private static void promote(SandboxNode node) {
        node.execute("STOP SLAVE", "RESET SLAVE ALL", "SET GLOBAL read_only=OFF");
    }
}
