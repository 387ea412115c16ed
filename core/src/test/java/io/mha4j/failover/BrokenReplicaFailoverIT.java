package io.mha4j.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.FailoverHook;
import io.mha4j.SandboxConfigs;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.ReplicaOutcome.Reason;
import io.mha4j.testkit.LedgerReport;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.WriteLedger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broken replica costs the failover nothing (issue 11, item 4): one frozen before the master
 * dies (SIGSTOP: the kernel accepts TCP, no handshake comes) or while the failover runs is left
 * out within {@code replica_read_timeout} and named; one whose SQL thread stopped on an error
 * is given up at once, with the error, instead of after {@code apply_timeout}. node1 is the
 * master of a fresh 3-node sandbox; node3 is the broken replica.
 */
class BrokenReplicaFailoverIT {
    private static final Logger log = LoggerFactory.getLogger(BrokenReplicaFailoverIT.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The goal: the new master writable at most this long after kill -9 of the master. */
    private static final Duration PROMOTION_GOAL = Duration.ofSeconds(2);

    @TempDir
    Path workdir;

    private SandboxCluster cluster;

    @BeforeEach
    void start() {
        cluster = SandboxCluster.builder().nodes(3).start();
    }

    @AfterEach
    void close() {
        cluster.nodes().stream().filter(SandboxNode::isPaused).forEach(SandboxNode::resume);
        cluster.close();
    }

    private ApplicationConfig config(Duration applyTimeout) {
        return SandboxConfigs.builder(
                        cluster,
                        workdir,
                        (n, s) -> s.masterBinlogDirs(List.of(n.dataDir().toString())))
                .set(Parameter.APPLY_TIMEOUT, applyTimeout)
                .build();
    }

    private static ServerConfig server(ApplicationConfig config, int index) {
        return config.server("server" + index).orElseThrow();
    }

    private WriteLedger ledger(String writer) {
        return WriteLedger.builder(() -> cluster.master().endpoint())
                .writer(writer)
                .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .build();
    }

    /** What an application sees: {@code @@read_only} through its own account, on its own connection. */
    private static boolean readOnly(Connection app) throws SQLException {
        try (Statement st = app.createStatement();
                ResultSet rs = st.executeQuery("SELECT @@GLOBAL.read_only")) {
            rs.next();
            return rs.getInt(1) != 0;
        }
    }

    @Test
    void aReplicaFrozenBeforeTheMasterDiesIsLeftOutAndTheNewMasterIsWritableWithinTwoSeconds() throws Exception {
        try (WriteLedger ledger = ledger("frozen");
                Connection app = cluster.node(2).connect(SandboxCredentials.APPLICATION)) {
            assertThat(ledger.write(20)).isEqualTo(20);
            cluster.awaitReplicasCaughtUp(WAIT);
            assertThat(readOnly(app)).isTrue();
            ApplicationConfig config = config(Duration.ofSeconds(60));
            MasterFailover failover = MasterFailover.builder(config).build();
            cluster.node(3).pause();

            long killed = System.nanoTime();
            cluster.node(1).kill();
            CompletableFuture<FailoverReport> run =
                    CompletableFuture.supplyAsync(() -> failover.run(server(config, 1)));
            AtomicLong writable = new AtomicLong();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> {
                boolean ro = readOnly(app);
                writable.set(System.nanoTime());
                return !ro || run.isDone();
            });
            FailoverReport report = run.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            Duration promotion = Duration.ofNanos(writable.get() - killed);
            log.info(
                    "kill -9 of the master to the new master writable, one replica frozen: {} ms",
                    promotion.toMillis());

            assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.PARTIAL);
            assertThat(report.newMaster()).contains(server(config, 2).displayName());
            assertThat(readOnly(app))
                    .as("an ordinary client sees the new master writable")
                    .isFalse();
            assertThat(promotion).as("kill to writable, " + report.toText()).isLessThanOrEqualTo(PROMOTION_GOAL);
            assertThat(report.replicas()).singleElement().satisfies(r -> {
                assertThat(r.server()).isEqualTo(server(config, 3).displayName());
                assertThat(r.recovered()).isFalse();
                assertThat(r.reason()).isEqualTo(Reason.DID_NOT_ANSWER);
                assertThat(r.detail())
                        .contains("did not answer within 500 ms (replica_read_timeout)")
                        .endsWith(Reason.REWIRED_LATER);
            });
            assertThat(report.phases().get(0).result()).isEqualTo("ok; 1 replica(s) left out (not readable)");
            assertThat(report.phases())
                    .filteredOn(p -> p.phase() == FailoverPhase.RECOVER_REPLICAS)
                    .singleElement()
                    .satisfies(p -> assertThat(p.result()).isEqualTo("1 of 1 replica(s) not recovered"));
            assertThat(ledger.writeOne())
                    .as("the connection to the dead master breaks")
                    .isEqualTo(io.mha4j.testkit.WriteOutcome.IN_DOUBT);
            assertThat(ledger.write(5)).as("writes reach the new master").isEqualTo(5);
            // node3 is frozen: this failover left it out, the manager rewires it once it answers. node2
            // is the one survivor that serves.
            LedgerReport verified = ledger.verify(List.of(cluster.node(2)));
            assertThat(verified.nothingLostAndAgreed()).as(verified.toString()).isTrue();
        }
    }

    /**
     * Kills the master and runs the failover, freezing node3 when {@code phase} begins; the new
     * master is node2 and node3 is reported as not answering.
     */
    private FailoverReport failOverFreezingNode3At(FailoverPhase phase) {
        FailoverHook freeze = new FailoverHook() {
            @Override
            public String name() {
                return "freeze-node3";
            }

            @Override
            public void beforePhase(FailoverPhase p, FailoverContext context) {
                if (p == phase) {
                    cluster.node(3).pause();
                }
            }
        };
        try (WriteLedger ledger = ledger("frozen")) {
            assertThat(ledger.write(10)).isEqualTo(10);
            cluster.awaitReplicasCaughtUp(WAIT);
        }
        cluster.node(1).kill();
        ApplicationConfig config = config(Duration.ofSeconds(60));
        FailoverReport report =
                MasterFailover.builder(config).hook(freeze).build().run(server(config, 1));
        assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.PARTIAL);
        assertThat(report.newMaster()).contains(server(config, 2).displayName());
        assertThat(cluster.node(2).isReadOnly()).isFalse();
        assertThat(report.replicas()).singleElement().satisfies(r -> {
            assertThat(r.server()).isEqualTo(server(config, 3).displayName());
            assertThat(r.reason()).isEqualTo(Reason.DID_NOT_ANSWER);
            assertThat(r.detail()).contains(Reason.REWIRED_LATER);
        });
        return report;
    }

    @Test
    void aReplicaThatFreezesBeforeItsIoThreadIsStoppedDoesNotHoldThePromotion() {
        FailoverReport report = failOverFreezingNode3At(FailoverPhase.ISOLATE);

        assertThat(report.phases().get(1).duration()).as(report.toText()).isLessThan(PROMOTION_GOAL);
        assertThat(report.phases().get(2).duration()).as(report.toText()).isLessThan(PROMOTION_GOAL);
    }

    @Test
    void aReplicaThatFreezesWhileRelayLogsAreAppliedDoesNotHoldThePromotion() {
        FailoverReport report = failOverFreezingNode3At(FailoverPhase.RECOVER_NEW_MASTER);

        PhaseTiming phase3 = report.phases().get(2);
        assertThat(phase3.phase()).isEqualTo(FailoverPhase.RECOVER_NEW_MASTER);
        assertThat(phase3.result()).isEqualTo("ok; 1 replica(s) stopped answering and were left out");
        assertThat(phase3.duration()).as(report.toText()).isLessThan(PROMOTION_GOAL);
        assertThat(report.replicas().get(0).detail())
                .contains("stopped answering within 500 ms" + " (replica_read_timeout) while applying its relay log")
                .endsWith(Reason.REWIRED_LATER);
    }

    @Test
    void aReplicaThatFreezesWhileBeingRewiredIsGivenUpWithinTheReadTimeout() {
        FailoverReport report = failOverFreezingNode3At(FailoverPhase.RECOVER_REPLICAS);

        PhaseTiming phase4 = report.phases().get(3);
        assertThat(phase4.result()).isEqualTo("1 of 1 replica(s) not recovered");
        assertThat(phase4.duration()).as(report.toText()).isLessThan(Duration.ofSeconds(5));
        assertThat(report.replicas().get(0).detail()).startsWith(Reason.REWIRED_LATER + " (no answer within 500 ms");
    }

    @Test
    void aReplicaWhoseSqlThreadStoppedOnAnErrorIsGivenUpAtOnceWithTheError() {
        SandboxNode master = cluster.node(1);
        master.execute("CREATE DATABASE shop", "CREATE TABLE shop.items (id INT PRIMARY KEY)");
        cluster.awaitReplicasCaughtUp(WAIT);
        // A row only node3 has (not binlogged: no errant GTID), then the master's own row 7: node3's
        // SQL thread stops on the duplicate key.
        cluster.node(3).execute("SET SESSION sql_log_bin=0", "INSERT INTO shop.items VALUES (7)");
        master.execute("INSERT INTO shop.items VALUES (7)", "INSERT INTO shop.items VALUES (8)");
        await().atMost(WAIT)
                .until(() -> "No"
                        .equals(cluster.node(3).replicaStatus().orElseThrow().get("Slave_SQL_Running")));
        await().atMost(WAIT).until(() -> "2".equals(cluster.node(2).queryForString("SELECT COUNT(*) FROM shop.items")));
        master.kill();
        Duration applyTimeout = Duration.ofSeconds(120);
        ApplicationConfig config = config(applyTimeout);

        FailoverReport report = MasterFailover.builder(config).build().run(server(config, 1));

        assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.PARTIAL);
        assertThat(report.newMaster()).contains(server(config, 2).displayName());
        assertThat(report.duration())
                .as("far from apply_timeout: " + report.toText())
                .isLessThan(Duration.ofSeconds(20));
        assertThat(report.losers().get("server3")).contains("SQL thread error error 1062");
        assertThat(report.replicas()).singleElement().satisfies(r -> {
            assertThat(r.recovered()).isFalse();
            assertThat(r.reason()).isEqualTo(Reason.REPLICATION_ERROR);
            assertThat(r.detail())
                    .contains("its SQL thread stopped on error 1062")
                    .contains("Duplicate entry '7'");
        });
        assertThat(report.phases())
                .filteredOn(p -> p.phase() == FailoverPhase.RECOVER_REPLICAS)
                .singleElement()
                .satisfies(p -> assertThat(p.result()).isEqualTo("1 of 1 replica(s) not recovered"));
        assertThat(report.toText()).contains("ERROR: ").contains("1062");
    }
}
