package io.mha4j.coordination.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mha4j.SandboxConfigs;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.coordination.Coordination;
import io.mha4j.coordination.FailoverRecord;
import io.mha4j.failover.FailoverPhase;
import io.mha4j.failover.FailoverReport;
import io.mha4j.manager.ManagerEvent;
import io.mha4j.manager.ManagerOptions;
import io.mha4j.manager.MhaManager;
import io.mha4j.manager.StatusCheck;
import io.mha4j.testkit.SandboxCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Two managers of one application on a real ZooKeeper ensemble (three servers in-process,
 * Curator's TestingCluster) and a real sandbox: one leads and monitors, the other stands by; when
 * the leader goes, the other leads; the master's death is then failed over exactly once.
 */
class ManagerLeadershipIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static TestingCluster zookeeper;

    @TempDir
    Path dir;

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zookeeper = new TestingCluster(3);
        zookeeper.start();
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        zookeeper.close();
    }

    private SandboxCluster sandbox;

    /** The application's configuration for a manager working in {@code workdir}. */
    private ApplicationConfig config(Path workdir) {
        return SandboxConfigs.quick(sandbox, workdir)
                .set(Parameter.COORDINATION, "zookeeper")
                .set(ZooKeeperParameters.ZOOKEEPER_CONNECT, zookeeper.getConnectString())
                .set(ZooKeeperParameters.ZOOKEEPER_SESSION_TIMEOUT, Duration.ofSeconds(4))
                .build();
    }

    /** A manager of {@code cluster} with a working directory of its own, as on a host of its own. */
    private MhaManager manager(SandboxCluster cluster, String host, List<ManagerEvent> events) throws Exception {
        sandbox = cluster;
        Path workdir = Files.createDirectories(dir.resolve(host));
        ApplicationConfig config = config(workdir);
        return MhaManager.builder(config)
                .workdir(workdir)
                .options(ManagerOptions.DEFAULTS.withSkipSshCheck(true))
                .listener(events::add)
                .build();
    }

    private static long count(List<ManagerEvent> events, Class<? extends ManagerEvent> type) {
        return events.stream().filter(type::isInstance).count();
    }

    @Test
    void oneManagerActsTheOtherTakesOverWhenItGoesAndTheMasterIsFailedOverOnce() throws Exception {
        List<ManagerEvent> a = new CopyOnWriteArrayList<>();
        List<ManagerEvent> b = new CopyOnWriteArrayList<>();
        try (SandboxCluster cluster = SandboxCluster.builder().nodes(3).start();
                MhaManager first = manager(cluster, "host-a", a);
                MhaManager second = manager(cluster, "host-b", b)) {
            first.start();
            first.awaitMonitoring(WAIT);
            // its node in the election is made in the background: the first leads once it says so
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(statusOf("host-a"))
                            .anySatisfy(line -> assertThat(line).startsWith("app1: this manager leads")));
            second.start();
            // The standby checks and monitors too (a second vantage point), and fails nothing over while the first
            // leads.
            await().atMost(WAIT).until(() -> count(b, ManagerEvent.MonitoringStarted.class) == 1);
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(statusOf("host-b"))
                            .as("check_status of the standby")
                            .anySatisfy(line -> assertThat(line).contains("is running(0:PING_OK)"))
                            .anySatisfy(line ->
                                    assertThat(line).startsWith("app1: this manager stands by: another manager leads"))
                            .anySatisfy(line -> assertThat(line)
                                    .startsWith("app1: manager ")
                                    .contains("(leader): master server1 ALIVE"))
                            .anySatisfy(line -> assertThat(line)
                                    .startsWith("app1: manager ")
                                    .contains("(standby): master server1 ALIVE")));
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(statusOf("host-a"))
                            .as("check_status of the leader")
                            .anySatisfy(line -> assertThat(line).startsWith("app1: this manager leads"))
                            .anySatisfy(
                                    line -> assertThat(line).contains("(standby): master server1 ALIVE, last ping")));

            first.close();
            await().atMost(WAIT).until(() -> count(b, ManagerEvent.MonitoringStarted.class) == 2);

            cluster.node(1).kill();
            await().atMost(WAIT).until(() -> count(b, ManagerEvent.FailoverEnded.class) == 1);
            FailoverReport report = b.stream()
                    .filter(ManagerEvent.FailoverEnded.class::isInstance)
                    .map(e -> ((ManagerEvent.FailoverEnded) e).report())
                    .findFirst()
                    .orElseThrow();
            assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
        }
        assertThat(count(a, ManagerEvent.FailoverStarted.class))
                .as("the manager that left")
                .isZero();
        assertThat(count(b, ManagerEvent.FailoverStarted.class)).isEqualTo(1);
        assertThat(Files.exists(dir.resolve("host-a/app1.failover.complete"))).isFalse();
        assertThat(Files.exists(dir.resolve("host-b/app1.failover.complete"))).isTrue();
        // never started: a reader takes no part in the election
        try (Coordination reader = Coordination.of(config(dir.resolve("reader")))) {
            assertThat(reader.lastFailover())
                    .as("the shared record, as any manager reads it")
                    .hasValueSatisfying(r -> {
                        assertThat(r.state()).isEqualTo(FailoverRecord.State.SUCCEEDED);
                        assertThat(r.deadMaster()).isEqualTo("server1");
                        assertThat(r.phase()).contains(FailoverPhase.CLEANUP);
                        assertThat(r.newMaster()).isPresent();
                    });
        }
    }

    private static boolean unreadable(ListAppender<ILoggingEvent> log) {
        return log.list.stream()
                .anyMatch(e -> e.getFormattedMessage().contains("the managers' shared state cannot be read"));
    }

    private List<String> statusOf(String host) {
        return StatusCheck.of("app1", dir.resolve(host), Duration.ofSeconds(1), Optional.empty(), Instant.now())
                .lines();
    }

    /**
     * The ensemble loses its quorum: the leader loses the lead (Curator suspends the connection at
     * once), goes on monitoring, and a master killed meanwhile is not failed over by anyone; the
     * manager says so in its log, its events and check_status.
     */
    @Test
    void aLeaderCutOffFromZooKeeperStopsActingAndFailsNothingOver() throws Exception {
        List<ManagerEvent> a = new CopyOnWriteArrayList<>();
        ListAppender<ILoggingEvent> supervisor = new ListAppender<>();
        supervisor.start();
        // the manager's decisions: its loop, and its rules as one of several
        Logger log = (Logger) LoggerFactory.getLogger("io.mha4j.manager");
        log.addAppender(supervisor);
        List<InstanceSpec> stopped = new ArrayList<>();
        try (SandboxCluster cluster = SandboxCluster.builder().nodes(3).start();
                MhaManager only = manager(cluster, "host-a", a)) {
            only.start();
            only.awaitMonitoring(WAIT);
            // it monitors as soon as it checked: wait until it monitors as the leader
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(statusOf("host-a"))
                            .anySatisfy(line -> assertThat(line).contains("is running(0:PING_OK)"))
                            .anySatisfy(line -> assertThat(line).startsWith("app1: this manager leads")));
            long started = count(a, ManagerEvent.MonitoringStarted.class);

            for (InstanceSpec server : List.copyOf(zookeeper.getInstances()).subList(0, 2)) {
                zookeeper.killServer(server);
                stopped.add(server);
            }
            LoggerFactory.getLogger(ManagerLeadershipIT.class)
                    .info("ZooKeeper's quorum is gone (2 of 3 servers killed)");
            await().atMost(WAIT)
                    .until(() -> supervisor.list.stream()
                            .anyMatch(e -> e.getFormattedMessage().startsWith("Lost the lead of app1")));
            await().atMost(WAIT).until(() -> count(a, ManagerEvent.MonitoringStarted.class) == started + 1);

            cluster.node(1).kill();
            // Said one of two ways: cut off (the connection is known lost), or the shared state unreadable (the
            // last server accepted the session a moment before it noticed its quorum was gone, and the read
            // failed midway). Either way, an error in the log and a line in check_status; nothing failed over.
            await().atMost(WAIT)
                    .until(() -> count(a, ManagerEvent.FailoverWithheld.class) >= 1 || unreadable(supervisor));
            if (count(a, ManagerEvent.FailoverWithheld.class) >= 1) {
                assertThat(a.stream()
                                .filter(ManagerEvent.FailoverWithheld.class::isInstance)
                                .map(e -> ((ManagerEvent.FailoverWithheld) e))
                                .findFirst()
                                .orElseThrow())
                        .satisfies(w -> {
                            assertThat(w.reason()).isEqualTo(ManagerEvent.FailoverWithheld.Reason.CUT_OFF);
                            assertThat(w.why()).contains("monitoring and alerting go on");
                        });
                assertThat(supervisor.list)
                        .anySatisfy(e -> assertThat(e.getFormattedMessage())
                                .startsWith("Master ")
                                .contains("NOT failed over: this manager is cut off"));
            }
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(statusOf("host-a"))
                            .anySatisfy(line -> assertThat(line)
                                    .satisfiesAnyOf(
                                            l -> assertThat(l)
                                                    .startsWith("app1: cut off from the other managers: master ")
                                                    .contains("not failed over"),
                                            l -> assertThat(l)
                                                    .startsWith("app1: shared state unreadable")
                                                    .contains("nothing is failed over"))));
            // The verdict comes again with each monitoring round: none may act on it.
            await().during(Duration.ofSeconds(5))
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> count(a, ManagerEvent.FailoverStarted.class) == 0);
        } finally {
            log.detachAppender(supervisor);
            for (InstanceSpec server : stopped) {
                zookeeper.restartServer(server);
            }
        }
        assertThat(Files.exists(dir.resolve("host-a/app1.failover.complete"))).isFalse();
    }
}
