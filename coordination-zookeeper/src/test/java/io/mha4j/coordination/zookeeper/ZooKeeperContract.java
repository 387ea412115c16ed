package io.mha4j.coordination.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mha4j.Mha4jException;
import io.mha4j.coordination.Coordination;
import io.mha4j.coordination.FailoverRecord;
import io.mha4j.coordination.ManagerView;
import io.mha4j.failover.FailoverPhase;
import io.mha4j.monitor.VerdictKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The managers' shared state on a real ZooKeeper ensemble of three servers: the failover record is
 * written only by the leader and read by all, each manager's view reaches the others and leaves
 * with it, a manager cut off from the quorum writes nothing, and a human acknowledges the record
 * without joining the election. Run on Curator's in-process servers ({@link ZooKeeperCoordinationIT})
 * and on Debian's package ({@link DebianZooKeeperIT}).
 */
abstract class ZooKeeperContract {
    static final Duration WAIT = Duration.ofSeconds(30);

    /** The ensemble's connect string. */
    abstract String connect();

    /** Stops two of the three servers: the quorum is gone. */
    abstract void loseQuorum() throws Exception;

    /** Starts the servers {@link #loseQuorum} stopped. */
    abstract void restoreQuorum() throws Exception;

    /** A manager's coordination of an application named after the test: each test its own znodes. */
    private ZooKeeperCoordination coordination(TestInfo test) {
        return new ZooKeeperCoordination(
                connect(), "/mha4j-it", test.getTestMethod().orElseThrow().getName(), Duration.ofSeconds(4));
    }

    private static FailoverRecord running(Coordination by) {
        return FailoverRecord.begin(Optional.empty(), by.id(), "server1", Instant.now())
                .at(FailoverPhase.RECOVER_NEW_MASTER, Optional.of("server2"), Instant.now());
    }

    private static ManagerView view(Coordination by, VerdictKind seen) {
        return new ManagerView(by.id(), by.isLeader(), "server1", seen, Instant.now(), Optional.of(Instant.now()));
    }

    @Test
    void onlyTheLeaderWritesTheRecordEveryManagerReadsItAndSeesTheOthersViews(TestInfo test) {
        try (Coordination a = coordination(test);
                Coordination b = coordination(test)) {
            a.start();
            await().atMost(WAIT).until(a::isLeader);
            a.lastFailover(); // a writer reads first: it writes over the version it read
            b.start();
            await().atMost(WAIT).until(b::connected);
            b.lastFailover();

            FailoverRecord record = running(a);
            assertThat(a.record(record)).isTrue();
            assertThat(b.record(running(b))).as("fenced: b does not lead").isFalse();
            assertThat(b.lastFailover()).contains(record);

            a.publish(view(a, VerdictKind.ALIVE));
            b.publish(view(b, VerdictKind.FAILING));
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(a.views())
                            .extracting(v -> (v.leading() ? "leader " : "standby ") + v.seen())
                            .containsExactlyInAnyOrder("leader ALIVE", "standby FAILING"));

            b.close();
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(a.views())
                            .as("a manager's view leaves with it")
                            .extracting(ManagerView::manager)
                            .containsExactly(a.id()));
        }
    }

    @Test
    void aLeaderCutOffFromTheQuorumWritesNothingAndWritesAgainOnceItLeadsAgain(TestInfo test) throws Exception {
        boolean lost = false;
        try (Coordination a = coordination(test)) {
            a.start();
            await().atMost(WAIT).until(a::isLeader);
            a.lastFailover(); // a writer reads first: it writes over the version it read
            assertThat(a.record(running(a))).isTrue();

            loseQuorum();
            lost = true;
            await().atMost(WAIT).until(() -> !a.isLeader() && !a.connected());
            assertThat(a.record(running(a).ended(FailoverRecord.State.SUCCEEDED, Optional.empty(), Instant.now())))
                    .isFalse();
            assertThat(a.lastFailover())
                    .as("cut off: nothing is read as if known")
                    .isEmpty();

            restoreQuorum();
            lost = false;
            await().atMost(WAIT).until(a::isLeader);
            assertThat(a.lastFailover())
                    .hasValueSatisfying(r -> assertThat(r.state()).isEqualTo(FailoverRecord.State.RUNNING));
            // Curator may hand the lead over once more as it re-creates its node after the reconnection
            await().atMost(WAIT)
                    .until(() -> a.isLeader()
                            && a.record(a.lastFailover()
                                    .orElseThrow()
                                    .ended(FailoverRecord.State.SUCCEEDED, Optional.empty(), Instant.now())));
            assertThat(a.lastFailover())
                    .hasValueSatisfying(r -> assertThat(r.state()).isEqualTo(FailoverRecord.State.SUCCEEDED));
        } finally {
            if (lost) {
                restoreQuorum();
            }
        }
    }

    @Test
    void aFailoverStillRunningIsNotAcknowledgedWhileItsManagerTakesPart(TestInfo test) {
        try (Coordination a = coordination(test);
                Coordination tool = coordination(test)) {
            a.start();
            await().atMost(WAIT).until(a::isLeader);
            a.lastFailover();
            assertThat(a.record(running(a))).isTrue();
            a.publish(view(a, VerdictKind.DEAD));
            await().atMost(WAIT).until(() -> a.views().size() == 1);

            assertThatThrownBy(() -> tool.acknowledge(
                            new FailoverRecord.Acknowledgement(Instant.now(), "dba", "clearing the flags")))
                    .isInstanceOf(Mha4jException.class)
                    .hasMessageContaining("is running: its manager still takes part");
            assertThat(a.lastFailover())
                    .hasValueSatisfying(r -> assertThat(r.acknowledged()).isEmpty());
        }
    }

    @Test
    void aHumanAcknowledgesAndReadsTheRecordWithoutJoiningTheElection(TestInfo test) {
        try (Coordination a = coordination(test);
                Coordination tool = coordination(test)) {
            FailoverRecord.Acknowledgement ack =
                    new FailoverRecord.Acknowledgement(Instant.now(), "dba", "server1 repaired by hand");
            assertThat(tool.acknowledge(ack)).as("no record yet").isFalse();

            a.start();
            await().atMost(WAIT).until(a::isLeader);
            a.lastFailover(); // a writer reads first: it writes over the version it read
            FailoverRecord failed = running(a).ended(FailoverRecord.State.FAILED, Optional.empty(), Instant.now());
            assertThat(a.record(failed)).isTrue();

            assertThat(tool.acknowledge(ack)).isTrue();
            FailoverRecord next = FailoverRecord.begin(Optional.of(failed), a.id(), "server1", Instant.now());
            assertThat(a.record(next))
                    .as("fenced by version: the leader would write over the acknowledgement it has not read")
                    .isFalse();
            assertThat(a.lastFailover()).contains(failed.acknowledge(ack));
            assertThat(a.record(next)).as("once read, the leader writes").isTrue();
            assertThat(a.lastFailover()).contains(next);
            assertThat(tool.lastFailover()).as("a tool reads it too").contains(next);
            assertThat(tool.isLeader()).as("the tool never took part").isFalse();
            assertThat(a.isLeader()).isTrue();
        }
    }
}
