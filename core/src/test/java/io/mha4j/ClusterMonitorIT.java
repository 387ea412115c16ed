package io.mha4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.PingType;
import io.mha4j.config.ServerConfig;
import io.mha4j.monitor.MonitorListener;
import io.mha4j.monitor.PingOutcome;
import io.mha4j.monitor.ReplicaView;
import io.mha4j.monitor.Verdict;
import io.mha4j.monitor.VerdictKind;
import io.mha4j.testkit.CutMode;
import io.mha4j.testkit.Endpoint;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.TcpProxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * The monitor against real servers: a killed master is dead, a paused one that comes back is
 * not, and one the manager alone cannot reach is unreachable but not dead. Every test kills or
 * cuts something, so each has a 3-node cluster of its own.
 */
class ClusterMonitorIT {
    private static final Duration PING = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private SandboxCluster cluster;
    private ClusterMonitor monitor;
    private final List<Verdict> verdicts = new CopyOnWriteArrayList<>();
    private final List<PingOutcome> pings = new CopyOnWriteArrayList<>();
    /** {@link System#nanoTime()} of each verdict's arrival, for latencies. */
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    private final MonitorListener recorder = new MonitorListener() {
        @Override
        public void onPing(PingOutcome o) {
            pings.add(o);
        }

        @Override
        public void onVerdict(Verdict v) {
            arrivals.add(System.nanoTime());
            verdicts.add(v);
        }
    };

    @BeforeEach
    void cluster() {
        cluster = SandboxCluster.builder().nodes(3).start();
        logged.start();
        ((Logger) LoggerFactory.getLogger("io.mha4j.internal.monitor")).addAppender(logged);
    }

    @AfterEach
    void close() {
        ((Logger) LoggerFactory.getLogger("io.mha4j.internal.monitor")).detachAppender(logged);
        if (monitor != null) {
            monitor.close();
        }
        cluster.close();
    }

    /** Every node as a server; the master as {@code masterAt} says (the node itself, or a proxy in front of it). */
    private ApplicationConfig config(Endpoint masterAt, Consumer<ApplicationConfig.Builder> settings) {
        ApplicationConfig.Builder b = ApplicationConfig.builder("monitor_it")
                .user(SandboxCredentials.ADMIN.user())
                .password(SandboxCredentials.ADMIN.password())
                .set(Parameter.REMOTE_SHELL, "local")
                .set(Parameter.SQL_CONNECT_TIMEOUT, Duration.ofSeconds(1));
        for (SandboxNode n : cluster.nodes()) {
            Endpoint at = n.index() == 1 ? masterAt : n.endpoint();
            b.server("server" + n.index(), s -> s.hostname(at.host()).port(at.port()));
        }
        settings.accept(b);
        return b.build();
    }

    private ClusterMonitor monitor(ApplicationConfig config) {
        ServerConfig master = config.servers().get(0);
        monitor = ClusterMonitor.builder(config, master)
                .pingInterval(PING)
                .listener(recorder)
                .build();
        monitor.start();
        await("first ping")
                .atMost(WAIT)
                .until(() -> monitor.currentVerdict().failedPings() == 0
                        && !pings.isEmpty()
                        && pings.get(0).ok());
        return monitor;
    }

    private Verdict awaitFailoverVerdict() throws Exception {
        return monitor.failoverVerdict().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private void heartbeatsEvery(String period) {
        for (SandboxNode replica : List.of(cluster.node(2), cluster.node(3))) {
            replica.execute("STOP SLAVE", "CHANGE MASTER TO MASTER_HEARTBEAT_PERIOD=" + period, "START SLAVE");
        }
        await("replicas replicating again")
                .atMost(WAIT)
                .until(() -> List.of(cluster.node(2), cluster.node(3)).stream()
                        .allMatch(r -> r.replicaStatus()
                                .map(s -> "Yes".equals(s.get("Slave_IO_Running")))
                                .orElse(false)));
    }

    @ParameterizedTest
    @EnumSource(PingType.class)
    void aKilledMasterIsDeadAtTheNextPingWithTheFastPath(PingType type) throws Exception {
        monitor(config(cluster.node(1).endpoint(), b -> b.pingType(type)));
        long killed = System.nanoTime();
        cluster.node(1).kill();

        Verdict dead = awaitFailoverVerdict();

        long latencyMs = (arrivals.get(arrivals.size() - 1) - killed) / 1_000_000;
        PingOutcome failed = pings.get(pings.size() - 1);
        System.out.printf(
                "ping_type=%s fast path: kill -9 -> DEAD in %d ms (ping interval %d ms); the failed ping"
                        + " took %d ms, its start -> DEAD %d ms: %s%n",
                type,
                latencyMs,
                PING.toMillis(),
                failed.took().toMillis(),
                Duration.between(failed.at(), dead.at()).toMillis(),
                dead.reason());
        assertThat(dead.kind()).isEqualTo(VerdictKind.DEAD);
        assertThat(dead.failedPings())
                .as("a replica may not have noticed at the very first ping")
                .isLessThan(4);
        assertThat(dead.reason()).contains("fast_failure_detection=1");
        assertThat(dead.evidence().lastFailure()).contains(io.mha4j.server.SqlFailure.Kind.CONNECTION_REFUSED);
        assertThat(dead.evidence().replicas()).hasSize(2).noneMatch(ReplicaView::connected);
    }

    @Test
    void aKilledMasterIsDeadAtTheFirstRefusedPingThoughAReplicaIsFrozen() throws Exception {
        monitor(config(cluster.node(1).endpoint(), b -> {}));
        SandboxNode frozen = cluster.node(2);
        frozen.pause();
        try {
            long killed = System.nanoTime();
            cluster.node(1).kill();

            Verdict dead = awaitFailoverVerdict();

            long latencyMs = (arrivals.get(arrivals.size() - 1) - killed) / 1_000_000;
            System.out.printf(
                    "kill -9 with %s SIGSTOPped -> DEAD in %d ms after %d failed ping(s): %s%n",
                    frozen.name(), latencyMs, dead.failedPings(), dead.reason());
            assertThat(dead.kind()).isEqualTo(VerdictKind.DEAD);
            assertThat(dead.reason()).contains("fast_failure_detection=1");
            // The replica still up may not have noticed the kill at the very first ping, if it came
            // within milliseconds of it; the next one (1 s later) sees it.
            assertThat(dead.failedPings()).isLessThanOrEqualTo(2);
            assertThat(dead.evidence().replicas())
                    .filteredOn(v -> v.server().contains(":" + frozen.port()))
                    .singleElement()
                    .satisfies(v -> assertThat(v.readable()).isFalse());
            assertThat(latencyMs)
                    .as("at most two pings and a replica_read_timeout each")
                    .isLessThan(3_500);
        } finally {
            frozen.resume();
        }
    }

    @Test
    void withoutTheFastPathAKilledMasterIsDeadAtTheFourthFailedPing() throws Exception {
        monitor(config(cluster.node(1).endpoint(), b -> b.set(Parameter.FAST_FAILURE_DETECTION, false)));
        long killed = System.nanoTime();
        cluster.node(1).kill();

        Verdict dead = awaitFailoverVerdict();

        long latencyMs = (arrivals.get(arrivals.size() - 1) - killed) / 1_000_000;
        System.out.printf(
                "fast path off: kill -9 -> DEAD in %d ms (ping interval %d ms, 4 failed pings): %s%n",
                latencyMs, PING.toMillis(), dead.reason());
        assertThat(dead.kind()).isEqualTo(VerdictKind.DEAD);
        assertThat(dead.failedPings()).isEqualTo(4);
        assertThat(verdicts)
                .extracting(Verdict::kind)
                .containsSequence(VerdictKind.FAILING, VerdictKind.FAILING, VerdictKind.FAILING, VerdictKind.DEAD);
    }

    @Test
    void aMasterPausedForLessThanTheLimitIsAliveAgainWhenItResumes() {
        monitor(config(cluster.node(1).endpoint(), b -> {}));
        cluster.node(1).pause();
        try {
            await("a failed ping")
                    .atMost(WAIT)
                    .until(() -> monitor.currentVerdict().kind() == VerdictKind.FAILING);
        } finally {
            cluster.node(1).resume();
        }
        await("alive again").atMost(WAIT).until(() -> monitor.currentVerdict().kind() == VerdictKind.ALIVE);
        assertThat(verdicts).extracting(Verdict::kind).doesNotContain(VerdictKind.DEAD);
        assertThat(monitor.failoverVerdict()).isNotDone();
    }

    @ParameterizedTest
    @EnumSource(CutMode.class)
    void aMasterOnlyTheManagerCannotReachIsUnreachableNotDead(CutMode cut) {
        heartbeatsEvery("0.2");
        TcpProxy proxy = cluster.proxyTo(cluster.node(1));
        monitor(config(proxy.endpoint(), b -> {}));
        proxy.cut(cut);

        await("unreachable verdict")
                .atMost(WAIT)
                .until(() -> monitor.currentVerdict().kind() == VerdictKind.UNREACHABLE_BUT_REPLICATING);

        Verdict v = monitor.currentVerdict();
        System.out.printf("proxy cut (%s): %s%n", cut, v);
        assertThat(v.failedPings()).isGreaterThanOrEqualTo(4);
        assertThat(v.evidence().replicas()).anyMatch(ReplicaView::replicating);
        assertThat(monitor.failoverVerdict()).isNotDone();
        assertThat(logged.list)
                .anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
                        && e.getFormattedMessage().contains("UNREACHABLE BUT ALIVE"));

        proxy.restore();
        await("alive again").atMost(WAIT).until(() -> monitor.currentVerdict().kind() == VerdictKind.ALIVE);
        assertThat(verdicts).extracting(Verdict::kind).doesNotContain(VerdictKind.DEAD);
    }
}
