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
import java.io.IOException;
import java.net.ServerSocket;
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
    private final ApplicationConfig config = config();
    private MhaManager manager;

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    private static ApplicationConfig config() {
        ApplicationConfig.Builder b =
                ApplicationConfig.builder("app1").user("mha").password("pw").set(Parameter.REMOTE_SHELL, "local");
        for (int i = 1; i <= 3; i++) {
            int port = refusedPort();
            b.server("server" + i, s -> s.hostname("127.0.0.1").port(port));
        }
        return b.build();
    }

    private static int refusedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
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
        Instant now = Instant.now();
        return new FailoverReport(
                "app1",
                FailoverReport.Outcome.SUCCEEDED,
                dead.displayName(),
                Optional.of(next.displayName()),
                "stand-in",
                Map.of(),
                Optional.empty(),
                List.of(),
                List.of(),
                Optional.empty(),
                List.of(),
                now,
                now);
    }

    @Test
    void aManagerThatDoesNotLeadChecksAndMonitorsNothingUntilItLeads() {
        ScriptedCoordination coordination = new ScriptedCoordination();
        ScriptedCoordination.next = coordination;
        ApplicationConfig coordinated =
                config.toBuilder().set(Parameter.COORDINATION, "scripted").build();
        manager = manager(coordinated, finds(call -> "server1"), (c, t, v, o) -> {
                    throw new AssertionError("no failover expected");
                })
                .build();
        manager.start();

        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> checks.get() == 0 && monitors.isEmpty());
        coordination.lead();
        assertThat(manager.awaitMonitoring(WAIT).block()).isEqualTo("server1");

        coordination.lose();
        await().atMost(WAIT).until(() -> monitors.get(0).failoverVerdict().isCancelled());
        assertThat(monitors).as("no monitor while another leads").hasSize(1);
    }

    @Test
    void theFailoverStopsBeforeItsNextPhaseOnceTheManagerNoLongerLeads() {
        ScriptedCoordination coordination = new ScriptedCoordination();
        coordination.lead();
        ScriptedCoordination.next = coordination;
        ApplicationConfig coordinated =
                config.toBuilder().set(Parameter.COORDINATION, "scripted").build();
        List<String> phases = new CopyOnWriteArrayList<>();
        FailoverAction loseMidway = new FailoverAction() {
            @Override
            public FailoverReport failover(ApplicationConfig c, Topology t, Verdict v, ManagerOptions o) {
                throw new AssertionError("the manager passes its lead");
            }

            @Override
            public FailoverReport failover(
                    ApplicationConfig c, Topology t, Verdict v, ManagerOptions o, RemoteShells s, FailoverHook lead) {
                FailoverContext context = new FailoverContext(c, t.master(), Optional.empty(), s, workdir);
                lead.beforePhase(FailoverPhase.CHECK, context);
                phases.add("CHECK");
                coordination.lose();
                assertThatThrownBy(() -> lead.beforePhase(FailoverPhase.ISOLATE, context))
                        .isInstanceOf(FailoverVetoException.class)
                        .hasMessageContaining("no longer leads app1")
                        .hasMessageContaining("stopping before");
                phases.add("vetoed");
                throw new IllegalStateException("stopped: no longer leading");
            }
        };
        manager = manager(coordinated, finds(call -> "server1"), loseMidway).build();
        manager.start();
        manager.awaitMonitoring(WAIT);

        monitors.get(0).die("refused");

        await().atMost(WAIT).until(() -> phases.size() == 2);
        assertThat(phases).containsExactly("CHECK", "vetoed");
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
            current = new Verdict(VerdictKind.DEAD, master, Instant.now(), 1, reason, Evidence.NONE);
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
