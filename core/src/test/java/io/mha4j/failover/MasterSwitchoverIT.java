package io.mha4j.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.SandboxConfigs;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.manager.ManagerEvent;
import io.mha4j.testkit.LedgerReport;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.WriteLedger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online switchover on real servers under write load: nothing acknowledged is lost, and
 * read_only sampled on both masters throughout is never off on both at once.
 */
class MasterSwitchoverIT {
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

    private ApplicationConfig config() {
        return SandboxConfigs.builder(cluster, workdir, (n, s) -> {}).build();
    }

    @Test
    void underLoadNothingIsLostAndTheTwoMastersAreNeverWritableTogether() throws Exception {
        ApplicationConfig config = config();
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger samples = new AtomicInteger();
        AtomicInteger bothWritable = new AtomicInteger();
        try (WriteLedger ledger = WriteLedger.builder(() -> cluster.master().endpoint())
                        .writer("switch")
                        .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                        .build();
                Connection one = cluster.node(1).connect();
                Connection two = cluster.node(2).connect()) {
            CompletableFuture<Void> sampler = CompletableFuture.runAsync(() -> {
                try (Statement s1 = one.createStatement();
                        Statement s2 = two.createStatement()) {
                    while (sampling.get() && samples.get() < 1_000_000) {
                        boolean w2 = readOnlyOff(s2);
                        boolean w1again = readOnlyOff(s1);
                        samples.incrementAndGet();
                        // node2 on, then node1 still (or again) on in a later read: both were writable at
                        // the moment in between.
                        if (w2 && w1again) {
                            bothWritable.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ledger.start(1_000_000, Duration.ofSeconds(60));
            await().atMost(WAIT).until(() -> ledger.acknowledged().size() >= 200);

            List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
            SwitchoverReport report = MasterSwitchover.builder(config)
                    .newMaster(config.server("server2").orElseThrow())
                    .origMasterIsNewSlave(true)
                    .listener(e -> {
                        throw new IllegalStateException("a listener that breaks");
                    })
                    .listener(e -> told.add(e
                            + (e instanceof ManagerEvent.MasterChanged
                                    ? ", server2 read_only="
                                            + cluster.node(2)
                                                    .query("SELECT @@global.read_only AS ro")
                                                    .get(0)
                                                    .get("ro")
                                    : "")))
                    .build()
                    .run(config.server("server1").orElseThrow());

            int atSwitch = ledger.acknowledged().size();
            await().atMost(WAIT).until(() -> ledger.acknowledged().size() >= atSwitch + 200);
            ledger.stop();
            sampling.set(false);
            sampler.join();

            assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
            assertThat(report.writeBlock()).isPresent();
            String orig = config.server("server1").orElseThrow().displayName();
            String next = config.server("server2").orElseThrow().displayName();
            assertThat(told)
                    .as("told in order, past a listener that throws; the new master writable when told")
                    .containsExactly(
                            "SwitchoverStarted " + orig + " -> " + next,
                            "MasterChanged " + orig + " -> " + next + ", server2 read_only=0",
                            "SwitchoverEnded SUCCEEDED " + orig + " -> " + next);
            assertThat(cluster.master()).isSameAs(cluster.node(2));
            assertThat(cluster.node(1).isReadOnly()).isTrue();
            for (SandboxNode replica : List.of(cluster.node(1), cluster.node(3))) {
                assertThat(replica.replicaStatus().orElseThrow().get("Master_Port"))
                        .isEqualTo(String.valueOf(cluster.node(2).port()));
            }
            cluster.awaitReplicasCaughtUp(WAIT);
            LedgerReport verified = ledger.verify(cluster.nodes());
            assertThat(verified.nothingLost()).as(verified.toString()).isTrue();
            assertThat(verified.checksumsAgree()).as(verified.toString()).isTrue();
            assertThat(samples.get()).as("read_only was sampled").isGreaterThan(100);
            assertThat(bothWritable.get())
                    .as("samples with both masters writable")
                    .isZero();
        }
    }

    private static boolean readOnlyOff(Statement s) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT @@GLOBAL.read_only")) {
            rs.next();
            return rs.getInt(1) == 0;
        }
    }

    @Test
    void aStoppedReplicaOrALongUpdateRefusesTheSwitchAndNothingChanges() throws Exception {
        ApplicationConfig config = config();
        cluster.node(3).stopReplicaSqlThread();
        SwitchoverReport stopped = MasterSwitchover.builder(config)
                .build()
                .run(config.server("server1").orElseThrow());
        assertThat(stopped.outcome()).isEqualTo(FailoverReport.Outcome.REFUSED);
        assertThat(stopped.errors())
                .anySatisfy(e -> assertThat(e)
                        .contains(config.server("server3").orElseThrow().displayName())
                        .contains("is not replicating"));
        cluster.node(3).startReplica();

        CompletableFuture<Void> longUpdate =
                CompletableFuture.runAsync(() -> cluster.node(1).execute("DO SLEEP(4)"));
        await().atMost(WAIT)
                .until(() -> !cluster.node(1)
                        .query("SELECT ID FROM information_schema.PROCESSLIST WHERE"
                                + " INFO = 'DO SLEEP(4)' AND TIME >= 1")
                        .isEmpty());
        SwitchoverReport busy = MasterSwitchover.builder(config)
                .build()
                .run(config.server("server1").orElseThrow());
        assertThat(busy.outcome()).isEqualTo(FailoverReport.Outcome.REFUSED);
        assertThat(busy.errors())
                .anySatisfy(e -> assertThat(e).contains("an update has run for").contains("--running_updates_limit"));
        assertThat(cluster.master()).isSameAs(cluster.node(1));
        assertThat(cluster.node(1).isReadOnly()).isFalse();
        longUpdate.join();
    }
}
