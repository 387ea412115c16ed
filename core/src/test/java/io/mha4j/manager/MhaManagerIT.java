package io.mha4j.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.SandboxConfigs;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverPhase;
import io.mha4j.failover.FailoverReport;
import io.mha4j.monitor.VerdictKind;
import io.mha4j.testkit.LedgerReport;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.WriteLedger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded manager on real servers that start writable, used as a Java host would: built from
 * the configuration without naming the master, started, told each step as typed events through a
 * real failover after {@code kill -9}, closed.
 */
class MhaManagerIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path workdir;

    private SandboxCluster cluster;
    private final List<ManagerEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        cluster = SandboxCluster.builder().nodes(3).startsReadOnly(false).start();
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    private boolean seen(Predicate<ManagerEvent> p) {
        return events.stream().anyMatch(p);
    }

    private int indexOf(Predicate<ManagerEvent> p) {
        for (int i = 0; i < events.size(); i++) {
            if (p.test(events.get(i))) {
                return i;
            }
        }
        throw new AssertionError("not published: " + events);
    }

    @Test
    void findsTheMasterFailsOverAfterKillAndTellsEachStepWithTypedServers() {
        ApplicationConfig config = SandboxConfigs.quick(cluster, workdir).build();
        ServerConfig server1 = config.server("server1").orElseThrow();
        List<String> readOnlyWhenTold = new CopyOnWriteArrayList<>();
        MhaManager manager = MhaManager.builder(config)
                .workdir(workdir.resolve("manager"))
                .options(ManagerOptions.DEFAULTS.withSkipSshCheck(true))
                .listener(events::add)
                .listener(e -> {
                    if (e instanceof ManagerEvent.MasterChanged m) {
                        // Read while the event is being told, not after a poll: writable already.
                        readOnlyWhenTold.add(cluster.nodes().stream()
                                .filter(n -> n.port() == m.newMaster().port())
                                .findFirst()
                                .orElseThrow()
                                .queryForString("SELECT @@GLOBAL.read_only"));
                    }
                })
                .build();
        try (WriteLedger ledger = WriteLedger.builder(() -> cluster.master().endpoint())
                .writer("embedded")
                .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .build()) {
            manager.start();
            assertThat(manager.awaitMonitoring(WAIT)).isSameAs(server1);
            assertThat(ledger.write(20)).isEqualTo(20);

            cluster.node(1).kill();
            await().atMost(WAIT)
                    .until(() -> seen(e -> e instanceof ManagerEvent.MasterChanged)
                            || manager.termination().isDone());

            ManagerEvent.MasterChanged changed =
                    (ManagerEvent.MasterChanged) events.get(indexOf(e -> e instanceof ManagerEvent.MasterChanged));
            assertThat(changed.oldMaster()).isSameAs(server1);
            SandboxNode promoted = cluster.nodes().stream()
                    .filter(n -> n.port() == changed.newMaster().port())
                    .findFirst()
                    .orElseThrow();
            await().atMost(WAIT).until(() -> !readOnlyWhenTold.isEmpty());
            assertThat(readOnlyWhenTold)
                    .as("read_only of the new master when MasterChanged is told")
                    .containsExactly("0");
            assertThat(promoted.replicaStatus()).isEmpty();
            assertThat(changed.newMaster())
                    .isSameAs(config.server(changed.newMaster().block()).orElseThrow());

            await().atMost(WAIT)
                    .until(() -> seen(e -> e instanceof ManagerEvent.MonitoringStarted m
                            && m.master().block().equals(changed.newMaster().block())));
            assertThat(manager.currentMaster()).contains(changed.newMaster());
            ManagerEvent.FailoverEnded ended =
                    (ManagerEvent.FailoverEnded) events.get(indexOf(e -> e instanceof ManagerEvent.FailoverEnded));
            assertThat(ended.report().outcome())
                    .as(ended.report().toText())
                    .isEqualTo(FailoverReport.Outcome.SUCCEEDED);
            assertThat(ended.newMaster()).contains(changed.newMaster());
            ManagerEvent.MonitoringStarted after = (ManagerEvent.MonitoringStarted) events.get(
                    indexOf(e -> e instanceof ManagerEvent.MonitoringStarted m && m.master() != server1));
            assertThat(after.guarded()).containsExactly(server1);

            // The causal order, as a subsequence of everything told.
            assertThat(indexOf(e -> e instanceof ManagerEvent.MonitoringStarted m && m.master() == server1))
                    .isLessThan(indexOf(e -> e instanceof ManagerEvent.VerdictChanged v
                            && v.verdict().kind() == VerdictKind.DEAD
                            && v.verdict().server().equals(server1)));
            assertThat(indexOf(e -> e instanceof ManagerEvent.VerdictChanged v
                            && v.verdict().kind() == VerdictKind.DEAD))
                    .isLessThan(indexOf(e -> e instanceof ManagerEvent.FailoverStarted));
            assertThat(indexOf(e -> e instanceof ManagerEvent.FailoverStarted))
                    .isLessThan(
                            indexOf(e -> e instanceof ManagerEvent.PhaseStarted p && p.phase() == FailoverPhase.CHECK));
            assertThat(indexOf(e ->
                            e instanceof ManagerEvent.PhaseEnded p && p.phase() == FailoverPhase.RECOVER_NEW_MASTER))
                    .isLessThan(indexOf(e -> e instanceof ManagerEvent.MasterChanged));
            assertThat(indexOf(e -> e instanceof ManagerEvent.MasterChanged))
                    .isLessThan(indexOf(e ->
                            e instanceof ManagerEvent.PhaseStarted p && p.phase() == FailoverPhase.RECOVER_REPLICAS));
            assertThat(indexOf(e -> e instanceof ManagerEvent.FailoverEnded)).isLessThan(events.indexOf(after));
            assertThat(events)
                    .filteredOn(e -> e instanceof ManagerEvent.MasterChanged)
                    .hasSize(1);

            assertThat(ledger.writeOne())
                    .as("the connection to the dead master breaks")
                    .isEqualTo(io.mha4j.testkit.WriteOutcome.IN_DOUBT);
            assertThat(ledger.write(5)).as("writes reach the new master").isEqualTo(5);
            cluster.awaitReplicasCaughtUp(WAIT);
            LedgerReport verified = ledger.verify(
                    cluster.nodes().stream().filter(SandboxNode::isRunning).toList());
            assertThat(verified.nothingLostAndAgreed()).as(verified.toString()).isTrue();
        } finally {
            manager.close();
        }
        assertThat(events.get(events.size() - 1))
                .isInstanceOfSatisfying(
                        ManagerEvent.Stopped.class,
                        s -> assertThat(s.exitCode()).isZero());
        assertThat(Thread.getAllStackTraces().keySet())
                .as("the manager thread ended before close() returned")
                .noneMatch(t -> t.isAlive() && t.getName().equals("mha4j-manager-app1"));
        // The event thread ends right after it told Stopped (its executor shuts down then).
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.isAlive() && t.getName().equals("mha4j-events-app1")));
        assertThat(workdir.resolve("manager").resolve("app1.failover.complete")).exists();
    }
}
