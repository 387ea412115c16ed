package io.mha4j.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mha4j.ClusterMonitor;
import io.mha4j.FailoverHook;
import io.mha4j.Mha4jException;
import io.mha4j.check.Finding;
import io.mha4j.check.FindingKind;
import io.mha4j.check.ReplicationHealth;
import io.mha4j.check.Topology;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ConfigException;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.coordination.FailoverRecord;
import io.mha4j.coordination.ManagerView;
import io.mha4j.failover.FailoverContext;
import io.mha4j.failover.FailoverGuard;
import io.mha4j.failover.FailoverPhase;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.FailoverVetoException;
import io.mha4j.monitor.Evidence;
import io.mha4j.monitor.MonitorListener;
import io.mha4j.monitor.Verdict;
import io.mha4j.monitor.VerdictKind;
import io.mha4j.remote.RemoteShells;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded manager on fakes: a start-up check that answers what the test says, monitors the
 * test declares dead, a failover that reports what the test says. The servers' ports refuse
 * connections (the guard of the old master finds nobody). The real thing is {@code MhaManagerIT}.
 */
class MhaManagerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path workdir;

    private final List<ManagerEvent> events = new CopyOnWriteArrayList<>();
    private final List<FakeMonitor> monitors = new CopyOnWriteArrayList<>();
    private final AtomicInteger checks = new AtomicInteger();
    private final ApplicationConfig config = ManagerFixtures.refusingServers();
    private MhaManager manager;

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    private ServerConfig server(int i) {
        return config.server("server" + i).orElseThrow();
    }

    /** A check that finds {@code master} (by block) and every other monitored server replicating from it. */
    private Function<ApplicationConfig, ReplicationHealth> finds(Function<Integer, String> masterOnCall) {
        return monitored -> {
            ServerConfig master = monitored
                    .server(masterOnCall.apply(checks.incrementAndGet()))
                    .orElseThrow();
            List<ServerConfig> replicas = monitored.servers().stream()
                    .filter(s -> !s.block().equals(master.block()))
                    .toList();
            return new ReplicationHealth(
                    Optional.of(new Topology(master, replicas, List.of(), Map.of())), List.of(), Duration.ZERO);
        };
    }

    private MhaManager.Builder manager(Function<ApplicationConfig, ReplicationHealth> check, FailoverAction failover) {
        return manager(config, check, failover);
    }

    private MhaManager.Builder manager(
            ApplicationConfig config, Function<ApplicationConfig, ReplicationHealth> check, FailoverAction failover) {
        return MhaManager.builder(config)
                .workdir(workdir)
                .listener(events::add)
                .eventExecutor(Runnable::run)
                .startupCheck(check)
                .failover(failover)
                .monitors((monitored, topology, shells, listeners) -> {
                    FakeMonitor m = new FakeMonitor(topology.master(), listeners);
                    monitors.add(m);
                    return m;
                });
    }

    private FailoverReport promoted(ServerConfig dead, ServerConfig next) {
        return ManagerFixtures.report(
                dead.displayName(), Optional.of(next.displayName()), FailoverReport.Outcome.SUCCEEDED);
    }

    /** A manager of several, on a scripted coordination that leads or not as the test says. */
    private ScriptedCoordination coordinated(boolean leading) {
        ScriptedCoordination coordination = new ScriptedCoordination();
        if (leading) {
            coordination.lead();
        }
        ScriptedCoordination.next = coordination;
        return coordination;
    }

    private ApplicationConfig coordinatedConfig() {
        return config.toBuilder()
                .set(Parameter.COORDINATION, "scripted")
                .set(Parameter.PING_INTERVAL, 1)
                .build();
    }

    /** A failover that records the verdicts it is handed and promotes server2. */
    private FailoverAction promotesServer2(List<Verdict> handed) {
        return (c, t, verdict, o) -> {
            handed.add(verdict);
            return promoted(t.master(), c.server("server2").orElseThrow());
        };
    }

    /** A failover body that receives the manager's coordination hook and a context to call it with. */
    private interface HookedFailover {
        FailoverReport run(ApplicationConfig config, Topology topology, FailoverHook lead, FailoverContext context);
    }

    /** A failover action as the manager calls it when several managers share the application. */
    private FailoverAction hooked(HookedFailover body) {
        return new FailoverAction() {
            @Override
            public FailoverReport failover(ApplicationConfig c, Topology t, Verdict v, ManagerOptions o) {
                throw new AssertionError("the manager passes its hook");
            }

            @Override
            public FailoverReport failover(
                    ApplicationConfig c, Topology t, Verdict v, ManagerOptions o, RemoteShells s, FailoverHook lead) {
                return body.run(c, t, lead, new FailoverContext(c, t.master(), Optional.empty(), s, workdir));
            }
        };
    }

    /** Conclusive: refused, and the one replica read lost the master too. */
    private Verdict conclusive(ServerConfig master) {
        Evidence refusedAndConfirmed = new Evidence(
                Optional.of(io.mha4j.server.SqlFailure.Kind.CONNECTION_REFUSED),
                "refused",
                List.of(new io.mha4j.monitor.ReplicaView(
                        "server2",
                        Optional.of(io.mha4j.server.ReplicaStatus.IoThread.CONNECTING),
                        false,
                        "reconnecting")),
                Optional.empty(),
                java.util.OptionalInt.empty());
        assertThat(refusedAndConfirmed.refusedAndConfirmed()).isTrue();
        return new Verdict(VerdictKind.DEAD, master, Instant.now(), 1, "refused, confirmed", refusedAndConfirmed);
    }

    /** Starts a manager of several that finds server1, then server2 (after the failover that promotes it). */
    private ServerConfig startCoordinated(List<Verdict> handed) {
        manager = manager(
                        coordinatedConfig(), finds(call -> call == 1 ? "server1" : "server2"), promotesServer2(handed))
                .build();
        manager.start();
        return manager.awaitMonitoring(WAIT);
    }

    private ManagerView other(VerdictKind seen) {
        return new ManagerView("other-manager", false, "server1", seen, Instant.now(), Optional.empty());
    }

    @Test
    void aStandbyMonitorsTooLeavesTheFailoverToTheLeaderAndFailsOverWhenItLeadsWithTheMasterStillDead() {
        ScriptedCoordination coordination = coordinated(false);
        coordination.watching("server1"); // the leader's, which goes with the master
        List<Verdict> handed = new CopyOnWriteArrayList<>();
        Function<ApplicationConfig, ReplicationHealth> alive = finds(call -> "server1");
        manager = manager(
                        coordinatedConfig(),
                        monitored -> checks.get() == 0 ? alive.apply(monitored) : deadMasterServer1(monitored),
                        promotesServer2(handed))
                .build();
        manager.start();
        assertThat(manager.awaitMonitoring(WAIT).block())
                .as("a standby checks and monitors: a second vantage point")
                .isEqualTo("server1");

        monitors.get(0).die("refused");
        await().atMost(WAIT).until(() -> kinds().contains("FailoverWithheld"));
        ManagerEvent.FailoverWithheld withheld = only(ManagerEvent.FailoverWithheld.class);
        assertThat(withheld.reason()).isEqualTo(ManagerEvent.FailoverWithheld.Reason.STANDING_BY);
        assertThat(withheld.why()).contains("stands by");
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(handed::isEmpty);

        coordination.lead();
        // it checks the servers again, finds the master the leader watched dead, and monitors it
        await().atMost(WAIT).until(() -> monitors.size() == 2);
        assertThat(monitors.get(1).master.block()).isEqualTo("server1");
        assertThat(handed)
                .as("nothing acted on before its own check and verdict")
                .isEmpty();
        monitors.get(1).die(conclusive(server(1)));
        await().atMost(WAIT).until(() -> handed.size() == 1);
        assertThat(handed.get(0).server().block())
                .as("the master that died while the leader went is failed over on this manager's verdict")
                .isEqualTo("server1");
        assertThat(coordination.written).last().satisfies(r -> {
            assertThat(r.state()).isEqualTo(FailoverRecord.State.SUCCEEDED);
            assertThat(r.newMaster()).contains("server2");
            assertThat(r.manager()).isEqualTo(coordination.id());
        });
    }

    @Test
    void aManagerCutOffFromTheOthersAlertsAndFailsNothingOverUntilItIsBack() {
        ScriptedCoordination coordination = coordinated(true);
        List<Verdict> handed = new CopyOnWriteArrayList<>();
        startCoordinated(handed);
        coordination.connected(false);

        monitors.get(0).die("refused");
        await().atMost(WAIT).until(() -> kinds().contains("FailoverWithheld"));
        assertThat(only(ManagerEvent.FailoverWithheld.class).why())
                .contains("cut off from the other managers")
                .contains("monitoring and alerting go on");
        assertThat(new MonitoringNote(workdir, "app1").about())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith(
                                SharedFailover.CUT_OFF + "master " + server(1).displayName())
                        .contains("not failed over"));
        assertThat(handed).isEmpty();

        coordination.connected(true);
        await().atMost(WAIT).until(() -> monitors.size() == 2);
        assertThat(monitors.get(1).master.block())
                .as("the same topology, monitored again")
                .isEqualTo("server1");
        assertThat(handed).isEmpty();
        monitors.get(1).die(conclusive(server(1)));
        await().atMost(WAIT).until(() -> handed.size() == 1);
    }

    @Test
    void theOtherManagersMustSeeTheMasterDownUnlessItsDeathIsConclusive() {
        ScriptedCoordination coordination = coordinated(true);
        coordination.view(other(VerdictKind.ALIVE));
        List<Verdict> handed = new CopyOnWriteArrayList<>();
        startCoordinated(handed);

        monitors.get(0).die("timed out");
        await().atMost(WAIT).until(() -> kinds().contains("FailoverWithheld"));
        assertThat(only(ManagerEvent.FailoverWithheld.class).why())
                .contains("only 1 of 2 managers see master " + server(1).displayName() + " down")
                .contains("other-manager (standby): master server1 ALIVE");
        await().atMost(WAIT).until(() -> monitors.size() == 2);
        assertThat(handed).isEmpty();

        coordination.view(other(VerdictKind.FAILING));
        for (String silent : List.of("silent-1", "silent-2")) {
            // managers whose monitors stopped publishing ten minutes ago: no vantage point, not counted
            coordination.view(new ManagerView(
                    silent, false, "server1", VerdictKind.ALIVE, Instant.now().minusSeconds(600), Optional.empty()));
        }
        monitors.get(1).die("timed out");
        await().atMost(WAIT).until(() -> handed.size() == 1);
        assertThat(coordination.written)
                .extracting(r -> r.state() + " " + r.phase().map(Enum::name).orElse("-"))
                .containsExactly("RUNNING -", "SUCCEEDED -");
    }

    @Test
    void aConclusiveDeathNeedsNoVote() {
        ScriptedCoordination coordination = coordinated(true);
        coordination.view(other(VerdictKind.ALIVE));
        List<Verdict> handed = new CopyOnWriteArrayList<>();
        startCoordinated(handed);

        monitors.get(0).die(conclusive(server(1)));

        await().atMost(WAIT).until(() -> handed.size() == 1);
        assertThat(kinds()).doesNotContain("FailoverWithheld");
    }

    @Test
    void theFailoverIsRecordedBeforeEachPhaseAndAtItsEnd() {
        ScriptedCoordination coordination = coordinated(true);
        FailoverAction phases = hooked((c, t, lead, context) -> {
            lead.beforePhase(FailoverPhase.CHECK, context);
            lead.beforePhase(FailoverPhase.ISOLATE, context);
            lead.beforePhase(
                    FailoverPhase.RECOVER_NEW_MASTER,
                    context.withNewMaster(c.server("server2").orElseThrow()));
            return promoted(t.master(), c.server("server2").orElseThrow());
        });
        manager = manager(coordinatedConfig(), finds(call -> call == 1 ? "server1" : "server2"), phases)
                .build();
        manager.start();
        manager.awaitMonitoring(WAIT);

        monitors.get(0).die(conclusive(server(1)));

        await().atMost(WAIT).until(() -> monitors.size() == 2);
        assertThat(coordination.written)
                .extracting(r -> r.epoch() + " " + r.state() + " "
                        + r.phase().map(Enum::name).orElse("-") + " "
                        + r.newMaster().orElse("-"))
                .containsExactly(
                        "1 RUNNING - -",
                        "1 RUNNING CHECK -",
                        "1 RUNNING ISOLATE -",
                        "1 RUNNING RECOVER_NEW_MASTER server2",
                        "1 SUCCEEDED RECOVER_NEW_MASTER server2");
    }

    /** A check that fails on the dead server1 while it is among the servers checked, else finds {@code master}. */
    private Function<ApplicationConfig, ReplicationHealth> failsOnServer1WhileChecked(
            Function<Integer, String> master) {
        return monitored -> monitored.server("server1").isPresent()
                ? new ReplicationHealth(
                        Optional.empty(),
                        List.of(Finding.error(
                                FindingKind.SERVER_UNREACHABLE,
                                "server1",
                                "Server server1 is dead, but must be alive!")),
                        Duration.ZERO)
                : finds(master).apply(monitored);
    }

    /** A check that finds {@code block} down (counted like every check). */
    private ReplicationHealth serverDown(String block) {
        checks.incrementAndGet();
        return new ReplicationHealth(
                Optional.empty(),
                List.of(Finding.error(FindingKind.SERVER_UNREACHABLE, block, block + " is down")),
                Duration.ZERO);
    }

    @Test
    void aManagerThatComesToLeadLeavesOutAReplicaThatFailsItsCheckInsteadOfExiting() {
        ScriptedCoordination coordination = coordinated(true);
        manager = manager(
                        coordinatedConfig(),
                        monitored ->
                                checks.get() == 0 || monitored.server("server3").isEmpty()
                                        ? finds(call -> "server1").apply(monitored)
                                        : serverDown("server3"),
                        (c, t, v, o) -> {
                            throw new AssertionError("no failover expected");
                        })
                .build();
        manager.start();
        manager.awaitMonitoring(WAIT);

        int checked = checks.get();
        coordination.lose();
        // as a standby it checks again, and only retries: leaving servers out is the leader's call
        await().atMost(WAIT).until(() -> checks.get() > checked);
        assertThat(monitors).hasSize(1);
        coordination.lead();
        await().atMost(WAIT).until(() -> monitors.size() == 2);
        assertThat(manager.termination()).as("still running").isNotDone();
        assertThat(events.stream()
                        .filter(ManagerEvent.MonitoringStarted.class::isInstance)
                        .map(e -> ((ManagerEvent.MonitoringStarted) e)
                                .replicas().stream().map(ServerConfig::block).toList())
                        .toList())
                .last()
                .isEqualTo(List.of("server2"));
    }

    private FailoverRecord leftUnfinished(FailoverPhase reached) {
        Instant then = Instant.now().minusSeconds(30);
        return FailoverRecord.begin(Optional.empty(), "gone-manager", "server1", then)
                .at(reached, Optional.of("server2"), then);
    }

    @Test
    void anUnfinishedFailoverTheServersShowCompleteIsRecordedAndMonitoringGoesOn() {
        ScriptedCoordination coordination = coordinated(true);
        coordination.left(leftUnfinished(FailoverPhase.RECOVER_REPLICAS));
        manager = manager(coordinatedConfig(), failsOnServer1WhileChecked(call -> "server2"), (c, t, v, o) -> {
                    throw new AssertionError("no second failover");
                })
                .build();
        manager.start();

        assertThat(manager.awaitMonitoring(WAIT).block()).isEqualTo("server2");
        assertThat(only(ManagerEvent.MonitoringStarted.class).replicas())
                .as("the dead master, left out: the check without it tells that the rest was done")
                .extracting(ServerConfig::block)
                .containsExactly("server3");
        assertThat(coordination.lastFailover()).hasValueSatisfying(r -> {
            assertThat(r.state()).isEqualTo(FailoverRecord.State.COMPLETED_BY_SUCCESSOR);
            assertThat(r.epoch()).as("the same failover, settled").isEqualTo(1);
            assertThat(r.newMaster()).contains("server2");
        });
    }

    @Test
    void anUnfinishedFailoverTheServersDoNotAgreeOnStopsTheManagerSayingWhatAHumanMustDo() throws Exception {
        ScriptedCoordination coordination = coordinated(true);
        coordination.left(leftUnfinished(FailoverPhase.RECOVER_REPLICAS));
        manager = manager(
                        coordinatedConfig(),
                        monitored -> new ReplicationHealth(
                                Optional.empty(),
                                List.of(Finding.error(
                                        FindingKind.MASTER_UNREACHABLE,
                                        "server1",
                                        "server3 replicates from server1, which is down")),
                                Duration.ZERO),
                        (c, t, v, o) -> {
                            throw new AssertionError("no second failover");
                        })
                .build();
        manager.start();

        ManagerEvent.Stopped stopped =
                manager.termination().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(stopped.exitCode()).isEqualTo(1);
        assertThat(stopped.summary())
                .contains("unfinished failover #1 of server1 by gone-manager")
                .contains("server3 replicates from server1, which is down")
                .contains("Not starting a second failover")
                .contains("server2 is the new master: point every replica")
                .contains("acknowledge_failover");
        assertThat(coordination.lastFailover())
                .hasValueSatisfying(r -> assertThat(r.unfinished()).isTrue());
    }

    /** The check of a cluster whose master server1 is dead: every other server still replicates from it. */
    private ReplicationHealth deadMasterServer1(ApplicationConfig monitored) {
        if (monitored.server("server1").isEmpty()) {
            // after the failover (server1 guarded): server2 leads the rest
            return finds(call -> "server2").apply(monitored);
        }
        checks.incrementAndGet();
        ServerConfig master = monitored.server("server1").orElseThrow();
        List<ServerConfig> replicas = monitored.servers().stream()
                .filter(s -> !s.block().equals("server1"))
                .toList();
        return new ReplicationHealth(
                Optional.of(new Topology(master, replicas, List.of(), Map.of())),
                List.of(
                        Finding.error(
                                FindingKind.MASTER_UNREACHABLE, "server1", "MySQL master is not currently alive!"),
                        Finding.error(FindingKind.IO_THREAD_NOT_RUNNING, "server2", "Slave IO thread is not running")),
                Duration.ZERO);
    }

    @Test
    void aMasterThatDiedWhileNobodyLedIsMonitoredAndFailedOverByTheNextLeaderButALoneManagerRefusesToStart()
            throws Exception {
        ScriptedCoordination coordination = coordinated(true);
        coordination.watching("server1"); // a leader was watching it when it went
        List<Verdict> handed = new CopyOnWriteArrayList<>();
        manager = manager(coordinatedConfig(), this::deadMasterServer1, promotesServer2(handed))
                .build();
        manager.start();
        assertThat(manager.awaitMonitoring(WAIT).block()).isEqualTo("server1");
        monitors.get(0).die(conclusive(server(1)));
        await().atMost(WAIT).until(() -> handed.size() == 1);
        manager.close();

        MhaManager alone =
                manager(this::deadMasterServer1, promotesServer2(handed)).build();
        alone.start();
        assertThat(alone.termination()
                        .get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                        .exitCode())
                .as("MHA's rule for a lone manager: a human fails a dead master over")
                .isEqualTo(1);
        assertThat(handed).hasSize(1);
    }

    @Test
    void aMasterStoppedAfterItsManagersStoppedCleanlyIsNotFailedOverAtStart() throws Exception {
        coordinated(true); // nobody was watching: the last leader stopped cleanly (planned maintenance)
        List<Verdict> handed = new CopyOnWriteArrayList<>();
        manager = manager(coordinatedConfig(), this::deadMasterServer1, promotesServer2(handed))
                .build();
        manager.start();
        assertThat(manager.termination()
                        .get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                        .exitCode())
                .as("MHA's start-up rule: a human fails over a master stopped on purpose")
                .isEqualTo(1);
        assertThat(monitors).isEmpty();
        assertThat(handed).isEmpty();
    }

    @Test
    void anUnfinishedFailoverThatChangedNoSurvivorIsSupersededByANewOne() {
        ScriptedCoordination coordination = coordinated(true);
        coordination.watching("server1");
        coordination.left(leftUnfinished(FailoverPhase.ISOLATE));
        List<Verdict> handed = new CopyOnWriteArrayList<>();
        manager = manager(coordinatedConfig(), this::deadMasterServer1, promotesServer2(handed))
                .build();
        manager.start();
        manager.awaitMonitoring(WAIT);
        assertThat(coordination.lastFailover())
                .hasValueSatisfying(r -> assertThat(r.state()).isEqualTo(FailoverRecord.State.SUPERSEDED));

        monitors.get(0).die(conclusive(server(1)));

        await().atMost(WAIT).until(() -> handed.size() == 1);
        assertThat(coordination.written)
                .extracting(r -> r.epoch() + " " + r.state())
                .containsExactly("1 SUPERSEDED", "2 RUNNING", "2 SUCCEEDED");
    }

    @Test
    void aManagerThatDidNotFailOverLeavesOutTheDeadMasterTheOtherGuards() {
        ScriptedCoordination coordination = coordinated(false);
        Instant then = Instant.now().minusSeconds(60);
        coordination.left(FailoverRecord.begin(Optional.empty(), "other-manager", "server1", then)
                .ended(FailoverRecord.State.SUCCEEDED, Optional.of("server2"), then));
        manager = manager(coordinatedConfig(), failsOnServer1WhileChecked(call -> "server2"), (c, t, v, o) -> {
                    throw new AssertionError("no failover expected");
                })
                .build();
        manager.start();

        assertThat(manager.awaitMonitoring(WAIT).block()).isEqualTo("server2");
        assertThat(only(ManagerEvent.MonitoringStarted.class).replicas())
                .extracting(ServerConfig::block)
                .containsExactly("server3");
    }

    @Test
    void aStandbyCheckingDuringTheLeadersFailoverLeavesNothingOutAndSettlesItOnceItLeads() {
        ScriptedCoordination coordination = coordinated(false);
        coordination.watching("server1");
        Function<ApplicationConfig, ReplicationHealth> alive = finds(call -> "server1");
        manager = manager(
                        coordinatedConfig(),
                        monitored -> checks.get() == 0 ? alive.apply(monitored) : deadMasterServer1(monitored),
                        promotesServer2(new CopyOnWriteArrayList<>()))
                .build();
        manager.start();
        manager.awaitMonitoring(WAIT);

        monitors.get(0).die("refused");
        await().atMost(WAIT).until(() -> kinds().contains("FailoverWithheld"));
        // the leader begins its failover (epoch 1), then goes before changing anything
        coordination.left(leftUnfinished(FailoverPhase.CHECK).at(FailoverPhase.CHECK, Optional.empty(), Instant.now()));
        await().atMost(WAIT).until(() -> checks.get() >= 2);
        assertThat(manager.termination())
                .as("the standby's failing check ends nothing")
                .isNotDone();

        coordination.lead();
        await().atMost(WAIT).until(() -> monitors.size() == 2);
        assertThat(monitors.get(1).master.block()).isEqualTo("server1");
        assertThat(events.stream()
                        .filter(ManagerEvent.MonitoringStarted.class::isInstance)
                        .map(e ->
                                ((ManagerEvent.MonitoringStarted) e).replicas().size())
                        .toList())
                .as("no replica left out by the standby's checks")
                .containsOnly(2);
        assertThat(coordination.lastFailover())
                .hasValueSatisfying(r -> assertThat(r.state()).isEqualTo(FailoverRecord.State.SUPERSEDED));
    }

    @Test
    void aSharedStateThatCannotBeReadIsActedOnByNobodyAndSaidInCheckStatus() {
        ScriptedCoordination coordination = coordinated(true);
        coordination.unreadable(true);
        List<Verdict> handed = new CopyOnWriteArrayList<>();
        manager = manager(
                        coordinatedConfig(), finds(call -> call == 1 ? "server1" : "server2"), promotesServer2(handed))
                .build();
        manager.start();

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(new MonitoringNote(workdir, "app1").about())
                        .anySatisfy(line -> assertThat(line).startsWith("shared state unreadable")));
        assertThat(monitors).as("nothing read from it is acted on").isEmpty();
        assertThat(manager.termination()).isNotDone();

        coordination.unreadable(false);
        assertThat(manager.awaitMonitoring(WAIT).block()).isEqualTo("server1");
        monitors.get(0).die(conclusive(server(1)));
        await().atMost(WAIT).until(() -> handed.size() == 1);
    }

    @Test
    void theSharedAntiFlapRuleHoldsWhicheverManagerFailedOverLastUntilAHumanAcknowledges() throws Exception {
        ScriptedCoordination coordination = coordinated(true);
        Instant recent = Instant.now().minusSeconds(60);
        coordination.left(FailoverRecord.begin(Optional.empty(), "gone-manager", "server3", recent)
                .ended(FailoverRecord.State.SUCCEEDED, Optional.of("server1"), recent));
        List<Verdict> handed = new CopyOnWriteArrayList<>();
        manager = manager(coordinatedConfig(), finds(call -> "server1"), promotesServer2(handed))
                .build();
        manager.start();
        manager.awaitMonitoring(WAIT);

        monitors.get(0).die(conclusive(server(1)));

        ManagerEvent.Stopped stopped =
                manager.termination().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(stopped.exitCode()).isEqualTo(1);
        assertThat(only(ManagerEvent.FailoverBlocked.class).reason())
                .contains("says the managers' shared record (failover #1 of server3 by gone-manager: SUCCEEDED")
                .contains("MhaManager.acknowledgeFailover(who, reason)");
        assertThat(handed).isEmpty();

        coordination.acknowledge(new FailoverRecord.Acknowledgement(Instant.now(), "dba", "server1 checked by hand"));
        events.clear();
        monitors.clear();
        checks.set(0);
        ScriptedCoordination.next = coordination;
        coordination.lead(); // the stopped manager left the election
        assertThat(startCoordinated(handed).block()).isEqualTo("server1");
        monitors.get(0).die(conclusive(server(1)));
        await().atMost(WAIT).until(() -> handed.size() == 1);
        assertThat(coordination.lastFailover())
                .hasValueSatisfying(r -> assertThat(r.epoch()).isEqualTo(2));
    }

    @Test
    void theFailoverStopsBeforeItsNextPhaseOnceTheManagerNoLongerLeads() {
        ScriptedCoordination coordination = new ScriptedCoordination();
        coordination.lead();
        ScriptedCoordination.next = coordination;
        ApplicationConfig coordinated =
                config.toBuilder().set(Parameter.COORDINATION, "scripted").build();
        List<String> phases = new CopyOnWriteArrayList<>();
        FailoverAction loseMidway = hooked((c, t, lead, context) -> {
            lead.beforePhase(FailoverPhase.CHECK, context);
            phases.add("CHECK");
            coordination.lose();
            assertThatThrownBy(() -> lead.beforePhase(FailoverPhase.ISOLATE, context))
                    .isInstanceOf(FailoverVetoException.class)
                    .hasMessageContaining("no longer leads app1")
                    .hasMessageContaining("stopping before");
            phases.add("vetoed");
            ServerConfig next = c.server("server2").orElseThrow();
            assertThatThrownBy(() -> lead.activate(context.withNewMaster(next)))
                    .isInstanceOf(FailoverVetoException.class)
                    .hasMessageContaining("not making " + next.displayName() + " writable");
            assertThatThrownBy(() -> lead.beforeRewire(
                            context.withNewMaster(next), c.server("server3").orElseThrow()))
                    .isInstanceOf(FailoverVetoException.class)
                    .hasMessageContaining("not rewiring");
            throw new IllegalStateException("stopped: no longer leading");
        });
        manager = manager(coordinated, finds(call -> "server1"), loseMidway).build();
        manager.start();
        manager.awaitMonitoring(WAIT);

        monitors.get(0).die("refused");

        await().atMost(WAIT).until(() -> phases.size() == 2);
        assertThat(phases).containsExactly("CHECK", "vetoed");
        await().atMost(WAIT).until(() -> monitors.size() == 2);
        assertThat(manager.termination())
                .as("a manager that lost the lead mid-failover stands by: no exit")
                .isNotDone();
        assertThat(new FailoverGuard(workdir, "app1").errorFile())
                .as("nor a failover.error of its own: the leader settles the record")
                .doesNotExist();
    }

    private List<String> kinds() {
        return events.stream().map(e -> e.getClass().getSimpleName()).toList();
    }

    @Test
    void discoversTheMasterFromTheLiveServersWithoutBeingTold() {
        manager = manager(finds(call -> "server2"), (c, t, v, o) -> {
                    throw new AssertionError("no failover expected");
                })
                .build();
        manager.start();

        ServerConfig master = manager.awaitMonitoring(WAIT);

        assertThat(master.block()).isEqualTo("server2");
        assertThat(manager.currentMaster()).contains(server(2));
        assertThat(monitors)
                .singleElement()
                .satisfies(m -> assertThat(m.master.block()).isEqualTo("server2"));
        assertThat(events)
                .filteredOn(ManagerEvent.MonitoringStarted.class::isInstance)
                .singleElement()
                .satisfies(e -> {
                    ManagerEvent.MonitoringStarted m = (ManagerEvent.MonitoringStarted) e;
                    assertThat(m.master()).isSameAs(server(2));
                    assertThat(m.replicas()).containsExactly(server(1), server(3));
                });
    }

    @Test
    void aFailoverIsToldInOrderAndTheManagerMonitorsTheNewMaster() {
        List<Verdict> handed = new CopyOnWriteArrayList<>();
        manager = manager(finds(call -> call == 1 ? "server1" : "server2"), (c, t, verdict, o) -> {
                    handed.add(verdict);
                    return promoted(t.master(), c.server("server2").orElseThrow());
                })
                .build();
        manager.start();
        manager.awaitMonitoring(WAIT);

        monitors.get(0).die("connection refused, confirmed by every replica");

        await().atMost(WAIT).until(() -> monitors.size() == 2);
        assertThat(handed)
                .singleElement()
                .satisfies(v -> assertThat(v.server().block()).isEqualTo("server1"));
        assertThat(only(ManagerEvent.VerdictChanged.class).verdict().server())
                .as("the configuration's own object")
                .isSameAs(server(1));
        assertThat(manager.currentMaster()).contains(server(2));
        manager.close();
        assertThat(kinds())
                .containsExactly(
                        "Checked",
                        "MonitoringStarted",
                        "VerdictChanged",
                        "FailoverStarted",
                        "MasterChanged",
                        "FailoverEnded",
                        "Checked",
                        "MonitoringStarted",
                        "Stopped");
        ManagerEvent.MasterChanged changed = only(ManagerEvent.MasterChanged.class);
        assertThat(changed.oldMaster()).isSameAs(server(1));
        assertThat(changed.newMaster()).isSameAs(server(2));
        ManagerEvent.FailoverEnded ended = only(ManagerEvent.FailoverEnded.class);
        assertThat(ended.newMaster()).contains(server(2));
        assertThat(ended.report().outcome()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
        ManagerEvent.MonitoringStarted after = (ManagerEvent.MonitoringStarted) events.get(7);
        assertThat(after.master()).isSameAs(server(2));
        assertThat(after.replicas()).containsExactly(server(3));
        assertThat(after.guarded()).extracting(ServerConfig::block).containsExactly("server1");
        assertThat(manager.termination()).isCompletedWithValueMatching(s -> s.exitCode() == 0);
        assertThat(new FailoverGuard(workdir, "app1").completeFile()).exists();
    }

    @Test
    void theAntiFlapRefusalNamesWhatAJavaHostCallsNotCommandLineOptions() throws Exception {
        new FailoverGuard(workdir, "app1").markComplete(Instant.now());
        manager = manager(finds(call -> "server1"), (c, t, v, o) -> {
                    throw new AssertionError("the anti-flap rule must hold it back");
                })
                .build();
        manager.start();
        manager.awaitMonitoring(WAIT);

        monitors.get(0).die("refused");

        ManagerEvent.Stopped stopped =
                manager.termination().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(stopped.exitCode()).isEqualTo(1);
        ManagerEvent.FailoverBlocked blocked = only(ManagerEvent.FailoverBlocked.class);
        assertThat(blocked.deadMaster()).isSameAs(server(1));
        assertThat(blocked.reason())
                .contains("MhaManager.acknowledgeFailover(who, reason)")
                .contains("ignoreLastFailover(true)")
                .doesNotContain("--")
                .doesNotContain("this script");

        assertThat(manager.acknowledgeFailover("ops", "the flapping was a test"))
                .isNotEmpty();
        assertThat(new FailoverGuard(workdir, "app1").completeFile()).doesNotExist();
    }

    @Test
    void aFailingStartUpCheckFailsAwaitMonitoringWithItsFirstError() {
        manager = manager(
                        monitored -> new ReplicationHealth(
                                Optional.empty(),
                                List.of(
                                        Finding.error(
                                                FindingKind.SERVER_UNREACHABLE,
                                                "server1",
                                                "server1 (127.0.0.1:3306): Access denied for user 'mha' (1045)"),
                                        Finding.error(FindingKind.NO_MASTER, "server2", "a later error")),
                                Duration.ZERO),
                        (c, t, v, o) -> {
                            throw new AssertionError();
                        })
                .build();
        manager.start();

        assertThatThrownBy(() -> manager.awaitMonitoring(WAIT))
                .isInstanceOf(Mha4jException.class)
                .hasMessageContaining("Access denied")
                .hasMessageNotContaining("a later error");
        assertThat(manager.awaitTermination().exitCode()).isEqualTo(1);
        assertThat(monitors).isEmpty();
    }

    @Test
    void aWorkingDirectoryIsRequiredAndGoesIntoTheConfiguration() {
        assertThatThrownBy(() -> MhaManager.builder(config).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("manager_workdir")
                .hasMessageContaining("workdir(Path)");

        Path dir = workdir.resolve("mha");
        ApplicationConfig explicit = config.toBuilder().managerWorkdir(dir).build();
        manager = MhaManager.builder(explicit).build();
        assertThat(dir).isDirectory();
    }

    @Test
    void aMisspeltPluginFailsTheBuildNotTheFailover() {
        ApplicationConfig typo =
                config.toBuilder().set(Parameter.MASTER_ELECTOR, "last-eligble").build();

        assertThatThrownBy(() -> MhaManager.builder(typo).workdir(workdir).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("last-eligble");
    }

    @Test
    void aSupervisorsEventListenerThatThrowsNeitherStopsTheFailoverNorTheManager() throws Exception {
        List<Verdict> handed = new CopyOnWriteArrayList<>();
        List<ManagerEvent> told = new CopyOnWriteArrayList<>();
        Supervisor supervisor = Supervisor.builder(config)
                .options(ManagerOptions.DEFAULTS.withWorkdir(workdir))
                .events(event -> {
                    told.add(event);
                    if (event instanceof ManagerEvent.FailoverStarted) {
                        throw new IllegalStateException("a broken observer");
                    }
                })
                .startupCheck(finds(call -> call == 1 ? "server1" : "server2"))
                .failover((c, t, verdict, o) -> {
                    handed.add(verdict);
                    return promoted(t.master(), c.server("server2").orElseThrow());
                })
                .monitors((monitored, topology, shells, listeners) -> {
                    FakeMonitor m = new FakeMonitor(topology.master(), listeners);
                    monitors.add(m);
                    return m;
                })
                .build();
        CompletableFuture<Supervisor.Result> run = CompletableFuture.supplyAsync(supervisor::run);
        await().atMost(WAIT).until(() -> monitors.size() == 1 || run.isDone());

        monitors.get(0).die("connection refused, confirmed by every replica");

        await().atMost(WAIT).until(() -> monitors.size() == 2 || run.isDone());
        assertThat(handed)
                .as("the failover ran although the listener threw at its start")
                .hasSize(1);
        supervisor.stop();
        assertThat(run.get(WAIT.toSeconds(), TimeUnit.SECONDS).exitCode()).isZero();
        assertThat(told).anyMatch(e -> e instanceof ManagerEvent.FailoverEnded);
    }

    @Test
    void aThrowingListenerIsIgnoredAndStartTwiceIsRefused() {
        List<ManagerEvent> second = new CopyOnWriteArrayList<>();
        manager = manager(finds(call -> "server1"), (c, t, v, o) -> {
                    throw new AssertionError();
                })
                .listener(e -> {
                    throw new IllegalStateException("a broken listener");
                })
                .listener(second::add)
                .build();
        manager.start();
        manager.awaitMonitoring(WAIT);

        assertThatThrownBy(manager::start).isInstanceOf(IllegalStateException.class);
        manager.close();
        assertThat(second)
                .extracting(e -> e.getClass().getSimpleName())
                .containsExactly("Checked", "MonitoringStarted", "Stopped");
    }

    @Test
    void thePhaseRelaySaysTheMasterChangedOnceWhenReplicasAreNext() {
        List<ManagerEvent> relayed = new ArrayList<>();
        ApplicationConfig rebuilt = config.toBuilder().removeServer("server3").build();
        PhaseRelay relay = new PhaseRelay(
                relayed::add,
                Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
                s -> config.server(s.block()).orElse(s));
        FailoverContext before =
                new FailoverContext(rebuilt, rebuilt.server("server1").orElseThrow(), Optional.empty(), null, workdir);
        FailoverContext elected = before.withNewMaster(rebuilt.server("server2").orElseThrow());

        relay.beforePhase(FailoverPhase.RECOVER_NEW_MASTER, before);
        relay.afterPhase(FailoverPhase.RECOVER_NEW_MASTER, elected);
        relay.beforePhase(FailoverPhase.RECOVER_REPLICAS, elected);
        relay.afterPhase(FailoverPhase.RECOVER_REPLICAS, elected);
        relay.beforePhase(FailoverPhase.CLEANUP, elected);

        assertThat(relayed)
                .extracting(e -> e.getClass().getSimpleName())
                .containsExactly(
                        "PhaseStarted", "PhaseEnded", "MasterChanged", "PhaseStarted", "PhaseEnded", "PhaseStarted");
        ManagerEvent.MasterChanged changed = (ManagerEvent.MasterChanged) relayed.get(2);
        assertThat(changed.oldMaster()).as("the configuration's own object").isSameAs(server(1));
        assertThat(changed.newMaster()).isSameAs(server(2));
    }

    @Test
    void closedBeforeStartItNeverRuns() {
        manager = manager(finds(call -> "server1"), (c, t, v, o) -> {
                    throw new AssertionError();
                })
                .build();

        manager.close();

        assertThat(manager.awaitTermination().summary()).contains("closed before");
        assertThatThrownBy(manager::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(checks).hasValue(0);
        assertThatThrownBy(() -> manager.awaitMonitoring(WAIT)).isInstanceOf(Mha4jException.class);
    }

    @Test
    void aFailoverThatThrowsEndsTheManagerAndSaysWhy() {
        manager = manager(finds(call -> "server1"), (c, t, v, o) -> {
                    throw new IllegalStateException("the hook host is on fire");
                })
                .build();
        manager.start();
        manager.awaitMonitoring(WAIT);

        monitors.get(0).die("refused");

        ManagerEvent.Stopped stopped = manager.awaitTermination();
        assertThat(stopped.exitCode()).isEqualTo(1);
        assertThat(stopped.summary()).contains("on fire");
        assertThat(kinds()).doesNotContain("FailoverEnded", "MasterChanged").endsWith("FailoverStarted", "Stopped");
        assertThat(new FailoverGuard(workdir, "app1").errorFile()).exists();
    }

    @Test
    void closeFromAListenerOnTheEventThreadDoesNotWaitForItself() {
        List<String> told = new CopyOnWriteArrayList<>();
        AtomicInteger closes = new AtomicInteger();
        MhaManager[] self = new MhaManager[1];
        manager = MhaManager.builder(config)
                .workdir(workdir)
                .startupCheck(finds(call -> "server1"))
                .failover((c, t, v, o) -> {
                    throw new AssertionError();
                })
                .monitors((monitored, topology, shells, listeners) -> new FakeMonitor(topology.master(), listeners))
                .listener(e -> {
                    told.add(Thread.currentThread().getName() + " "
                            + e.getClass().getSimpleName());
                    if (e instanceof ManagerEvent.MonitoringStarted) {
                        closes.incrementAndGet();
                        self[0].close();
                        try {
                            self[0].awaitTermination();
                            told.add("awaited its own termination");
                        } catch (IllegalStateException expected) {
                            told.add("would not wait for itself");
                        }
                    }
                })
                .build();
        self[0] = manager;
        manager.start();

        assertThat(manager.termination()).succeedsWithin(WAIT);
        assertThat(closes).hasValue(1);
        assertThat(told)
                .containsExactly(
                        "mha4j-events-app1 Checked",
                        "mha4j-events-app1 MonitoringStarted",
                        "would not wait for itself",
                        "mha4j-events-app1 Stopped");
    }

    private <T extends ManagerEvent> T only(Class<T> type) {
        List<ManagerEvent> of = events.stream().filter(type::isInstance).toList();
        assertThat(of).as(type.getSimpleName() + " in " + kinds()).hasSize(1);
        return type.cast(of.get(0));
    }

    /** A monitor the test declares dead. */
    private static final class FakeMonitor implements ClusterMonitor {
        final ServerConfig master;
        private final List<MonitorListener> listeners;
        private final CompletableFuture<Verdict> dead = new CompletableFuture<>();
        private volatile Verdict current;

        FakeMonitor(ServerConfig master, List<MonitorListener> listeners) {
            this.master = master;
            this.listeners = List.copyOf(listeners);
            this.current = new Verdict(VerdictKind.ALIVE, master, Instant.now(), 0, "not pinged yet", Evidence.NONE);
        }

        void die(String reason) {
            die(new Verdict(VerdictKind.DEAD, master, Instant.now(), 1, reason, Evidence.NONE));
        }

        void die(Verdict verdict) {
            current = verdict;
            listeners.forEach(l -> l.onVerdict(current));
            dead.complete(current);
        }

        @Override
        public void start() {}

        @Override
        public Verdict currentVerdict() {
            return current;
        }

        @Override
        public CompletableFuture<Verdict> failoverVerdict() {
            return dead;
        }

        @Override
        public void addListener(MonitorListener listener) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            dead.cancel(false);
        }
    }
}
