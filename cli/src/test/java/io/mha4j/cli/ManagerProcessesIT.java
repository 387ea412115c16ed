package io.mha4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.config.MhaConfigReader;
import io.mha4j.coordination.Coordination;
import io.mha4j.coordination.FailoverRecord;
import io.mha4j.manager.StatusCheck;
import io.mha4j.testkit.CutMode;
import io.mha4j.testkit.LedgerReport;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.TcpProxy;
import io.mha4j.testkit.WriteLedger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two managers of one application as two separate processes ({@code mha4j manager}, each with its
 * own file and working directory, as on two hosts), a real ZooKeeper ensemble (three servers
 * in-process) and a real sandbox; the leader is killed with SIGKILL — no goodbye, its session
 * expires — while idle, and in the middle of a failover.
 */
class ManagerProcessesIT {
    private static final Logger log = LoggerFactory.getLogger(ManagerProcessesIT.class);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static TestingCluster zookeeper;

    /** Kept when a test fails: the managers' logs say why. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final List<Process> managers = new ArrayList<>();

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zookeeper = new TestingCluster(3);
        zookeeper.start();
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        zookeeper.close();
    }

    @AfterEach
    void killManagers() {
        managers.forEach(Process::destroyForcibly);
    }

    /** {@code <dir>/<host>/app1.cnf}: the application, coordinated on the ensemble, under a root of this test's own. */
    private Path conf(SandboxCluster cluster, String host, String root, String extra) throws IOException {
        Path workdir = dir.resolve(host);
        return cluster.writeApplicationFile(
                workdir.resolve("app1.cnf"),
                "manager_workdir=" + workdir,
                "manager_log=" + workdir.resolve("manager.log"),
                "ping_interval=1",
                "remote_shell=local",
                "coordination=zookeeper",
                "zookeeper_connect=" + zookeeper.getConnectString(),
                "zookeeper_root=" + root,
                "zookeeper_session_timeout=4",
                extra);
    }

    /** {@code mha4j manager --conf=…} in a JVM of its own, on this test's class path. */
    private Process manager(Path conf) throws IOException {
        Process p =
                CommandRun.started(conf.resolveSibling("manager.out"), "manager", "--conf=" + conf, "--skip_ssh_check");
        managers.add(p);
        return p;
    }

    private static List<String> status(Path conf) {
        return StatusCheck.of("app1", conf.getParent(), Duration.ofSeconds(1), Optional.empty(), Instant.now())
                .lines();
    }

    private static Optional<FailoverRecord> record(Path conf) {
        // never started: a reader takes no part in the election
        try (Coordination reader = Coordination.of(MhaConfigReader.forFile(conf).read())) {
            return reader.lastFailover();
        }
    }

    private static String writable(SandboxCluster cluster) {
        return cluster.nodes().stream()
                .filter(SandboxNode::isRunning)
                .filter(n ->
                        n.query("SELECT @@read_only AS ro").get(0).get("ro").equals("0"))
                .map(n -> "server" + n.index())
                .reduce((a, b) -> a + "," + b)
                .orElse("none");
    }

    /** Starts the first manager, waits until it leads, then the second, until it stands by and monitors. */
    private Process[] leaderThenStandby(Path a, Path b) throws IOException {
        Process first = manager(a);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(status(a))
                        .anySatisfy(line -> assertThat(line).contains("is running(0:PING_OK)"))
                        .anySatisfy(line -> assertThat(line).startsWith("app1: this manager leads")));
        Process second = manager(b);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(status(b))
                        .anySatisfy(line -> assertThat(line).contains("is running(0:PING_OK)"))
                        .anySatisfy(line -> assertThat(line).startsWith("app1: this manager stands by")));
        return new Process[] {first, second};
    }

    @Test
    void theLeaderKilledTheOtherLeadsAndFailsTheMasterOverOnce() throws Exception {
        try (SandboxCluster cluster = SandboxCluster.builder().nodes(3).start()) {
            Path a = conf(cluster, "host-a", "/idle", "");
            Path b = conf(cluster, "host-b", "/idle", "");
            Process[] both = leaderThenStandby(a, b);

            long killed = System.nanoTime();
            both[0].destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            // Within the session timeout (4 s, as the ensemble granted it) plus one ping (1 s) and the check the
            // new leader runs before it monitors (a second or so on loopback).
            await().atMost(Duration.ofSeconds(4 + 1 + 3))
                    .untilAsserted(() -> assertThat(status(b))
                            .anySatisfy(line -> assertThat(line).startsWith("app1: this manager leads")));
            log.warn(
                    "the standby leads and monitors {} ms after the leader's SIGKILL (zookeeper_session_timeout=4)",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));

            cluster.node(1).kill();
            await().atMost(WAIT)
                    .until(() -> record(b).map(FailoverRecord::state).orElse(null) == FailoverRecord.State.SUCCEEDED);
            FailoverRecord done = record(b).orElseThrow();
            assertThat(done.manager()).as("the second manager failed over").startsWith(both[1].pid() + "@");
            assertThat(done.epoch()).isEqualTo(1);
            assertThat(writable(cluster)).isEqualTo(done.newMaster().orElseThrow());
            assertThat(Files.exists(dir.resolve("host-b/app1.failover.complete")))
                    .isTrue();
            assertThat(Files.exists(dir.resolve("host-a/app1.failover.complete")))
                    .isFalse();
            assertThat(Files.exists(dir.resolve("host-b/app1.failover_report.json")))
                    .as("one report")
                    .isTrue();
            assertThat(Files.exists(dir.resolve("host-a/app1.failover_report.json")))
                    .isFalse();
        }
    }

    /**
     * The leader is cut off from ZooKeeper by a partition (its connections to the ensemble pass
     * through proxies that stop passing bytes) while the other manager still reaches it: the leader
     * stops acting within the session timeout, the other leads, and a master killed then is failed
     * over by the other alone; the cut-off one says it fails nothing over.
     */
    @Test
    void aLeaderCutOffFromZooKeeperStopsActingAndTheOtherFailsOverAlone() throws Exception {
        List<TcpProxy> proxies = zookeeper.getInstances().stream()
                .map(i -> new TcpProxy("127.0.0.1", i.getPort()))
                .toList();
        try (SandboxCluster cluster = SandboxCluster.builder().nodes(3).start()) {
            String viaProxies = String.join(
                    ",", proxies.stream().map(p -> "127.0.0.1:" + p.port()).toList());
            Path a = conf(cluster, "host-a", "/partition", "");
            Files.writeString(
                    a,
                    Files.readString(a)
                            .replace(
                                    "zookeeper_connect=" + zookeeper.getConnectString(),
                                    "zookeeper_connect=" + viaProxies));
            Path b = conf(cluster, "host-b", "/partition", "");
            Process[] both = leaderThenStandby(a, b);

            proxies.forEach(p -> p.cut(CutMode.BLACKHOLE));
            long cut = System.nanoTime();
            await().atMost(Duration.ofSeconds(4 + 2))
                    .untilAsserted(() -> assertThat(status(a))
                            .noneSatisfy(line -> assertThat(line).startsWith("app1: this manager leads")));
            long stopped = System.nanoTime();
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(status(b))
                            .anySatisfy(line -> assertThat(line).startsWith("app1: this manager leads")));
            log.warn(
                    "partitioned leader stopped leading {} ms after the cut, the other leads {} ms after it",
                    TimeUnit.NANOSECONDS.toMillis(stopped - cut),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut));

            cluster.node(1).kill();
            await().atMost(WAIT)
                    .until(() -> record(b).map(FailoverRecord::state).orElse(null) == FailoverRecord.State.SUCCEEDED);
            FailoverRecord done = record(b).orElseThrow();
            assertThat(done.manager()).as("the one failover is the other's").startsWith(both[1].pid() + "@");
            assertThat(done.epoch()).isEqualTo(1);
            assertThat(writable(cluster)).isEqualTo(done.newMaster().orElseThrow());
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(Files.readString(dir.resolve("host-a/manager.log")))
                            .contains("NOT failed over: this manager is cut off from the other managers"));
            assertThat(Files.readString(dir.resolve("host-a/manager.log")))
                    .as("the cut-off manager began no failover")
                    .doesNotContain("Phase 1: Configuration Check Phase");
            assertThat(Files.exists(dir.resolve("host-a/app1.failover.error"))).isFalse();
            assertThat(Files.exists(dir.resolve("host-a/app1.failover.complete")))
                    .isFalse();
            assertThat(Files.exists(dir.resolve("host-b/app1.failover.complete")))
                    .isTrue();
        } finally {
            proxies.forEach(TcpProxy::close);
        }
    }

    /**
     * The leader is killed while its failover waits in phase 2 (its master_ip_failover_script
     * blocks, as a slow fencing script would): the record says RUNNING at phase 2, nothing has
     * changed on the survivors; the other manager leads, finds the master still dead, supersedes the
     * record and fails the master over itself — once.
     */
    @Test
    void aLeaderKilledMidFailoverLeavesARecordTheNextLeaderSupersedesAndFinishes() throws Exception {
        Path block = dir.resolve("block");
        Path stopping = dir.resolve("stopping");
        Path script = dir.resolve("ip_failover");
        Files.writeString(
                script,
                "#!/bin/bash\n"
                        + "# --command=stop|stopssh waits while " + block + " exists (60 s at most): a slow fence\n"
                        + "for a in \"$@\"; do case \"$a\" in --command=*) cmd=\"${a#--command=}\";; esac; done\n"
                        + "if [ \"$cmd\" = stop ] || [ \"$cmd\" = stopssh ]; then\n"
                        + "  if [ -f " + block + " ]; then touch " + stopping + "\n"
                        + "    for i in $(seq 1 600); do [ -f " + block + " ] || break; sleep 0.1; done\n"
                        + "  fi\n"
                        + "fi\n"
                        + "exit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (SandboxCluster cluster = SandboxCluster.builder().nodes(3).start()) {
            String extra = "master_ip_failover_script=" + script;
            Path a = conf(cluster, "host-a", "/midway", extra);
            Path b = conf(cluster, "host-b", "/midway", extra);
            Process[] both = leaderThenStandby(a, b);
            Files.createFile(block);
            WriteLedger ledger = WriteLedger.builder(() -> cluster.node(1).endpoint())
                    .writer("midway")
                    .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                    .build();
            assertThat(ledger.write(10)).isEqualTo(10);
            cluster.awaitReplicasCaughtUp(WAIT);
            // A tail only the master has: the failover that finishes must still recover it from its binary logs.
            cluster.node(2).stopReplicaIoThread();
            cluster.node(3).stopReplicaIoThread();
            assertThat(ledger.write(7)).isEqualTo(7);

            cluster.node(1).kill();
            await().atMost(WAIT).until(() -> Files.exists(stopping));
            both[0].destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            FailoverRecord left = record(b).orElseThrow();
            assertThat(left.state()).isEqualTo(FailoverRecord.State.RUNNING);
            assertThat(left.phase())
                    .hasValueSatisfying(p -> assertThat(p.name()).isEqualTo("ISOLATE"));
            assertThat(left.manager()).startsWith(both[0].pid() + "@");
            Files.delete(block);

            await().atMost(WAIT)
                    .until(() -> record(b).map(FailoverRecord::state).orElse(null) == FailoverRecord.State.SUCCEEDED);
            FailoverRecord done = record(b).orElseThrow();
            assertThat(done.epoch())
                    .as("one more failover, after the superseded one")
                    .isEqualTo(2);
            assertThat(done.manager()).startsWith(both[1].pid() + "@");
            assertThat(writable(cluster))
                    .as("never two masters")
                    .isEqualTo(done.newMaster().orElseThrow());
            LedgerReport verified = ledger.verify(List.of(cluster.node(2), cluster.node(3)));
            assertThat(verified.nothingLostAndAgreed()).as(verified.toString()).isTrue();
            ledger.close();
            try (Stream<String> lines = Files.lines(dir.resolve("host-b/manager.log"))) {
                assertThat(lines.filter(l -> l.contains("unfinished failover #1")))
                        .anySatisfy(l -> assertThat(l).contains("SUPERSEDED"));
            }
        }
    }
}
