package io.mha4j.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.testkit.ContainerCluster;
import io.mha4j.testkit.LedgerReport;
import io.mha4j.testkit.ReplicationNode;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.WriteLedger;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The failover on MySQL 8.0 and 8.4 (the testkit's {@link ContainerCluster}): the master killed,
 * a replica promoted, the other rewired, nothing acknowledged lost. Needs a Linux Docker engine:
 * without one (mha4j's own machines) it is skipped, says so, and proves nothing; the MariaDB
 * sandbox tests are what this suite proves.
 */
class MySqlContainerFailoverIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path workdir;

    @ParameterizedTest
    @ValueSource(strings = {"mysql:8.0", "mysql:8.4"})
    void aKilledMysqlMasterIsReplacedAndNothingIsLost(String image) {
        assumeTrue(ContainerCluster.dockerAvailable(), ContainerCluster.unavailableReason());
        try (ContainerCluster cluster = ContainerCluster.builder()
                        .image(image)
                        .nodes(3)
                        .startsReadOnly(false)
                        .start();
                WriteLedger ledger = WriteLedger.builder(() -> cluster.master().endpoint())
                        .writer("mysql")
                        .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                        .build()) {
            ApplicationConfig.Builder b = ApplicationConfig.builder("app1")
                    .user(SandboxCredentials.ADMIN.user())
                    .password(SandboxCredentials.ADMIN.password())
                    .replUser(SandboxCredentials.REPLICATION.user())
                    .replPassword(SandboxCredentials.REPLICATION.password())
                    .managerWorkdir(workdir)
                    .set(Parameter.REMOTE_SHELL, "local");
            for (ReplicationNode n : cluster.nodes()) {
                b.server("server" + n.index(), s -> s.hostname(n.host()).port(n.port()));
            }
            ApplicationConfig config = b.build();
            assertThat(ledger.write(20)).isEqualTo(20);
            cluster.awaitReplicasCaughtUp(WAIT);

            cluster.node(1).kill();
            // The binary logs are inside the killed container: nothing to save, on purpose.
            FailoverReport report = MasterFailover.builder(config)
                    .skipSaveMasterBinlog(true)
                    .build()
                    .run(config.server("server1").orElseThrow());

            assertThat(report.outcome().promoted()).as(report.toText()).isTrue();
            ReplicationNode promoted = cluster.master();
            assertThat(promoted.index()).isNotEqualTo(1);
            assertThat(ledger.writeOne())
                    .as("the connection to the dead master breaks")
                    .isEqualTo(io.mha4j.testkit.WriteOutcome.IN_DOUBT);
            assertThat(ledger.write(5)).isEqualTo(5);
            cluster.awaitReplicasCaughtUp(WAIT);
            LedgerReport verified = ledger.verify(
                    cluster.nodes().stream().filter(ReplicationNode::isRunning).toList());
            assertThat(verified.nothingLostAndAgreed()).as(verified.toString()).isTrue();
        }
    }
}
