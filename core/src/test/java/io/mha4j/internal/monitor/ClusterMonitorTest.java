package io.mha4j.internal.monitor;

import static io.mha4j.internal.monitor.FakeProbes.Replica.CONNECTED_ADVANCING;
import static io.mha4j.internal.monitor.FakeProbes.Replica.CONNECTED_SILENT;
import static io.mha4j.internal.monitor.FakeProbes.Replica.CONNECTING;
import static io.mha4j.internal.monitor.FakeProbes.Replica.FROZEN;
import static io.mha4j.internal.monitor.FakeProbes.Replica.NOT_A_REPLICA;
import static io.mha4j.internal.monitor.FakeProbes.Replica.STOPPED;
import static io.mha4j.internal.monitor.FakeProbes.Replica.UNREADABLE;
import static io.mha4j.monitor.VerdictKind.ALIVE;
import static io.mha4j.monitor.VerdictKind.DEAD;
import static io.mha4j.monitor.VerdictKind.FAILING;
import static io.mha4j.monitor.VerdictKind.UNREACHABLE_BUT_REPLICATING;
import static io.mha4j.server.SqlFailure.Kind.CONNECTION_REFUSED;
import static io.mha4j.server.SqlFailure.Kind.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.mha4j.ClusterMonitor;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.monitor.FailoverTrigger;
import io.mha4j.monitor.MonitorListener;
import io.mha4j.monitor.PingOutcome;
import io.mha4j.monitor.ReplicaView;
import io.mha4j.monitor.Verdict;
import io.mha4j.time.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The monitor's loop on virtual time with fake probes: every scenario runs in milliseconds. */
class ClusterMonitorTest {
    private static final Instant T0 = ManualScheduler.EPOCH;

    private final ManualScheduler time = new ManualScheduler();
    private final FakeProbes probes = new FakeProbes(time.clock());
    private final RecordingListener recorded = new RecordingListener();
    private ClusterMonitor monitor;

    static ApplicationConfig config(Consumer<ApplicationConfig.Builder> settings) {
        ApplicationConfig.Builder b = ApplicationConfig.builder("app1")
                .pingInterval(3)
                .server("server1", s -> s.hostname("10.0.0.51"))
                .server("server2", s -> s.hostname("10.0.0.52"))
                .server("server3", s -> s.hostname("10.0.0.53"));
        settings.accept(b);
        return b.build();
    }

    static final ApplicationConfig CONFIG = config(b -> {});
    static final ServerConfig MASTER = CONFIG.servers().get(0);
    static final ServerConfig REPLICA2 = CONFIG.servers().get(1);
    static final ServerConfig REPLICA3 = CONFIG.servers().get(2);

    private ClusterMonitor start(ApplicationConfig config, Consumer<ClusterMonitor.Builder> options) {
        ClusterMonitor.Builder b = ClusterMonitor.builder(
                        config, config.servers().get(0))
                .scheduler(time)
                .probes(probes)
                .listener(recorded);
        options.accept(b);
        monitor = b.build();
        monitor.start();
        return monitor;
    }

    private ClusterMonitor start() {
        return start(CONFIG, b -> {});
    }

    private static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }

    @AfterEach
    void close() {
        if (monitor != null) {
            monitor.close();
        }
    }

    @Test
    void fourMissedPingsAt3SAreDeathAt9S() {
        probes.failing(TIMEOUT).replica(REPLICA2, CONNECTING).replica(REPLICA3, STOPPED);
        start();
        time.advance(seconds(8));
        assertThat(monitor.currentVerdict().kind()).isEqualTo(FAILING);
        assertThat(monitor.failoverVerdict()).isNotDone();

        time.advance(seconds(1));

        Verdict dead = monitor.failoverVerdict().getNow(null);
        assertThat(dead.kind()).isEqualTo(DEAD);
        assertThat(dead.at()).isEqualTo(T0.plusSeconds(9));
        assertThat(dead.failedPings()).isEqualTo(4);
        assertThat(dead.master()).isEqualTo("10.0.0.51(10.0.0.51:3306)");
        assertThat(dead.reason()).contains("no replica hears the master");
        assertThat(dead.evidence().lastFailure()).contains(TIMEOUT);
        assertThat(dead.evidence().sshReachable()).contains(true);
        assertThat(dead.evidence().replicas())
                .extracting(v -> v.io().orElseThrow().name())
                .containsExactly("CONNECTING", "STOPPED");
        assertThat(recorded.verdicts)
                .extracting(Verdict::kind, Verdict::failedPings)
                .containsExactly(tuple(FAILING, 1), tuple(FAILING, 2), tuple(FAILING, 3), tuple(DEAD, 4));
        assertThat(recorded.pings)
                .extracting(PingOutcome::at)
                .containsExactly(T0, T0.plusSeconds(3), T0.plusSeconds(6), T0.plusSeconds(9));
        assertThat(time.pending())
                .as("monitoring stops at the failover verdict")
                .isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {1040, 1042, 1043, 1044, 1045, 1129, 1130, 1203, 1226, 1251, 1275})
    void aliveButRefusingErrorsNeverCount(int errorCode) {
        probes.refusingWith(errorCode);
        start();
        time.advance(seconds(60));
        assertThat(recorded.pings).hasSize(21).allMatch(PingOutcome::aliveButRefusing);
        assertThat(recorded.verdicts).isEmpty();
        assertThat(monitor.currentVerdict().kind()).isEqualTo(ALIVE);
    }

    @Test
    void aliveButRefusingErrorsNeitherCountNorResetTheCountAsInMha() {
        probes.failing(TIMEOUT);
        start();
        time.advance(seconds(3));
        probes.refusingWith(1040);
        time.advance(seconds(9));
        assertThat(monitor.currentVerdict().failedPings()).isEqualTo(2);
        probes.failing(TIMEOUT);
        time.advance(seconds(6));
        assertThat(monitor.failoverVerdict()).isCompletedWithValueMatching(v -> v.failedPings() == 4);
    }

    @Test
    void aSuccessfulPingResetsTheCountAndTheVerdict() {
        probes.failing(TIMEOUT);
        start();
        time.advance(seconds(6));
        probes.alive();
        time.advance(seconds(3));
        assertThat(monitor.currentVerdict())
                .extracting(Verdict::kind, Verdict::failedPings)
                .containsExactly(ALIVE, 0);
        probes.failing(TIMEOUT);
        time.advance(seconds(9));
        assertThat(monitor.failoverVerdict()).isNotDone();
        assertThat(monitor.currentVerdict().failedPings()).isEqualTo(3);
        time.advance(seconds(3));
        assertThat(monitor.failoverVerdict()).isCompletedWithValueMatching(v -> v.at().equals(T0.plusSeconds(21)));
        assertThat(recorded.kinds()).containsExactly(FAILING, FAILING, FAILING, ALIVE, FAILING, FAILING, FAILING, DEAD);
    }

    @Test
    void theFastPathDeclaresDeathAtTheFirstRefusedPingThatEveryReplicaConfirms() {
        probes.failing(CONNECTION_REFUSED).replica(REPLICA2, CONNECTING).replica(REPLICA3, STOPPED);
        start();
        time.advance(Duration.ZERO);
        Verdict dead = monitor.failoverVerdict().getNow(null);
        assertThat(dead)
                .extracting(Verdict::kind, Verdict::failedPings, Verdict::at)
                .containsExactly(DEAD, 1, T0);
        assertThat(dead.reason()).contains("fast_failure_detection=1");
    }

    @Test
    void withoutTheFastPathARefusedMasterIsDeadAtTheFourthFailedPing() {
        probes.failing(CONNECTION_REFUSED).replica(REPLICA2, CONNECTING).replica(REPLICA3, CONNECTING);
        start(config(b -> b.set(Parameter.FAST_FAILURE_DETECTION, false)), b -> {});
        time.advance(seconds(8));
        assertThat(monitor.failoverVerdict()).isNotDone();
        time.advance(seconds(1));
        assertThat(monitor.failoverVerdict())
                .isCompletedWithValueMatching(v -> v.kind() == DEAD && v.failedPings() == 4);
    }

    @Test
    void theFastPathDoesNotWaitForAReplicaThatDoesNotAnswer() {
        probes.failing(CONNECTION_REFUSED).replica(REPLICA2, CONNECTING).replica(REPLICA3, UNREADABLE);
        start();
        time.advance(Duration.ZERO);
        Verdict dead = monitor.failoverVerdict().getNow(null);
        assertThat(dead).extracting(Verdict::kind, Verdict::at).containsExactly(DEAD, T0);
        assertThat(dead.evidence().replicas().get(1).readable()).isFalse();
    }

    @Test
    void theFastPathWaitsForAFrozenReplicaOnlyReplicaReadTimeout() {
        probes.failing(CONNECTION_REFUSED).replica(REPLICA2, CONNECTING).replica(REPLICA3, FROZEN);
        start(config(b -> b.set(Parameter.REPLICA_READ_TIMEOUT, Duration.ofMillis(300))), b -> {});
        long started = System.nanoTime();
        time.advance(Duration.ZERO);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        Verdict dead = monitor.failoverVerdict().getNow(null);
        assertThat(dead).extracting(Verdict::kind, Verdict::failedPings).containsExactly(DEAD, 1);
        assertThat(dead.evidence().replicas().get(1).detail()).contains("no answer in time");
        // It waited for the frozen replica (the wait is real time), but not the ping interval (3 s) it used to.
        assertThat(tookMs).isBetween(300L, 2_500L);
    }

    @Test
    void theFastPathNeedsOneReplicaThatAnswered() {
        probes.failing(CONNECTION_REFUSED).replica(REPLICA2, UNREADABLE).replica(REPLICA3, UNREADABLE);
        start();
        time.advance(seconds(8));
        assertThat(monitor.currentVerdict().kind()).isEqualTo(FAILING);
        time.advance(seconds(1));
        assertThat(monitor.failoverVerdict())
                .isCompletedWithValueMatching(v -> v.kind() == DEAD && v.failedPings() == 4);
    }

    @Test
    void theFastPathNeedsReplicas() {
        probes.failing(CONNECTION_REFUSED);
        start(CONFIG, b -> b.replicas(java.util.List.of()));
        time.advance(seconds(8));
        assertThat(monitor.failoverVerdict()).isNotDone();
        time.advance(seconds(1));
        assertThat(monitor.failoverVerdict())
                .isCompletedWithValueMatching(v -> v.reason().contains("no replica to ask"));
    }

    @Test
    void aRefusedMasterIsDeadThoughAReplicaStillShowsASilentConnection() {
        probes.failing(CONNECTION_REFUSED).replica(REPLICA2, CONNECTED_SILENT).replica(REPLICA3, CONNECTING);
        start();
        time.advance(seconds(8));
        assertThat(monitor.currentVerdict().kind())
                .as("no fast path while a replica is connected")
                .isEqualTo(FAILING);
        time.advance(seconds(1));
        assertThat(monitor.failoverVerdict())
                .isCompletedWithValueMatching(
                        v -> v.kind() == DEAD && v.reason().contains("the connection is refused"));
    }

    @Test
    void aTimingOutMasterWaitsWhileReplicasStillShowAConnection() {
        probes.failing(TIMEOUT).replica(REPLICA2, CONNECTED_SILENT).replica(REPLICA3, CONNECTING);
        start();
        time.advance(seconds(12));
        assertThat(monitor.currentVerdict().kind()).isEqualTo(FAILING);
        assertThat(monitor.currentVerdict().reason())
                .startsWith("replicas still connected to the master, receiving"
                        + " nothing, with heartbeats too slow to tell an idle master from a silent one");
        probes.replica(REPLICA2, CONNECTING);
        time.advance(seconds(3));
        assertThat(monitor.failoverVerdict())
                .isCompletedWithValueMatching(v -> v.kind() == DEAD && v.at().equals(T0.plusSeconds(15)));
    }

    @Test
    void aReplicaStillReceivingFromTheMasterMakesItUnreachableNotDead() {
        probes.failing(CONNECTION_REFUSED)
                .replica(REPLICA2, CONNECTED_ADVANCING)
                .replica(REPLICA3, CONNECTING);
        start();
        time.advance(seconds(9));
        Verdict v = monitor.currentVerdict();
        assertThat(v.kind()).isEqualTo(UNREACHABLE_BUT_REPLICATING);
        assertThat(v.reason()).contains("10.0.0.52(10.0.0.52:3306)").contains("still receive");
        assertThat(v.evidence().replicas().get(0).replicating()).isTrue();
        time.advance(seconds(30));
        assertThat(monitor.currentVerdict().kind()).isEqualTo(UNREACHABLE_BUT_REPLICATING);
        assertThat(monitor.failoverVerdict()).isNotDone();
        assertThat(time.pending()).as("monitoring goes on").isEqualTo(1);
        probes.alive();
        time.advance(seconds(3));
        assertThat(monitor.currentVerdict().kind()).isEqualTo(ALIVE);
        assertThat(recorded.saw(DEAD)).isFalse();
    }

    @Test
    void aReplicaThatStopsReceivingStopsVouchingForTheMaster() {
        probes.failing(CONNECTION_REFUSED)
                .replica(REPLICA2, CONNECTED_ADVANCING)
                .replica(REPLICA3, CONNECTING);
        start();
        time.advance(seconds(9));
        assertThat(monitor.currentVerdict().kind()).isEqualTo(UNREACHABLE_BUT_REPLICATING);
        probes.replica(REPLICA2, CONNECTED_SILENT);
        time.advance(seconds(9));
        assertThat(monitor.currentVerdict().kind())
                .as("its last advance is 9 s old, within 4 × 3 s")
                .isEqualTo(UNREACHABLE_BUT_REPLICATING);
        time.advance(seconds(3));
        assertThat(monitor.failoverVerdict()).isCompletedWithValueMatching(v -> v.kind() == DEAD);
    }

    /** SQL times out, SSH answers or not, both replicas show a connected IO thread receiving nothing. */
    private void timingOutWithConnectedSilentReplicas(boolean sshAnswers) {
        probes.failing(TIMEOUT)
                .ssh(Optional.of(sshAnswers))
                .replica(REPLICA2, CONNECTED_SILENT)
                .replica(REPLICA3, CONNECTED_SILENT);
    }

    @Test
    void theManagerCutOffFromAnIdleMasterNeverDeclaresItDeadWithDefaultHeartbeats() {
        // Issue 11: SQL and SSH time out, the replicas still show a connected IO thread receiving
        // nothing, and their 30 s heartbeat period cannot tell an idle master from a dead one.
        timingOutWithConnectedSilentReplicas(false);
        start();
        time.advance(seconds(3 * 12));
        assertThat(recorded.saw(DEAD)).isFalse();
        assertThat(monitor.failoverVerdict()).isNotDone();
        assertThat(monitor.currentVerdict().kind()).isEqualTo(FAILING);
        assertThat(monitor.currentVerdict().reason())
                .contains("heartbeats too slow")
                .contains("IO thread Yes")
                .contains("every 30 s");
        assertThat(monitor.currentVerdict().evidence().replicas()).allMatch(ReplicaView::inconclusive);
    }

    @Test
    void aHeartbeatNowAndThenMakesTheCutOffMasterUnreachableNotDead() {
        timingOutWithConnectedSilentReplicas(false);
        start();
        time.advance(seconds(12));
        probes.replica(REPLICA2, CONNECTED_ADVANCING);
        time.advance(seconds(3));
        probes.replica(REPLICA2, CONNECTED_SILENT);
        time.advance(seconds(3));
        assertThat(monitor.currentVerdict().kind()).isEqualTo(UNREACHABLE_BUT_REPLICATING);
        time.advance(seconds(30));
        assertThat(recorded.saw(DEAD)).isFalse();
    }

    @Test
    void replicasWithFastHeartbeatsThatHearNothingProveACutOffMasterSilent() {
        // The master cut off from everyone (or powered off): no heartbeat within 1 s + 1 s.
        timingOutWithConnectedSilentReplicas(false);
        probes.heartbeatPeriod(REPLICA2, seconds(1)).heartbeatPeriod(REPLICA3, seconds(1));
        start();
        time.advance(seconds(8));
        assertThat(monitor.failoverVerdict()).isNotDone();
        time.advance(seconds(1));
        Verdict dead = monitor.failoverVerdict().getNow(null);
        assertThat(dead.kind()).isEqualTo(DEAD);
        assertThat(dead.at()).isEqualTo(T0.plusSeconds(9));
        assertThat(dead.reason()).contains("no replica hears the master").contains("nothing received for 9000 ms");
        assertThat(dead.evidence().replicas()).allMatch(ReplicaView::heartbeatsOverdue);
    }

    @Test
    void heartbeatsTooSlowForTheWindowProveNothingUntilTheReplicasGiveUp() {
        // A 6.5 s period needs 9.75 s of silence: more than the 9 s observed by the 4th ping.
        probes.failing(TIMEOUT)
                .ssh(Optional.of(false))
                .replica(REPLICA2, CONNECTED_SILENT)
                .replica(REPLICA3, CONNECTING)
                .heartbeatPeriod(REPLICA2, Duration.ofMillis(6_500));
        start();
        time.advance(seconds(9));
        assertThat(monitor.currentVerdict().kind()).isEqualTo(FAILING);
        time.advance(seconds(3));
        assertThat(monitor.failoverVerdict())
                .as("12 s of silence prove it now")
                .isCompletedWithValueMatching(v -> v.kind() == DEAD && v.at().equals(T0.plusSeconds(12)));
    }

    @Test
    void aReplicaThatFallsSilentAfterAdvancingStopsVouchingOnceItsHeartbeatsAreOverdue() {
        probes.failing(TIMEOUT)
                .ssh(Optional.of(true))
                .replica(REPLICA2, CONNECTED_ADVANCING)
                .replica(REPLICA3, CONNECTING)
                .heartbeatPeriod(REPLICA2, seconds(1));
        start();
        time.advance(seconds(9));
        assertThat(monitor.currentVerdict().kind()).isEqualTo(UNREACHABLE_BUT_REPLICATING);
        // The master freezes (SIGSTOP): the replica keeps its connection, heartbeats stop. Its last
        // one came between the pings at 6 s and 9 s; at 12 s it is 3 s overdue (1 s period + 1 s).
        probes.replica(REPLICA2, CONNECTED_SILENT);
        time.advance(seconds(3));
        assertThat(monitor.failoverVerdict())
                .as("its advance is 3 s old, within the 12 s window, but it is overdue")
                .isCompletedWithValueMatching(v -> v.kind() == DEAD && v.at().equals(T0.plusSeconds(12)));
    }

    @Test
    void aFrozenMasterWithDefaultHeartbeatsIsDeadOnceItsHeartbeatsAreOverdue() {
        // SIGSTOP: the port accepts, SQL times out, SSH answers, the replicas stay connected. A 30 s
        // period proves silence after 45 s, before the replicas give up (slave_net_timeout, 60 s).
        timingOutWithConnectedSilentReplicas(true);
        start();
        time.advance(seconds(42));
        assertThat(monitor.currentVerdict().kind()).isEqualTo(FAILING);
        time.advance(seconds(3));
        assertThat(monitor.failoverVerdict())
                .isCompletedWithValueMatching(v -> v.kind() == DEAD
                        && v.at().equals(T0.plusSeconds(45))
                        && v.reason().contains("nothing received for 45000 ms")
                        && v.evidence().sshReachable().equals(Optional.of(true)));
    }

    @Test
    void aFrozenMasterIsDeadOnceTheReplicasGiveUpOnIt() {
        timingOutWithConnectedSilentReplicas(true);
        start();
        time.advance(seconds(27));
        assertThat(monitor.currentVerdict().kind()).isEqualTo(FAILING);
        probes.replica(REPLICA2, CONNECTING).replica(REPLICA3, CONNECTING);
        time.advance(seconds(3));
        assertThat(monitor.failoverVerdict())
                .isCompletedWithValueMatching(v -> v.kind() == DEAD && v.at().equals(T0.plusSeconds(30)));
    }

    @Test
    void secondaryCheckExit3VetoesTheFailover() {
        probes.failing(TIMEOUT)
                .replica(REPLICA2, CONNECTING)
                .replica(REPLICA3, CONNECTING)
                .secondary(3);
        start();
        time.advance(seconds(9));
        assertThat(monitor.currentVerdict().kind()).isEqualTo(UNREACHABLE_BUT_REPLICATING);
        assertThat(monitor.currentVerdict().reason()).contains("secondary_check_script reached the master");
        assertThat(monitor.currentVerdict().evidence().secondaryCheckExit()).hasValue(3);
        assertThat(monitor.failoverVerdict()).isNotDone();
    }

    @Test
    void secondaryCheckExit3VetoesEvenARefusedConnection() {
        probes.failing(CONNECTION_REFUSED)
                .replica(REPLICA2, CONNECTING)
                .replica(REPLICA3, CONNECTED_SILENT)
                .secondary(3);
        start();
        time.advance(seconds(9));
        assertThat(monitor.currentVerdict().kind()).isEqualTo(UNREACHABLE_BUT_REPLICATING);
    }

    @Test
    void secondaryCheckExit2DoesNotVetoADemonstrablyGoneMaster() {
        probes.failing(CONNECTION_REFUSED)
                .replica(REPLICA2, CONNECTING)
                .replica(REPLICA3, CONNECTING)
                .ssh(Optional.of(false))
                .secondary(2);
        start(config(b -> b.set(Parameter.FAST_FAILURE_DETECTION, false)), b -> {});
        time.advance(seconds(9));
        Verdict dead = monitor.failoverVerdict().getNow(null);
        assertThat(dead.kind()).isEqualTo(DEAD);
        assertThat(dead.evidence().secondaryCheckExit()).hasValue(2);
        assertThat(dead.evidence().sshReachable()).contains(false);
    }

    @Test
    void secondaryCheckExit2VetoesAMasterThatOnlyTimesOut() {
        probes.failing(TIMEOUT)
                .replica(REPLICA2, CONNECTING)
                .replica(REPLICA3, CONNECTING)
                .secondary(2)
                .ssh(Optional.of(true), Optional.of(false));
        start();
        time.advance(seconds(9));
        assertThat(monitor.currentVerdict().kind()).isEqualTo(FAILING);
        assertThat(monitor.currentVerdict().reason()).contains("exited 2").contains("not demonstrably gone");
        // After the veto SSH is asked again, and now the host does not answer either.
        time.advance(seconds(3));
        assertThat(monitor.failoverVerdict())
                .as("timing out and SSH unreachable: gone")
                .isCompletedWithValueMatching(
                        v -> v.kind() == DEAD && v.reason().contains("neither SQL nor SSH"));
    }

    @Test
    void secondaryCheckExit0ConfirmsAMasterThatReplicasHaveNotGivenUpYet() {
        probes.failing(TIMEOUT)
                .replica(REPLICA2, CONNECTED_SILENT)
                .replica(REPLICA3, CONNECTING)
                .secondary(0);
        start();
        time.advance(seconds(9));
        assertThat(monitor.failoverVerdict())
                .isCompletedWithValueMatching(
                        v -> v.kind() == DEAD && v.reason().contains("exit 0"));
    }

    @Test
    void theSecondaryCheckRunsOncePerFailureAndAgainAfterAVeto() {
        probes.failing(TIMEOUT)
                .replica(REPLICA2, CONNECTING)
                .replica(REPLICA3, CONNECTING)
                .secondary(3);
        start();
        time.advance(seconds(6));
        await().until(() -> probes.secondaryRuns.get() == 1);
        time.advance(seconds(3));
        await().until(() -> probes.secondaryRuns.get() == 2);
        assertThat(probes.secondaryRuns.get()).isEqualTo(2);
    }

    @Test
    void aListenerThatThrowsIsIgnored() {
        MonitorListener broken = new MonitorListener() {
            @Override
            public void onPing(PingOutcome o) {
                throw new IllegalStateException("broken listener");
            }

            @Override
            public void onVerdict(Verdict v) {
                throw new IllegalStateException("broken listener");
            }
        };
        probes.failing(TIMEOUT);
        ApplicationConfig config = CONFIG;
        monitor = ClusterMonitor.builder(config, MASTER)
                .scheduler(time)
                .probes(probes)
                .listener(broken)
                .listener(recorded)
                .build();
        monitor.start();
        time.advance(seconds(9));
        assertThat(monitor.failoverVerdict()).isCompletedWithValueMatching(v -> v.kind() == DEAD);
        assertThat(recorded.pings).hasSize(4);
        assertThat(recorded.kinds()).containsExactly(FAILING, FAILING, FAILING, DEAD);
    }

    @Test
    void theTriggerDecidesWhichVerdictStartsAFailover() {
        probes.failing(CONNECTION_REFUSED).replica(REPLICA2, CONNECTED_ADVANCING);
        start(CONFIG, b -> b.trigger(v -> v.kind() == UNREACHABLE_BUT_REPLICATING));
        time.advance(seconds(9));
        assertThat(monitor.failoverVerdict())
                .isCompletedWithValueMatching(v -> v.kind() == UNREACHABLE_BUT_REPLICATING);
        assertThat(time.pending()).isZero();
    }

    @Test
    void aTriggerThatNeverAcceptsLetsMonitoringGoOnPastDeath() {
        probes.failing(TIMEOUT);
        FailoverTrigger never = v -> false;
        start(CONFIG, b -> b.trigger(never));
        time.advance(seconds(15));
        assertThat(monitor.currentVerdict())
                .extracting(Verdict::kind, Verdict::failedPings)
                .containsExactly(DEAD, 6);
        assertThat(monitor.failoverVerdict()).isNotDone();
    }

    @Test
    void aTriggerThatThrowsCountsAsNo() {
        probes.failing(TIMEOUT);
        start(
                CONFIG,
                b -> b.trigger(v -> {
                    throw new IllegalStateException("broken trigger");
                }));
        time.advance(seconds(9));
        assertThat(monitor.currentVerdict().kind()).isEqualTo(DEAD);
        assertThat(monitor.failoverVerdict()).isNotDone();
    }

    @Test
    void aPingProbeThatThrowsIsAFailedPing() {
        FakeProbes throwing = new FakeProbes(time.clock()) {
            @Override
            public PingOutcome ping() {
                throw new IllegalStateException("probe bug");
            }
        };
        monitor = ClusterMonitor.builder(CONFIG, MASTER)
                .scheduler(time)
                .probes(throwing)
                .listener(recorded)
                .build();
        monitor.start();
        time.advance(seconds(3));
        assertThat(monitor.currentVerdict())
                .extracting(Verdict::kind, Verdict::failedPings)
                .containsExactly(FAILING, 2);
        assertThat(monitor.currentVerdict().reason()).contains("probe bug");
    }

    @Test
    void thePingIntervalMayBeBelowASecond() {
        probes.failing(TIMEOUT);
        start(CONFIG, b -> b.pingInterval(Duration.ofMillis(200)));
        time.advance(Duration.ofMillis(599));
        assertThat(monitor.failoverVerdict()).isNotDone();
        time.advance(Duration.ofMillis(1));
        assertThat(monitor.failoverVerdict()).isCompletedWithValueMatching(v -> v.at().equals(T0.plusMillis(600)));
    }

    @Test
    void theLimitComesFromPingFailureLimit() {
        probes.failing(TIMEOUT);
        start(config(b -> b.set(Parameter.PING_FAILURE_LIMIT, 2)), b -> {});
        time.advance(seconds(3));
        assertThat(monitor.failoverVerdict()).isCompletedWithValueMatching(v -> v.failedPings() == 2);
    }

    @Test
    void everyOtherServerIsAReplicaByDefault() {
        probes.failing(TIMEOUT);
        start();
        time.advance(Duration.ZERO);
        assertThat(probes.replicasRead).containsExactlyInAnyOrder("server2", "server3");
    }

    @Test
    void aServerThatIsNoReplicaDoesNotSeeTheMaster() {
        probes.failing(TIMEOUT).replica(REPLICA2, NOT_A_REPLICA).replica(REPLICA3, NOT_A_REPLICA);
        start();
        time.advance(seconds(9));
        assertThat(monitor.failoverVerdict()).isCompletedWithValueMatching(v -> v.kind() == DEAD);
    }

    @Test
    void beforeTheFirstPingTheVerdictIsAliveAndSaysSo() {
        monitor = ClusterMonitor.builder(CONFIG, MASTER)
                .scheduler(time)
                .probes(probes)
                .build();
        assertThat(monitor.currentVerdict())
                .extracting(Verdict::kind, Verdict::reason)
                .containsExactly(ALIVE, "not pinged yet");
    }

    @Test
    void aFirstSuccessfulPingIsAnAliveVerdictAndLaterOnesAreNotRepeated() {
        start();
        time.advance(seconds(30));
        assertThat(recorded.pings).hasSize(11).allMatch(PingOutcome::ok);
        assertThat(recorded.kinds()).containsExactly(ALIVE);
    }

    @Test
    void closingStopsPingingCancelsTheFailoverVerdictAndClosesTheProbes() {
        start();
        time.advance(seconds(3));
        monitor.close();
        time.advance(seconds(30));
        assertThat(recorded.pings).hasSize(2);
        assertThat(time.pending()).isZero();
        assertThat(probes.closed).isTrue();
        assertThatThrownBy(() -> monitor.failoverVerdict().join()).isInstanceOf(CancellationException.class);
        assertThatThrownBy(monitor::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMonitorStartsOnce() {
        start();
        assertThatThrownBy(monitor::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already");
    }

    @Test
    void theMasterMustBeAConfiguredServer() {
        ServerConfig stranger = config(b -> b.server("server9", s -> s.hostname("10.0.0.59")))
                .server("server9")
                .orElseThrow();
        assertThatThrownBy(() -> ClusterMonitor.builder(CONFIG, stranger).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("[server9] is not a server of application app1");
    }
}
