package io.mha4j.datasource;

import static io.mha4j.datasource.ThreeServers.CONFIG;
import static io.mha4j.datasource.ThreeServers.SERVER1;
import static io.mha4j.datasource.ThreeServers.SERVER2;
import static io.mha4j.datasource.ThreeServers.SERVER3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.config.ServerConfig;
import io.mha4j.failover.MasterSwitchover;
import io.mha4j.manager.ManagerEvent;
import io.mha4j.server.ReplicaReading;
import io.mha4j.time.ManualScheduler;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The self-discovering source on fake pools and scripted rounds of reads, in virtual time: the one
 * writable server that replicates from nobody is the master; none or several pause the writer.
 */
class TopologyDiscoveryTest {
    private static final Duration ROUND = DataSourceSettings.DEFAULTS.discoveryInterval();

    private final ManualScheduler time = new ManualScheduler();
    private final Map<String, FakeServerPool> pools = new ConcurrentHashMap<>();
    /** What the next round of reads sees. */
    private final AtomicReference<List<Sighting>> servers = new AtomicReference<>(List.of());
    /** Run once, while the next round reads (after it took what {@link #servers} shows). */
    private final AtomicReference<Runnable> duringRead = new AtomicReference<>(() -> {});

    private final TopologyDataSources db = TopologyDataSources.builder(CONFIG)
            .settings(DataSourceSettings.builder()
                    .connectionTimeout(Duration.ofMillis(300))
                    .build())
            .pools(s -> pools.compute(s.block(), (b, old) -> new FakeServerPool(s)))
            .topologyProbe(asked -> {
                List<Sighting> seen = servers.get();
                duringRead.getAndSet(() -> {}).run();
                return seen;
            })
            .scheduler(time)
            .build();

    @AfterEach
    void close() {
        db.close();
    }

    /** Takes writes, replicates from nobody. */
    private static Sighting writable(ServerConfig s, long serverId) {
        return new Sighting(
                s, Optional.empty(), true, serverId, Optional.empty(), ReplicaReading.broken("not a replica"));
    }

    private static Sighting readOnly(ServerConfig s, long serverId) {
        return new Sighting(
                s, Optional.empty(), false, serverId, Optional.empty(), ReplicaReading.broken("not a replica"));
    }

    private static Sighting replica(ServerConfig s, long serverId, ServerConfig source, long sourceId, long lag) {
        return new Sighting(
                s,
                Optional.empty(),
                false,
                serverId,
                Optional.of(new Sighting.Upstream(source.hostname(), source.port(), sourceId)),
                ReplicaReading.lagging(Duration.ofSeconds(lag)));
    }

    /** Takes writes (no read_only, as MHA leaves replicas) and has replication from server1 configured. */
    private static Sighting writableReplicaOfServer1(ServerConfig s, ReplicaReading reading) {
        return new Sighting(s, Optional.empty(), true, 2, Optional.of(new Sighting.Upstream("db1", 3306, 1)), reading);
    }

    /** Runs the next round on what {@code seen} shows. */
    private void round(Sighting... seen) {
        servers.set(List.of(seen));
        time.advance(ROUND);
    }

    private static String target(Connection c) {
        return c.toString();
    }

    @Test
    void theOneWritableServerThatReplicatesFromNobodyTakesTheWritesAndItsReplicasTheReads() throws SQLException {
        round(writable(SERVER1, 1), replica(SERVER2, 2, SERVER1, 1, 0), replica(SERVER3, 3, SERVER1, 1, 0));

        assertThat(target(db.writer().getConnection())).isEqualTo("connection to server1");
        assertThat(db.readTargets()).containsExactly(SERVER2, SERVER3);
    }

    @Test
    void aWritableReplicaIsAReplicaNotASecondMaster() {
        round(
                writable(SERVER1, 1),
                writableReplicaOfServer1(SERVER2, ReplicaReading.lagging(Duration.ZERO)),
                replica(SERVER3, 3, SERVER1, 1, 0));

        assertThat(db.writerTarget()).contains(SERVER1);
        assertThat(db.readTargets()).containsExactly(SERVER2, SERVER3);
    }

    @Test
    void aWritableServerWithItsReplicationStoppedIsNoMaster() {
        Sighting stoppedReplica = writableReplicaOfServer1(
                SERVER2, ReplicaReading.broken("replication not running (IO STOPPED, SQL stopped)"));

        round(Sighting.unreadable(SERVER1, "Connection refused"), stoppedReplica);

        assertThat(db.writerTarget())
                .as("a failover may be recovering it: only a promotion's RESET SLAVE ALL makes a master")
                .isEmpty();
    }

    @Test
    void aDemotedMasterPausesTheWriterUntilTheNewMasterIsWritableThenItsPoolIsClosed() throws SQLException {
        round(writable(SERVER1, 1), replica(SERVER2, 2, SERVER1, 1, 0), replica(SERVER3, 3, SERVER1, 1, 0));
        FakeServerPool oldPool = pools.get("server1");
        db.writer().getConnection();

        // The switch made SERVER1 read-only; SERVER2 is catching up.
        round(readOnly(SERVER1, 1), replica(SERVER2, 2, SERVER1, 1, 0), replica(SERVER3, 3, SERVER1, 1, 0));
        assertThat(db.writerTarget()).isEmpty();
        assertThat(oldPool.evictions()).isEqualTo(1);
        assertThat(oldPool.isClosed()).as("kept: the switch may be abandoned").isFalse();
        assertThatThrownBy(() -> db.writer().getConnection())
                .isInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("no master: no server takes writes and replicates from nobody")
                .hasMessageContaining("server1 read-only");
        assertThat(db.readTargets())
                .as("the replicas of the master being switched serve reads")
                .containsExactly(SERVER2, SERVER3);

        // SERVER2 promoted; SERVER3 not rewired yet.
        round(readOnly(SERVER1, 1), writable(SERVER2, 2), replica(SERVER3, 3, SERVER1, 1, 0));
        assertThat(target(db.writer().getConnection())).isEqualTo("connection to server2");
        assertThat(oldPool.isClosed())
                .as("closed: borrowed connections aborted")
                .isTrue();
        assertThat(oldPool.handedOut()).isEqualTo(1);
        assertThat(db.readTargets())
                .as("a replica still on the demoted master reads stale data: none until rewired")
                .isEmpty();

        round(readOnly(SERVER1, 1), writable(SERVER2, 2), replica(SERVER3, 3, SERVER2, 2, 0));
        assertThat(db.readTargets()).containsExactly(SERVER3);
    }

    @Test
    void aWriteRefusedForReadOnlyStartsARoundAtOnce() {
        round(writable(SERVER1, 1), replica(SERVER2, 2, SERVER1, 1, 0));
        servers.set(List.of(readOnly(SERVER1, 1), replica(SERVER2, 2, SERVER1, 1, 0)));

        db.refusedForReadOnly(SERVER1);
        assertThat(db.writerTarget()).as("paused at once").isEmpty();
        assertThat(pools.get("server1").evictions()).isEqualTo(1);
        db.refusedForReadOnly(SERVER1);
        time.advance(Duration.ZERO);

        assertThatThrownBy(() -> db.writer().getConnection())
                .as("the round, at once, confirmed it")
                .hasMessageContaining("no master: no server takes writes");
        servers.set(List.of(readOnly(SERVER1, 1), writable(SERVER2, 2)));
        time.advance(ROUND.dividedBy(4).minusMillis(1));
        assertThat(db.writerTarget())
                .as("one chain of rounds, four times as often while paused")
                .isEmpty();
        time.advance(Duration.ofMillis(1));
        assertThat(db.writerTarget()).contains(SERVER2);

        servers.set(List.of(readOnly(SERVER1, 1), readOnly(SERVER2, 2)));
        time.advance(ROUND.dividedBy(4));
        assertThat(db.writerTarget())
                .as("a master known: the next round a whole interval later")
                .contains(SERVER2);
        time.advance(ROUND.minus(ROUND.dividedBy(4)));
        assertThat(db.writerTarget()).isEmpty();
    }

    @Test
    void aRefusalFromAMasterTheRoundFindsWritableResumesTheWriter() throws SQLException {
        round(writable(SERVER1, 1), replica(SERVER2, 2, SERVER1, 1, 0));

        db.refusedForReadOnly(SERVER1);
        time.advance(Duration.ZERO);

        assertThat(target(db.writer().getConnection())).isEqualTo("connection to server1");
    }

    @Test
    void aRefusalFromAReplicaLeavesTheWriterAlone() {
        round(writable(SERVER1, 1), replica(SERVER2, 2, SERVER1, 1, 0));

        db.refusedForReadOnly(SERVER2);

        assertThat(db.writerTarget()).contains(SERVER1);
    }

    @Test
    void twoWritableServersThatReplicateFromNobodyPauseTheWriterAndNeverGuess() {
        round(writable(SERVER1, 1), replica(SERVER2, 2, SERVER1, 1, 0), replica(SERVER3, 3, SERVER1, 1, 0));

        round(writable(SERVER1, 1), writable(SERVER2, 2), replica(SERVER3, 3, SERVER1, 1, 0));

        assertThat(db.writerTarget()).isEmpty();
        assertThatThrownBy(() -> db.writer().getConnection())
                .hasMessageContaining("2 servers take writes and replicate from nobody (server1, server2)");
        assertThat(pools.get("server1").handedOut()).isZero();
    }

    @Test
    void writerResumesOnTheMasterWhenItIsWritableAgain() throws SQLException {
        round(writable(SERVER1, 1), replica(SERVER2, 2, SERVER1, 1, 0));
        round(readOnly(SERVER1, 1), replica(SERVER2, 2, SERVER1, 1, 0));
        assertThat(db.writerTarget()).isEmpty();

        round(writable(SERVER1, 1), replica(SERVER2, 2, SERVER1, 1, 0));

        assertThat(target(db.writer().getConnection())).isEqualTo("connection to server1");
    }

    @Test
    void anUnreadableMasterPausesTheWriterAndTheServerPromotedElsewhereTakesOver() throws SQLException {
        round(writable(SERVER1, 1), replica(SERVER2, 2, SERVER1, 1, 0), replica(SERVER3, 3, SERVER1, 1, 0));

        round(Sighting.unreadable(SERVER1, "Connection refused"), replica(SERVER2, 2, SERVER1, 1, 0));
        assertThat(db.writerTarget()).isEmpty();
        assertThat(db.readTargets()).containsExactly(SERVER2);

        round(Sighting.unreadable(SERVER1, "Connection refused"), writable(SERVER2, 2));
        assertThat(target(db.writer().getConnection())).isEqualTo("connection to server2");
        assertThat(pools.get("server1").isClosed()).isTrue();
    }

    @Test
    void aLaggingReplicaLeavesTheReadsAndComesBackWhenItCaughtUp() {
        round(writable(SERVER1, 1), replica(SERVER2, 2, SERVER1, 1, 11), replica(SERVER3, 3, SERVER1, 1, 0));
        assertThat(db.readTargets()).containsExactly(SERVER3);

        round(writable(SERVER1, 1), replica(SERVER2, 2, SERVER1, 1, 0), replica(SERVER3, 3, SERVER1, 1, 0));
        assertThat(db.readTargets()).containsExactly(SERVER2, SERVER3);
    }

    @Test
    void beforeTheFirstRoundTheWriterWaitsThenSaysNoMasterWasDiscovered() {
        assertThatThrownBy(() -> db.writer().getConnection()).hasMessageContaining("no master discovered yet");
    }

    @Test
    void aSourceIsRecognisedByItsServerIdOrElseByAddressAndPort() {
        Sighting master = writable(SERVER1, 1);
        assertThat(replica(SERVER2, 2, SERVER1, 1, 0).replicatesFrom(master)).isTrue();
        assertThat(replica(SERVER2, 2, SERVER1, 7, 0).replicatesFrom(master))
                .as("another server behind the same address")
                .isFalse();
        assertThat(replica(SERVER2, 2, SERVER1, 0, 0).replicatesFrom(master))
                .as("not connected yet: by address and port")
                .isTrue();
        assertThat(replica(SERVER2, 2, SERVER3, 0, 0).replicatesFrom(master)).isFalse();
    }

    @Test
    void discoveringDataSourcesFollowNoEvents() {
        assertThatThrownBy(() -> db.bind(MasterSwitchover.builder(CONFIG)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("follow no events");
        assertThatThrownBy(() -> db.onEvent(new ManagerEvent.SwitchoverStarted(Instant.now(), SERVER1, SERVER2)))
                .isInstanceOf(IllegalStateException.class);
    }

    private static Sighting unreadable(ServerConfig s) {
        return Sighting.unreadable(s, "no answer within 300 ms");
    }

    @Test
    void anOldMasterBackWritableAndUnfencedIsNotTakenBackWhileItsReplacementCannotBeRead() throws SQLException {
        round(writable(SERVER1, 1), replica(SERVER2, 2, SERVER1, 1, 0), replica(SERVER3, 3, SERVER1, 1, 0));
        // Another process failed server1 over to server2.
        round(
                Sighting.unreadable(SERVER1, "Connection refused"),
                writable(SERVER2, 2),
                replica(SERVER3, 3, SERVER2, 2, 0));
        assertThat(db.writerTarget()).contains(SERVER2);

        // server1 restarted writable with no replica status; server2's read timed out this round.
        round(writable(SERVER1, 1), unreadable(SERVER2), replica(SERVER3, 3, SERVER2, 2, 0));
        assertThat(db.writerTarget()).as("never back to the old master").isEmpty();
        assertThatThrownBy(() -> db.writer().getConnection())
                .hasMessageContaining("server1 was the master before and takes writes again with no replication");
        assertThat(db.readTargets())
                .as("the replicas of the master the writer knew still serve reads")
                .containsExactly(SERVER3);

        round(writable(SERVER1, 1), writable(SERVER2, 2), replica(SERVER3, 3, SERVER2, 2, 0));
        assertThat(db.writerTarget())
                .as("paused while the old master is writable and unfenced")
                .isEmpty();
        assertThat(pools.get("server1").handedOut()).isZero();

        // Rejoined as a replica of server2: trusted again, and a later promotion of it is followed.
        round(replica(SERVER1, 1, SERVER2, 2, 0), writable(SERVER2, 2), replica(SERVER3, 3, SERVER2, 2, 0));
        assertThat(db.writerTarget()).contains(SERVER2);
        round(writable(SERVER1, 1), unreadable(SERVER2), replica(SERVER3, 3, SERVER1, 1, 0));
        assertThat(db.writerTarget()).contains(SERVER1);
    }

    @Test
    void anOldMasterBackWritableIsNoMasterEvenWhenEveryOtherServerIsRead() {
        round(writable(SERVER1, 1), replica(SERVER2, 2, SERVER1, 1, 0), replica(SERVER3, 3, SERVER1, 1, 0));
        round(readOnly(SERVER1, 1), writable(SERVER2, 2), replica(SERVER3, 3, SERVER2, 2, 0));
        assertThat(db.writerTarget()).contains(SERVER2);

        // A switch from server2 to server3 blocks writes on server2; server1 restarted writable meanwhile.
        round(writable(SERVER1, 1), readOnly(SERVER2, 2), replica(SERVER3, 3, SERVER2, 2, 0));

        assertThat(db.writerTarget())
                .as("read_only once is no fence: it does not survive a restart")
                .isEmpty();
    }

    @Test
    void aWritableServerNeverSeenAsAReplicaIsNoMasterWhileAnotherCannotBeRead() {
        // The data sources start after server1 was failed over to server2: server1 is back, server2 does not answer.
        round(writable(SERVER1, 1), unreadable(SERVER2), readOnly(SERVER3, 3));

        assertThat(db.writerTarget()).isEmpty();
        assertThatThrownBy(() -> db.writer().getConnection())
                .hasMessageContaining("server2 could not be read, no round saw server1 as a replica");

        round(writable(SERVER1, 1), writable(SERVER2, 2), readOnly(SERVER3, 3));
        assertThat(db.writerTarget()).isEmpty();
    }

    @Test
    void theServerTheOthersReplicateFromIsTheMasterThoughAnotherCannotBeRead() {
        round(
                Sighting.unreadable(SERVER1, "Connection refused"),
                writable(SERVER2, 2),
                replica(SERVER3, 3, SERVER2, 2, 0));

        assertThat(db.writerTarget()).contains(SERVER2);
        assertThat(db.readTargets()).containsExactly(SERVER3);
    }

    @Test
    void aRoundBegunBeforeAWriteWasRefusedDoesNotResumeTheWriter() {
        round(writable(SERVER1, 1), replica(SERVER2, 2, SERVER1, 1, 0));
        List<Optional<ServerConfig>> writerWhenTheAskedRoundReads = new ArrayList<>();
        duringRead.set(() -> {
            // This round has read server1 writable; now a switch makes it read-only and a write is refused.
            servers.set(List.of(readOnly(SERVER1, 1), replica(SERVER2, 2, SERVER1, 1, 0)));
            db.refusedForReadOnly(SERVER1);
            duringRead.set(() -> writerWhenTheAskedRoundReads.add(db.writerTarget()));
        });

        time.advance(ROUND);

        assertThat(writerWhenTheAskedRoundReads)
                .as("the round in flight read server1 before the refusal: it may not resume the writer there")
                .containsExactly(Optional.empty());
        assertThat(db.writerTarget()).isEmpty();
        assertThat(pools.get("server1").handedOut()).isZero();
    }
}
