package io.mha4j.datasource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Secret;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverGuard;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.SwitchoverReport;
import io.mha4j.manager.ManagerEvent;
import io.mha4j.monitor.Evidence;
import io.mha4j.monitor.Verdict;
import io.mha4j.monitor.VerdictKind;
import io.mha4j.server.ReplicaReading;
import io.mha4j.time.ManualScheduler;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The switching logic on fake pools and a fake lag probe, in virtual time: no server. */
class TopologyDataSourcesTest {
    private static final Duration CHECK = DataSourceSettings.DEFAULTS.lagCheckInterval();

    private final ApplicationConfig config = ThreeServers.CONFIG;
    private final ServerConfig server1 = ThreeServers.SERVER1;
    private final ServerConfig server2 = ThreeServers.SERVER2;
    private final ServerConfig server3 = ThreeServers.SERVER3;

    private final ManualScheduler time = new ManualScheduler();
    /** Every pool made, the last one per server. */
    private final Map<String, FakeServerPool> pools = new ConcurrentHashMap<>();

    private final Map<String, ReplicaReading> lag = new ConcurrentHashMap<>(
            Map.of("server2", ReplicaReading.lagging(Duration.ZERO), "server3", ReplicaReading.lagging(Duration.ZERO)));
    private final TopologyDataSources db = TopologyDataSources.builder(config)
            .settings(DataSourceSettings.builder()
                    .connectionTimeout(Duration.ofMillis(300))
                    .build())
            .pools(s -> pools.compute(s.block(), (b, old) -> new FakeServerPool(s)))
            .probe(r -> lag.getOrDefault(r.block(), ReplicaReading.broken("unknown")))
            .scheduler(time)
            .build();

    @AfterEach
    void close() {
        db.close();
    }

    private void monitoring(ServerConfig master, ServerConfig... replicas) {
        db.onEvent(new ManagerEvent.MonitoringStarted(Instant.now(), master, List.of(replicas), List.of()));
        time.advance(Duration.ZERO);
    }

    private void failoverStarted(ServerConfig dead) {
        db.onEvent(new ManagerEvent.FailoverStarted(
                Instant.now(),
                dead,
                new Verdict(VerdictKind.DEAD, dead, Instant.now(), 4, "connection refused", Evidence.NONE)));
    }

    private static String target(Connection c) {
        return c.toString();
    }

    @Test
    void writerGoesToTheMonitoredMasterAndReaderToTheReplicasInTurn() throws SQLException {
        monitoring(server1, server2, server3);

        assertThat(target(db.writer().getConnection())).isEqualTo("connection to server1");
        assertThat(List.of(
                        target(db.reader().getConnection()),
                        target(db.reader().getConnection()),
                        target(db.reader().getConnection())))
                .containsExactlyInAnyOrder("connection to server2", "connection to server3", "connection to server2");
        assertThat(db.writerTarget()).contains(server1);
        assertThat(db.readTargets()).containsExactly(server2, server3);
    }

    @Test
    void writerFailsAfterTheTimeoutBeforeMonitoringBegan() {
        assertThatThrownBy(() -> db.writer().getConnection())
                .isInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("no master known yet");
    }

    @Test
    void writerFollowsMasterChangedAndTheOldMastersPoolIsEvictedAndClosed() throws SQLException {
        monitoring(server1, server2, server3);
        FakeServerPool oldPool = pools.get("server1");
        db.writer().getConnection();

        failoverStarted(server1);
        assertThat(oldPool.evictions()).as("evicted when the failover starts").isEqualTo(1);
        assertThat(db.writerTarget()).isEmpty();
        db.onEvent(new ManagerEvent.MasterChanged(Instant.now(), server1, server2));

        assertThat(oldPool.isClosed()).isTrue();
        assertThat(target(db.writer().getConnection())).isEqualTo("connection to server2");
        assertThat(oldPool.handedOut())
                .as("nothing from the old master after the switch")
                .isEqualTo(1);
        assertThat(db.readTargets()).containsExactly(server3);
        assertThat(target(db.reader().getConnection())).isEqualTo("connection to server3");
    }

    @Test
    void writerConnectionsWaitDuringTheFailoverAndGetTheNewMaster() throws Exception {
        var settings = DataSourceSettings.builder()
                .connectionTimeout(Duration.ofSeconds(30))
                .build();
        try (TopologyDataSources patient = TopologyDataSources.builder(config)
                .settings(settings)
                .pools(FakeServerPool::new)
                .probe(r -> ReplicaReading.lagging(Duration.ZERO))
                .scheduler(time)
                .build()) {
            patient.onEvent(new ManagerEvent.MonitoringStarted(Instant.now(), server1, List.of(server2), List.of()));
            failoverStarted(server1, patient);
            CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return target(patient.writer().getConnection());
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(waiting).isNotDone();
            patient.onEvent(new ManagerEvent.MasterChanged(Instant.now(), server1, server2));
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("connection to server2");
        }
    }

    @Test
    void aWriterWaitingInTheDeadMastersPoolIsGivenTheNewMasterWithoutWaitingOutThePoolsTimeout() throws Exception {
        Map<String, FakeServerPool> made = new ConcurrentHashMap<>();
        try (TopologyDataSources patient = TopologyDataSources.builder(config)
                .settings(DataSourceSettings.builder()
                        .connectionTimeout(Duration.ofSeconds(30))
                        .build())
                .pools(s -> made.computeIfAbsent(s.block(), b -> new FakeServerPool(s)))
                .probe(r -> ReplicaReading.lagging(Duration.ZERO))
                .scheduler(time)
                .build()) {
            patient.onEvent(new ManagerEvent.MonitoringStarted(Instant.now(), server1, List.of(server2), List.of()));
            made.get("server1").hang();
            CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return target(patient.writer().getConnection()) + ", interrupted: "
                            + Thread.currentThread().isInterrupted();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> made.get("server1").waiting() == 1);

            failoverStarted(server1, patient);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> made.get("server1").waiting() == 0);
            assertThat(waiting).as("waits for the new master").isNotDone();
            patient.onEvent(new ManagerEvent.MasterChanged(Instant.now(), server1, server2));

            assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("connection to server2, interrupted: false");
            assertThat(made.get("server1").handedOut()).isZero();
        }
    }

    private static void failoverStarted(ServerConfig dead, TopologyDataSources to) {
        to.onEvent(new ManagerEvent.FailoverStarted(
                Instant.now(),
                dead,
                new Verdict(VerdictKind.DEAD, dead, Instant.now(), 4, "connection refused", Evidence.NONE)));
    }

    @Test
    void writerFailsFastWithTheMasterBeingReplacedWhenNoNewMasterComesInTime() {
        monitoring(server1, server2, server3);
        failoverStarted(server1);

        assertThatThrownBy(() -> db.writer().getConnection())
                .isInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("failover of db1(db1:3306) started (connection refused)")
                .hasMessageContaining("no new master within 300 ms");
        assertThat(pools.get("server1").handedOut()).isZero();
    }

    @Test
    void writerResumesOnTheOldMasterWhenTheFailoverIsRefused() throws SQLException {
        monitoring(server1, server2, server3);
        failoverStarted(server1);
        db.onEvent(new ManagerEvent.FailoverBlocked(
                Instant.now(),
                server1,
                new FailoverGuard.Block(
                        FailoverGuard.Block.Kind.TOO_EARLY,
                        Path.of("app1.failover.complete"),
                        Optional.empty(),
                        "too early")));

        assertThat(target(db.writer().getConnection())).isEqualTo("connection to server1");
    }

    @Test
    void writerPausesBeforeTheSwitchBlocksTheOriginalMasterAndMovesOnceTheNewOneIsWritable() throws SQLException {
        monitoring(server1, server2, server3);
        FakeServerPool origPool = pools.get("server1");
        db.writer().getConnection();

        db.onEvent(new ManagerEvent.SwitchoverStarted(Instant.now(), server1, server2));
        assertThat(db.writerTarget())
                .as("paused while the original master is blocked")
                .isEmpty();
        assertThat(origPool.evictions())
                .as("its idle connections evicted at once")
                .isEqualTo(1);
        assertThat(db.readTargets())
                .as("the replicas serve reads during the switch")
                .containsExactly(server2, server3);
        db.onEvent(new ManagerEvent.MasterChanged(Instant.now(), server1, server2));

        assertThat(origPool.isClosed())
                .as("closed: its borrowed connections aborted")
                .isTrue();
        assertThat(target(db.writer().getConnection())).isEqualTo("connection to server2");
        assertThat(origPool.handedOut())
                .as("nothing from the original master once the switch started")
                .isEqualTo(1);
        assertThat(db.readTargets()).containsExactly(server3);
    }

    @Test
    void writerResumesOnTheOriginalMasterWhenTheSwitchIsAbandoned() throws SQLException {
        monitoring(server1, server2, server3);
        db.onEvent(new ManagerEvent.SwitchoverStarted(Instant.now(), server1, server2));
        SwitchoverReport abandoned = new SwitchoverReport(
                "app1",
                FailoverReport.Outcome.FAILED,
                server1,
                Optional.empty(),
                Optional.empty(),
                List.of(),
                List.of(),
                List.of("timed out"),
                Instant.now(),
                Instant.now());
        db.onEvent(new ManagerEvent.SwitchoverEnded(Instant.now(), server1, Optional.empty(), abandoned));

        assertThat(target(db.writer().getConnection())).isEqualTo("connection to server1");
        assertThat(pools.get("server1").isClosed()).isFalse();
    }

    @Test
    void readerLeavesOutALaggingOrBrokenReplicaAndTakesItBackWhenItCatchesUp() throws SQLException {
        monitoring(server1, server2, server3);
        lag.put("server2", ReplicaReading.lagging(Duration.ofSeconds(11)));
        lag.put("server3", ReplicaReading.broken("replication not running (IO NO, SQL stopped)"));
        time.advance(CHECK);
        assertThat(db.readTargets()).isEmpty();
        assertThat(target(db.reader().getConnection()))
                .as("falls back to the master")
                .isEqualTo("connection to server1");

        lag.put("server2", ReplicaReading.lagging(Duration.ofSeconds(10)));
        time.advance(CHECK);
        assertThat(db.readTargets()).containsExactly(server2);
        assertThat(target(db.reader().getConnection())).isEqualTo("connection to server2");
    }

    @Test
    void readerKeepsTheReplicasThatLostTheDeadMasterWhileTheFailoverRuns() throws SQLException {
        monitoring(server1, server2, server3);
        failoverStarted(server1);
        lag.put("server2", ReplicaReading.sourceLost("reconnecting to its source db1:3306"));
        lag.put("server3", ReplicaReading.broken("replication not running (IO STOPPED, SQL stopped)"));
        time.advance(CHECK);

        assertThat(db.readTargets()).containsExactly(server2);
        assertThat(target(db.reader().getConnection())).isEqualTo("connection to server2");
    }

    @Test
    void readerKeepsAReplicaThatLostTheMasterBeforeTheFailoverStarts() throws SQLException {
        monitoring(server1, server2, server3);
        // kill -9: each replica's receiver reconnects at once, seconds before the manager judges the master dead.
        lag.put("server2", ReplicaReading.sourceLost("reconnecting to its source db1:3306"));
        lag.put("server3", ReplicaReading.sourceLost("reconnecting to its source db1:3306"));
        time.advance(CHECK);
        assertThat(db.readTargets()).containsExactly(server2, server3);

        failoverStarted(server1);
        time.advance(CHECK);

        assertThat(db.readTargets()).containsExactly(server2, server3);
        assertThat(target(db.reader().getConnection())).isIn("connection to server2", "connection to server3");
    }

    @Test
    void aReplicaThatLostItsSourceLeavesTheReadsOnceTheLagLimitPassedSinceItsLastGoodReading() {
        monitoring(server1, server2); // read well at once
        lag.put("server2", ReplicaReading.sourceLost("reconnecting to its source db1:3306"));

        time.advance(DataSourceSettings.DEFAULTS.readLagLimit());
        assertThat(db.readTargets())
                .as("within the lag limit of its last good reading")
                .containsExactly(server2);

        time.advance(CHECK);
        assertThat(db.readTargets())
                .as("its data may now be older than the limit, whether or not a failover runs")
                .isEmpty();
    }

    @Test
    void aPauseBetweenChoosingTheMastersPoolAndBorrowingFromItSendsTheCallerToTheNewMaster() throws Exception {
        Map<String, FakeServerPool> made = new ConcurrentHashMap<>();
        List<String> takenWhilePaused = new CopyOnWriteArrayList<>();
        AtomicReference<TopologyDataSources> self = new AtomicReference<>();
        AtomicBoolean entered = new AtomicBoolean();
        AtomicReference<Thread> callerThread = new AtomicReference<>();
        try (TopologyDataSources racing = TopologyDataSources.builder(config)
                .settings(DataSourceSettings.builder()
                        .connectionTimeout(Duration.ofSeconds(30))
                        .build())
                .pools(s -> made.compute(s.block(), (b, old) -> new FakeServerPool(s)))
                .probe(r -> ReplicaReading.lagging(Duration.ZERO))
                .scheduler(time)
                .build()) {
            self.set(racing);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (int aimed = 0; aimed < 10 && System.nanoTime() < until && takenWhilePaused.isEmpty(); ) {
                racing.onEvent(new ManagerEvent.MonitoringStarted(Instant.now(), server1, List.of(server2), List.of()));
                entered.set(false);
                callerThread.set(null);
                made.get("server1").onBorrow(() -> {
                    entered.set(true);
                    // Paused by now, a caller that is not being sent away borrows from a master being replaced.
                    if (self.get().writerTarget().isEmpty()
                            && !Thread.currentThread().isInterrupted()) {
                        takenWhilePaused.add("a connection of server1 taken after the failover started");
                    }
                });
                CompletableFuture<String> caller;
                synchronized (racing) {
                    caller = CompletableFuture.supplyAsync(() -> {
                        callerThread.set(Thread.currentThread());
                        try {
                            return target(racing.writer().getConnection());
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                    while (!blockedIn(callerThread.get(), true) && System.nanoTime() < waitUntil) {
                        Thread.onSpinWait();
                    }
                }
                if (pauseWhenBlockedBeforeBorrowing(racing, caller, callerThread, entered)) {
                    aimed++;
                }
                racing.onEvent(new ManagerEvent.MasterChanged(Instant.now(), server1, server2));
                caller.get(10, TimeUnit.SECONDS);
            }
        }

        assertThat(takenWhilePaused).isEmpty();
    }

    /**
     * Aims a pause at the window a pause fell into when choosing the master's pool and registering the
     * borrow were two locks apart. The caller waits for the data sources' lock to choose (the test held
     * it); the test lets it in and takes the lock back at once, so that the caller, leaving the choosing
     * method, often finds it held. If the caller then waits for the lock outside the choosing method
     * without having entered the pool, the writer is paused right there. The choosing method's names are
     * the test's one look inside, to know when the window was hit: it is a few instructions wide, hit by
     * contending for the lock right there, never by chance. Returns whether it was hit.
     */
    private boolean pauseWhenBlockedBeforeBorrowing(
            TopologyDataSources racing,
            CompletableFuture<String> caller,
            AtomicReference<Thread> callerThread,
            AtomicBoolean entered) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (blockedIn(callerThread.get(), true) && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        synchronized (racing) {
            if (!entered.get() && !caller.isDone() && blockedIn(callerThread.get(), false)) {
                failoverStarted(server1, racing);
                return true;
            }
        }
        failoverStarted(server1, racing);
        return false;
    }

    /** Whether {@code t} waits for a lock in the writer, inside the method that chooses the pool or outside it. */
    private static boolean blockedIn(Thread t, boolean choosing) {
        if (t == null || t.getState() != Thread.State.BLOCKED) {
            return false;
        }
        StackTraceElement[] stack = t.getStackTrace();
        return Arrays.stream(stack).anyMatch(f -> f.getClassName().endsWith("TopologyDataSources$Writer"))
                && Arrays.stream(stack)
                                .anyMatch(f -> f.getMethodName().equals("writerPool")
                                        || f.getMethodName().equals("writerBorrow"))
                        == choosing;
    }

    @Test
    void writerStaysPausedWhenTheManagerStopsDuringTheFailover() throws SQLException {
        monitoring(server1, server2, server3);
        failoverStarted(server1);

        // A failover that throws ends the manager: Stopped, and no FailoverEnded.
        db.onEvent(new ManagerEvent.Stopped(Instant.now(), 1, "the failover failed: boom"));

        assertThat(db.writerTarget()).isEmpty();
        assertThatThrownBy(() -> db.writer().getConnection())
                .isInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("then the manager stopped (the failover failed: boom)")
                .hasMessageContaining("stays paused until a manager monitors again");
        assertThat(pools.get("server1").handedOut()).isZero();

        monitoring(server2, server3);
        assertThat(target(db.writer().getConnection())).isEqualTo("connection to server2");
    }

    @Test
    void buildingWithoutAnApplicationAccountWarnsThatReadOnlyDoesNotFenceTheAdministrator() {
        Logger logger = (Logger) LoggerFactory.getLogger(TopologyDataSources.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            TopologyDataSources.builder(config)
                    .pools(FakeServerPool::new)
                    .scheduler(time)
                    .build()
                    .close();
            TopologyDataSources.builder(config)
                    .settings(DataSourceSettings.builder()
                            .credentials("orders", Secret.of("pw"))
                            .build())
                    .pools(FakeServerPool::new)
                    .scheduler(time)
                    .build()
                    .close();
        } finally {
            logger.detachAppender(logged);
        }

        assertThat(logged.list)
                .filteredOn(e ->
                        e.getLevel() == Level.WARN && e.getFormattedMessage().contains("no application account"))
                .singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains("read_only does not refuse"));
    }

    @Test
    void readerSkipsAReplicaWhoseConnectionFailsUntilItReadsWellAgain() throws SQLException {
        monitoring(server1, server2);
        pools.get("server2").refuse();

        assertThat(target(db.reader().getConnection())).isEqualTo("connection to server1");
        assertThat(db.readTargets()).isEmpty();
        time.advance(CHECK);
        assertThat(db.readTargets()).containsExactly(server2);
    }

    @Test
    void readerFailsWhenNoReplicaTakesReadsWhileTheMasterIsReplaced() {
        monitoring(server1, server2);
        lag.put("server2", ReplicaReading.lagging(Duration.ofMinutes(5)));
        time.advance(CHECK);
        failoverStarted(server1);

        assertThatThrownBy(() -> db.reader().getConnection())
                .isInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("no replica within 10 s of lag")
                .hasMessageContaining("failover of db1(db1:3306)");
    }

    @Test
    void monitoringTheNewTopologyClosesThePoolOfAServerLeftOut() throws SQLException {
        monitoring(server1, server2, server3);
        FakeServerPool third = pools.get("server3");
        monitoring(server1, server2);

        assertThat(third.isClosed()).isTrue();
        assertThat(db.readTargets()).containsExactly(server2);
    }

    @Test
    void closeClosesEveryPoolAndRefusesConnections() {
        monitoring(server1, server2, server3);
        db.close();

        assertThat(pools.values()).allMatch(FakeServerPool::isClosed);
        assertThatThrownBy(() -> db.writer().getConnection()).hasMessageContaining("closed");
        assertThatThrownBy(() -> db.reader().getConnection()).hasMessageContaining("closed");
    }
}
