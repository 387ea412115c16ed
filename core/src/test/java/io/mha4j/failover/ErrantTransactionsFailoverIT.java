package io.mha4j.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.SandboxConfigs;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.gtid.MariadbGtidSet;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errant transactions are refused (issue 11, item 5), on the two cases: a row written
 * directly on replica node3 in its own GTID domain, and one written in the master's domain
 * (which under gtid_strict_mode breaks node3's replication at the master's next event). The
 * failover names them, elects the clean replica, never copies them, and stops before changing
 * anything when every candidate holds some. node1 is the master of a fresh 3-node sandbox.
 */
class ErrantTransactionsFailoverIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path workdir;

    private SandboxCluster cluster;

    @BeforeEach
    void start() {
        cluster = SandboxCluster.builder().nodes(3).start();
        cluster.node(1)
                .execute(
                        "CREATE DATABASE shop",
                        "CREATE TABLE shop.items (id INT PRIMARY KEY, note TEXT)",
                        "INSERT INTO shop.items VALUES (1, 'from the master')");
        cluster.awaitReplicasCaughtUp(WAIT);
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    private ApplicationConfig config(String errantTransactions) {
        return SandboxConfigs.builder(
                        cluster,
                        workdir,
                        (n, s) -> s.masterBinlogDirs(List.of(n.dataDir().toString())))
                .set(Parameter.APPLY_TIMEOUT, Duration.ofSeconds(20))
                .set(Parameter.ERRANT_TRANSACTIONS, errantTransactions)
                .build();
    }

    private static ServerConfig server(ApplicationConfig config, int index) {
        return config.server("server" + index).orElseThrow();
    }

    /** A write made on {@code node} itself, as its admin (read_only does not stop SUPER), in {@code domain}. */
    private static void writeLocally(SandboxNode node, int domain, int id) {
        node.execute(
                "SET SESSION gtid_domain_id=" + domain,
                "INSERT INTO shop.items VALUES (" + id + ", 'written on " + node.name() + "')");
    }

    private static MariadbGtidSet binlogPos(SandboxNode n) {
        return MariadbGtidSet.parse(n.queryForString("SELECT @@GLOBAL.gtid_binlog_pos"));
    }

    private static String rows(SandboxNode n) {
        return n.queryForString("SELECT GROUP_CONCAT(id ORDER BY id) FROM shop.items");
    }

    /**
     * Kills the master and fails over with node3 holding 3-3-1 (its own domain): node2, clean, must
     * win, and what node2 holds afterwards must be {@code rows} and nothing of domain 3.
     */
    private FailoverReport failOverWithNode3Errant(String rows) {
        writeLocally(cluster.node(3), 3, 100);
        cluster.node(1).kill();
        ApplicationConfig config = config("refuse");
        FailoverReport report = MasterFailover.builder(config).build().run(server(config, 1));
        assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
        assertThat(report.newMaster()).contains(server(config, 2).displayName());
        assertThat(report.errantTransactions())
                .containsOnlyKeys(server(config, 3).displayName());
        assertThat(report.errantTransactions().get(server(config, 3).displayName()))
                .isEqualTo(MariadbGtidSet.parse("3-3-1"));
        assertThat(report.losers().get("server3")).startsWith("errant transactions 3-3-1");
        assertThat(rows(cluster.node(2)))
                .as("what the master wrote, nothing node3 wrote")
                .isEqualTo(rows);
        assertThat(binlogPos(cluster.node(2)).domains())
                .as("not copied to the new master")
                .containsExactly(0L);
        return report;
    }

    @Test
    void aWriteOnAReplicaInItsOwnDomainIsNamedAndTheCleanReplicaIsElected() {
        FailoverReport report = failOverWithNode3Errant("1");

        assertThat(report.toText()).contains("Errant transactions").contains("3-3-1");
        assertThat(report.toJson()).contains("\"errantTransactions\"");
        assertThat(cluster.node(3).replicaStatus().orElseThrow().get("Master_Port"))
                .isEqualTo(String.valueOf(cluster.node(2).port()));
    }

    @Test
    void anErrantReplicaAheadOfTheOthersIsNoCatchUpSourceTheDeadMastersLogsAre() {
        cluster.node(2).stopReplicaIoThread();
        cluster.node(1)
                .execute(
                        "INSERT INTO shop.items VALUES (2, 'only node3 and the master')",
                        "INSERT INTO shop.items VALUES (3, 'only node3 and the master')");
        await().atMost(WAIT).until(() -> "1,2,3".equals(rows(cluster.node(3))));

        FailoverReport report = failOverWithNode3Errant("1,2,3");

        assertThat(report.compensation().orElseThrow().transactions())
                .as("from the dead master's binary logs")
                .isEqualTo(2);
    }

    @Test
    void aWriteInTheMastersDomainIsNamedAndTheReplicaItBrokeIsReportedWithItsSqlError() {
        writeLocally(cluster.node(3), 0, 100);
        // The master's next transaction of domain 0 reaches node2, and breaks node3 (gtid_strict_mode).
        cluster.node(1).execute("INSERT INTO shop.items VALUES (2, 'from the master')");
        await().atMost(WAIT)
                .until(() -> "No"
                        .equals(cluster.node(3).replicaStatus().orElseThrow().get("Slave_SQL_Running")));
        await().atMost(WAIT).until(() -> "1,2".equals(rows(cluster.node(2))));
        cluster.node(1).kill();
        ApplicationConfig config = config("refuse");

        FailoverReport report = MasterFailover.builder(config).build().run(server(config, 1));

        assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.PARTIAL);
        assertThat(report.newMaster()).contains(server(config, 2).displayName());
        MariadbGtidSet errant = (MariadbGtidSet)
                report.errantTransactions().get(server(config, 3).displayName());
        assertThat(errant).as(report.toText()).isNotNull();
        assertThat(errant.count()).isEqualTo(1);
        assertThat(errant.serverIdOf(0)).hasValue(3);
        assertThat(report.losers().get("server3")).contains("SQL thread error").contains("errant transactions 0-3-");
        assertThat(report.replicas()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(ReplicaOutcome.Reason.ERRANT_TRANSACTIONS);
            assertThat(r.detail())
                    .contains("errant transactions " + errant)
                    .contains("its SQL thread stopped on error" + " 1950");
        });
        assertThat(cluster.node(3).replicaStatus().orElseThrow().get("Master_Port"))
                .as("left as it was")
                .isEqualTo(String.valueOf(cluster.node(1).port()));
        assertThat(rows(cluster.node(2))).isEqualTo("1,2");
        assertThat(binlogPos(cluster.node(2)).serverIdOf(0))
                .as("node3's write never reached the new master")
                .hasValue(1);
    }

    @Test
    void whenEveryReplicaHoldsErrantTransactionsTheFailoverStopsBeforeChangingAnythingUnlessAllowed() {
        writeLocally(cluster.node(2), 2, 200);
        writeLocally(cluster.node(3), 3, 300);
        cluster.node(1).kill();
        ApplicationConfig refuse = config("refuse");

        FailoverReport refused =
                MasterFailover.builder(refuse).recordOutcome(false).build().run(server(refuse, 1));

        assertThat(refused.outcome()).as(refused.toText()).isEqualTo(FailoverReport.Outcome.REFUSED);
        assertThat(refused.errors())
                .singleElement()
                .asString()
                .contains("every replica that could become master holds errant transactions")
                .contains("errant transactions 2-2-1")
                .contains("errant transactions 3-3-1");
        assertThat(refused.errantTransactions()).hasSize(2);
        for (SandboxNode replica : List.of(cluster.node(2), cluster.node(3))) {
            Map<String, String> st = replica.replicaStatus().orElseThrow();
            assertThat(st.get("Master_Port"))
                    .isEqualTo(String.valueOf(cluster.node(1).port()));
            assertThat(st.get("Slave_IO_Running"))
                    .as("the IO thread was not stopped")
                    .isNotEqualTo("No");
            assertThat(replica.isReadOnly()).isTrue();
        }

        ApplicationConfig allow = config("allow");
        FailoverReport allowed =
                MasterFailover.builder(allow).recordOutcome(false).build().run(server(allow, 1));

        assertThat(allowed.outcome()).as(allowed.toText()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
        assertThat(allowed.electionReason()).contains("errant_transactions=allow");
        assertThat(allowed.errantTransactions()).hasSize(2);
    }
}
