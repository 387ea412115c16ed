package io.mha4j.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.ClusterMonitor;
import io.mha4j.SandboxConfigs;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.MasterFailover;
import io.mha4j.monitor.MonitorListener;
import io.mha4j.monitor.ReplicaView;
import io.mha4j.monitor.Verdict;
import io.mha4j.monitor.VerdictKind;
import io.mha4j.testkit.CutMode;
import io.mha4j.testkit.OpenSshServer;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.TcpProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's partition, on real servers and a real sshd: the manager reaches the master's SQL
 * and SSH ports only through proxies that are then black-holed (packets dropped: connections
 * hang, nothing is refused), while the replicas still replicate from it directly. The cluster is
 * idle. With the servers' default heartbeat period (30 s) the replicas' silence proves nothing
 * and the master must never be declared dead; with a short one they prove it alive. And the
 * opposite: a master cut off from the replicas too is proven silent by their heartbeats and
 * failed over (nothing reaches it: gone for everyone mha4j can see).
 */
class ManagerCutOffIT {
    private static final Duration PING = Duration.ofSeconds(1);
    private static final int LIMIT = 4;
    private static final Duration WINDOW = PING.multipliedBy(LIMIT);

    @TempDir
    Path workdir;

    private SandboxCluster cluster;
    private OpenSshServer sshd;
    private TcpProxy sql;
    private TcpProxy ssh;
    private ClusterMonitor monitor;
    private final List<Verdict> verdicts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        cluster = SandboxCluster.builder().nodes(3).start();
        sshd = OpenSshServer.builder().start();
        sql = cluster.proxyTo(cluster.node(1));
        ssh = new TcpProxy(sshd.host(), sshd.port());
    }

    @AfterEach
    void stop() {
        if (cluster.node(1).isRunning()) {
            cluster.node(1).kill();
        }
        if (monitor != null) {
            monitor.close();
        }
        ssh.close();
        sshd.close();
        cluster.close();
    }

    /** The master through both proxies; the replicas direct. Host keys are not checked: the proxy's port differs. */
    private ApplicationConfig config() {
        return SandboxConfigs.overSsh(
                        SandboxConfigs.builder(cluster, workdir.resolve("manager"), (n, s) -> {
                            s.masterBinlogDirs(List.of(n.dataDir().toString()));
                            if (n.index() == 1) {
                                s.hostname("127.0.0.1").port(sql.port()).sshPort(ssh.port());
                            }
                        }),
                        sshd)
                .set(Parameter.SSH_HOST_KEY_CHECKING, "off")
                .set(Parameter.SSH_CONNECTION_TIMEOUT, 1)
                .set(Parameter.SQL_CONNECT_TIMEOUT, Duration.ofSeconds(1))
                .set(Parameter.PING_FAILURE_LIMIT, LIMIT)
                .set(Parameter.REMOTE_WORKDIR, workdir.toString())
                .build();
    }

    private void monitor() {
        ApplicationConfig config = config();
        monitor = ClusterMonitor.builder(config, config.servers().get(0))
                .pingInterval(PING)
                .listener(new MonitorListener() {
                    @Override
                    public void onVerdict(Verdict v) {
                        verdicts.add(v);
                    }
                })
                .build();
        monitor.start();
        await("first ping")
                .atMost(Duration.ofSeconds(30))
                .until(() -> monitor.currentVerdict().reason().contains("succeeded"));
    }

    private void heartbeatsEvery(String seconds) {
        for (SandboxNode replica : List.of(cluster.node(2), cluster.node(3))) {
            replica.execute("STOP SLAVE", "CHANGE MASTER TO MASTER_HEARTBEAT_PERIOD=" + seconds, "START SLAVE");
        }
        await("replicas connected again")
                .atMost(Duration.ofSeconds(30))
                .until(() -> List.of(cluster.node(2), cluster.node(3)).stream()
                        .allMatch(r -> r.replicaStatus()
                                .map(s -> "Yes".equals(s.get("Slave_IO_Running")))
                                .orElse(false)));
    }

    @Test
    void aMasterCutOffFromEveryoneIsDeadOnceTheReplicasHeartbeatsAreOverdueButFailedOverOnlyIfFencedOrAllowed()
            throws Exception {
        // The replicas too reach the master only through a proxy, which is cut with the others:
        // no TCP reset anywhere, as for a powered-off host or an isolated network.
        TcpProxy replication = cluster.proxyTo(cluster.node(1));
        for (SandboxNode replica : List.of(cluster.node(2), cluster.node(3))) {
            replica.execute(
                    "STOP SLAVE",
                    "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + replication.port()
                            + ", MASTER_HEARTBEAT_PERIOD=1",
                    "START SLAVE");
        }
        heartbeatsEvery("1");
        monitor();
        long cutAt = System.nanoTime();
        cut();
        replication.cut(CutMode.BLACKHOLE);

        Verdict dead = monitor.failoverVerdict().get(60, TimeUnit.SECONDS);
        long deadMs = (System.nanoTime() - cutAt) / 1_000_000;
        assertThat(dead.kind()).isEqualTo(VerdictKind.DEAD);
        assertThat(dead.reason()).contains("no replica hears the master").contains("neither SQL nor SSH answers");
        assertThat(dead.evidence().replicas()).allMatch(ReplicaView::heartbeatsOverdue);

        // Powered off or alive behind a partition: they look alike, so not without a fence.
        ApplicationConfig config = config();
        FailoverReport refused =
                MasterFailover.builder(config).build().run(config.servers().get(0));
        assertThat(refused.outcome()).as(refused.toText()).isEqualTo(FailoverReport.Outcome.REFUSED);
        assertThat(String.join(" ", refused.errors()))
                .contains("unreachable from every vantage point")
                .contains("shutdown_script")
                .contains("failover_without_fence=1")
                .contains("IO threads restarted on");
        assertThat(cluster.node(2).isReadOnly()).isTrue();
        assertThat(cluster.node(3).isReadOnly()).isTrue();

        ApplicationConfig unfenced =
                config.toBuilder().set(Parameter.FAILOVER_WITHOUT_FENCE, true).build();
        FailoverReport report = MasterFailover.builder(unfenced)
                .ignoreLastFailover(true)
                .build()
                .run(unfenced.servers().get(0));
        long promotedMs = (System.nanoTime() - cutAt) / 1_000_000;
        System.out.printf(
                "master cut off from everyone, heartbeats every 1 s: DEAD %d ms after the cut (%s);"
                        + " with failover_without_fence=1 %s, done %d ms after the cut; phases %s%n",
                deadMs, dead.reason(), report.outcome(), promotedMs, report.phases());
        // Promoted, but nobody could read the cut-off master's binary logs: PARTIAL, and the report says so.
        assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.PARTIAL);
        assertThat(report.newMaster()).isPresent();
        assertThat(report.possibleLoss()).as(report.toText()).isPresent();
        cluster.node(1).kill();
    }

    private void cut() {
        sql.cut(CutMode.BLACKHOLE);
        ssh.cut(CutMode.BLACKHOLE);
    }

    @Test
    void anIdleMasterCutOffFromTheManagerIsNeverDeclaredDeadWithTheDefaultHeartbeatPeriod() {
        monitor();
        cut();

        await("judged at least once")
                .atMost(Duration.ofSeconds(30))
                .until(() -> monitor.currentVerdict().failedPings() >= LIMIT);
        // Three more detection windows: the master must stay undecided (or proven alive by a heartbeat).
        await("no death for three windows")
                .during(WINDOW.multipliedBy(3))
                .atMost(WINDOW.multipliedBy(4))
                .until(() -> monitor.currentVerdict().kind() != VerdictKind.DEAD
                        && !monitor.failoverVerdict().isDone());

        Verdict v = monitor.currentVerdict();
        System.out.printf("manager cut off (SQL + SSH black-holed), default heartbeats: %s%n", v);
        assertThat(v.failedPings()).as("judged again and again").isGreaterThanOrEqualTo(LIMIT + 3);
        assertThat(v.kind()).isIn(VerdictKind.FAILING, VerdictKind.UNREACHABLE_BUT_REPLICATING);
        assertThat(v.evidence().sshReachable()).as("SSH was cut too").contains(false);
        assertThat(v.evidence().replicas())
                .hasSize(2)
                .allMatch(ReplicaView::connected)
                .noneMatch(ReplicaView::heartbeatsOverdue);
        assertThat(verdicts).extracting(Verdict::kind).doesNotContain(VerdictKind.DEAD);

        sql.restore();
        ssh.restore();
        await("alive again")
                .atMost(Duration.ofSeconds(30))
                .until(() -> monitor.currentVerdict().kind() == VerdictKind.ALIVE);
    }

    @Test
    void withAShortHeartbeatPeriodTheReplicasProveTheCutOffMasterAlive() {
        heartbeatsEvery("0.5");
        monitor();
        cut();

        await("unreachable verdict")
                .atMost(Duration.ofSeconds(30))
                .until(() -> monitor.currentVerdict().kind() == VerdictKind.UNREACHABLE_BUT_REPLICATING);
        await("stays so for two windows")
                .during(WINDOW.multipliedBy(2))
                .atMost(WINDOW.multipliedBy(3))
                .until(() -> monitor.currentVerdict().kind() == VerdictKind.UNREACHABLE_BUT_REPLICATING);

        Verdict v = monitor.currentVerdict();
        System.out.printf("manager cut off, heartbeats every 0.5 s: %s%n", v);
        assertThat(v.evidence().sshReachable()).contains(false);
        assertThat(v.evidence().replicas()).allMatch(ReplicaView::replicating);
        assertThat(verdicts).extracting(Verdict::kind).doesNotContain(VerdictKind.DEAD);
    }
}
