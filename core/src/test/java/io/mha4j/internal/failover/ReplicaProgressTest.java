package io.mha4j.internal.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.failover.ReplicaOutcome.Reason;
import io.mha4j.gtid.MariadbGtidSet;
import io.mha4j.time.ManualScheduler;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Waiting for a replica to catch up: done when it has the target, at once when its SQL thread stopped. */
class ReplicaProgressTest {
    private static final Duration LONG = Duration.ofMinutes(10);
    private final ManualScheduler time = new ManualScheduler();

    @Test
    void aReplicaWhoseSqlThreadStopsOnAnErrorFailsAtTheFirstPollNotAfterTheTimeout() {
        ScriptedReplica r = new ScriptedReplica();
        Survivor s = r.survivor();
        r.sqlStops(1062, "Duplicate entry '7' for key 'PRIMARY'");
        int before = r.reads;

        assertThatThrownBy(
                        () -> ReplicaProgress.awaitExecuted(time, s, MariadbGtidSet.parse("0-1-12"), LONG, "catch up"))
                .isInstanceOfSatisfying(
                        ReplicaFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.REPLICATION_ERROR))
                .hasMessageContaining("its SQL thread stopped on error 1062: Duplicate entry '7'");
        assertThat(r.reads - before).as("polls").isEqualTo(1);
    }

    @Test
    void aReplicaThatHasTheTargetIsDoneEvenIfItsThreadsStoppedAfterwards() {
        ScriptedReplica r = new ScriptedReplica();
        Survivor s = r.survivor();
        r.gtid = "0-1-12";
        r.sqlRunning = false;

        assertThat(ReplicaProgress.awaitExecuted(time, s, MariadbGtidSet.parse("0-1-12"), LONG, "catch up")
                        .gtid()
                        .executed())
                .isEqualTo(MariadbGtidSet.parse("0-1-12"));
    }

    @Test
    void aReplicaThatNeverGetsThereTimesOutNamingWhatItLacks() {
        Survivor s = new ScriptedReplica().survivor();

        assertThatThrownBy(
                        () -> ReplicaProgress.awaitExecuted(time, s, MariadbGtidSet.parse("0-1-12"), LONG, "catch up"))
                .isInstanceOf(Await.TimedOut.class)
                .hasMessageContaining("timed out after 600000 ms")
                .hasMessageContaining("lacks 0-1-11..12");
        assertThat(Duration.between(ManualScheduler.EPOCH, time.now()))
                .as("waited in virtual time")
                .isBetween(LONG, LONG.plus(Await.INTERVAL));
    }

    @Test
    void aReplicaThatGetsThereWhileWaitedForIsDoneAtThatPoll() {
        ScriptedReplica r = new ScriptedReplica();
        Survivor s = r.survivor();
        time.schedule(() -> r.gtid = "0-1-12", Duration.ofSeconds(3));

        assertThat(ReplicaProgress.awaitExecuted(time, s, MariadbGtidSet.parse("0-1-12"), LONG, "catch up")
                        .gtid()
                        .executed())
                .isEqualTo(MariadbGtidSet.parse("0-1-12"));
        assertThat(Duration.between(ManualScheduler.EPOCH, time.now()))
                .as("the first poll after 3 s")
                .isBetween(Duration.ofSeconds(3), Duration.ofSeconds(3).plus(Await.INTERVAL));
    }

    @Test
    void aFrozenReplicaIsSortedAsNotAnsweringToBeRewiredLater() {
        ScriptedReplica r = new ScriptedReplica();
        Survivor s = r.survivor();
        r.freeze();

        RuntimeException thrown = org.junit.jupiter.api.Assertions.assertThrows(
                RuntimeException.class,
                () -> ReplicaProgress.awaitExecuted(time, s, MariadbGtidSet.parse("0-1-12"), LONG, "catch up"));
        ReplicaFailure f = ReplicaFailure.of(s, thrown, Duration.ofMillis(500), "replica_read_timeout");

        assertThat(f.reason()).isEqualTo(Reason.DID_NOT_ANSWER);
        assertThat(f.getMessage()).startsWith(Reason.REWIRED_LATER);
    }

    @Test
    void aFailureWithoutItsOwnReasonIsSortedByTheReplicasThreadsReadOnceMore() {
        ScriptedReplica r = new ScriptedReplica();
        Survivor s = r.survivor();
        r.sqlStops(
                1950, "An attempt was made to binlog GTID 0-1-11 which would create an out-of-order sequence number");

        ReplicaFailure f = ReplicaFailure.of(
                s,
                new io.mha4j.Mha4jException("cannot replicate from 127.0.0.1:3307"),
                Duration.ofMillis(500),
                "replica_read_timeout");

        assertThat(f.reason()).isEqualTo(Reason.REPLICATION_ERROR);
        assertThat(f.getMessage())
                .contains("its SQL thread stopped on error 1950")
                .contains("cannot replicate from");
    }
}
