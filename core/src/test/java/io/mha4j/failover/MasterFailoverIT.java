package io.mha4j.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.FailoverHook;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.gtid.MariadbGtidSet;
import io.mha4j.manager.FailoverGuard;
import io.mha4j.testkit.LedgerReport;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.WriteLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failover on real MariaDB servers with GTID replication: what only the dead master had is
 * recovered from its binary logs, elections follow MHA's rules, refusals change nothing, and
 * one lost replica does not stop the others. Each test gets a fresh 3-node sandbox (node1 the
 * master), because each one rewires it.
 */
class MasterFailoverIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path workdir;

    private SandboxCluster cluster;

    @BeforeEach
    void start() {
        cluster = SandboxCluster.builder().nodes(3).start();
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    private ApplicationConfig config(Consumer<ApplicationConfig.Builder> extra) {
        ApplicationConfig.Builder b = ApplicationConfig.builder("app1")
                .user(SandboxCredentials.ADMIN.user()).password(SandboxCredentials.ADMIN.password())
                .replUser(SandboxCredentials.REPLICATION.user()).replPassword(SandboxCredentials.REPLICATION.password())
                .managerWorkdir(workdir)
                .set(Parameter.REMOTE_SHELL, "local")
                .set(Parameter.REMOTE_WORKDIR, workdir.toString())
                .set(Parameter.APPLY_TIMEOUT, Duration.ofSeconds(20));
        for (SandboxNode n : cluster.nodes()) {
            b.server("server" + n.index(), s -> s.hostname("127.0.0.1").port(n.port())
                    .masterBinlogDirs(List.of(n.dataDir().toString())));
        }
        extra.accept(b);
        return b.build();
    }

    private ApplicationConfig config() {
        return config(b -> {});
    }

    private static ServerConfig server(ApplicationConfig config, int index) {
        return config.server("server" + index).orElseThrow();
    }

    private WriteLedger ledger(String writer) {
        return WriteLedger.builder(() -> cluster.master().endpoint()).writer(writer)
                .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)).build();
    }

    private static String gtidPos(SandboxNode n) {
        return n.queryForString("SELECT @@GLOBAL.gtid_binlog_pos");
    }

    @Test
    void transactionsOnlyTheDeadMasterHadAreRecoveredFromItsBinaryLogs() {
        try (WriteLedger ledger = ledger("crash")) {
            assertThat(ledger.write(20)).isEqualTo(20);
            cluster.awaitReplicasCaughtUp(WAIT);
            String replicasHad = gtidPos(cluster.node(1));
            cluster.node(2).stopReplicaIoThread();
            cluster.node(3).stopReplicaIoThread();
            assertThat(ledger.write(15)).isEqualTo(15);
            String masterHad = gtidPos(cluster.node(1));
            cluster.node(1).kill();

            ApplicationConfig config = config();
            FailoverReport report = MasterFailover.builder(config).build().run(server(config, 1));

            assertThat(report.outcome()).as(report.toString()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
            assertThat(report.newMaster()).contains(server(config, 2).displayName());
            MariadbGtidSet expected = MariadbGtidSet.parse(masterHad).subtract(MariadbGtidSet.parse(replicasHad));
            assertThat(expected.count()).isEqualTo(15);
            assertThat(report.compensation()).isPresent();
            assertThat(report.compensation().get().applied()).contains(expected);
            assertThat(cluster.master()).isSameAs(cluster.node(2));
            assertThat(cluster.node(2).isReadOnly()).isFalse();
            assertThat(cluster.node(3).replicaStatus().orElseThrow().get("Master_Port"))
                    .isEqualTo(String.valueOf(cluster.node(2).port()));
            assertThat(report.replicas()).singleElement().satisfies(r -> assertThat(r.recovered()).isTrue());
            assertThat(report.rejoinStatement().orElseThrow()).contains("MASTER_PORT=" + cluster.node(2).port())
                    .contains("MASTER_PASSWORD='xxx'").doesNotContain(SandboxCredentials.REPLICATION.password());
            assertThat(ledger.writeOne()).as("the connection to the dead master breaks")
                    .isEqualTo(io.mha4j.testkit.WriteOutcome.IN_DOUBT);
            assertThat(ledger.write(5)).as("writes reach the new master").isEqualTo(5);
            cluster.awaitReplicasCaughtUp(WAIT);
            LedgerReport verified = ledger.verify(List.of(cluster.node(2), cluster.node(3)));
            assertThat(verified.nothingLost()).as(verified.toString()).isTrue();
            assertThat(verified.checksumsAgree()).as(verified.toString()).isTrue();
            assertThat(workdir.resolve("app1.failover.complete")).exists();
        }
    }
}
