package io.mha4j.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.gtid.MariadbGtidSet;
import io.mha4j.server.BinlogPosition;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.ReplicaStatus.IoThread;
import io.mha4j.server.ReplicationError;
import io.mha4j.server.ReplicationFilters;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ReplicaSampleTest {

    static ReplicaSample sample(IoThread io, long readPosition, String gtids, OptionalLong heartbeats) {
        ReplicaStatus s = new ReplicaStatus(
                "127.0.0.1",
                3306,
                "repl",
                io,
                true,
                Optional.of(new BinlogPosition("mysql-bin.000001", readPosition)),
                Optional.empty(),
                Optional.empty(),
                Optional.of(MariadbGtidSet.parse(gtids)),
                Optional.empty(),
                ReplicaStatus.Positioning.GTID_REPLICATED_POSITION,
                OptionalLong.empty(),
                0,
                ReplicationError.NONE,
                ReplicationError.NONE,
                1,
                "",
                ReplicationFilters.NONE);
        return new ReplicaSample("r", Optional.of(s), heartbeats);
    }

    @Test
    void aHeartbeatIsSomethingReceived() {
        ReplicaSample before = sample(IoThread.RUNNING, 100, "0-1-5", OptionalLong.of(7));
        assertThat(sample(IoThread.RUNNING, 100, "0-1-5", OptionalLong.of(8)).receivedSince(before))
                .isTrue();
        assertThat(sample(IoThread.RUNNING, 100, "0-1-5", OptionalLong.of(7)).receivedSince(before))
                .isFalse();
    }

    @Test
    void anEventIsSomethingReceivedEvenWhereHeartbeatsAreUnknown() {
        ReplicaSample before = sample(IoThread.RUNNING, 100, "0-1-5", OptionalLong.empty());
        assertThat(sample(IoThread.RUNNING, 250, "0-1-5", OptionalLong.empty()).receivedSince(before))
                .isTrue();
        assertThat(sample(IoThread.RUNNING, 100, "0-1-6", OptionalLong.empty()).receivedSince(before))
                .isTrue();
        assertThat(sample(IoThread.RUNNING, 100, "0-1-5", OptionalLong.empty()).receivedSince(before))
                .isFalse();
    }

    @Test
    void unchangedMeansTheSameThreadStatePositionGtidsAndHeartbeatCount() {
        ReplicaSample before = sample(IoThread.RUNNING, 100, "0-1-5", OptionalLong.of(7));
        assertThat(sample(IoThread.RUNNING, 100, "0-1-5", OptionalLong.of(7)).unchangedSince(before))
                .isTrue();
        assertThat(sample(IoThread.RUNNING, 100, "0-1-5", OptionalLong.of(8)).unchangedSince(before))
                .isFalse();
        assertThat(sample(IoThread.RUNNING, 100, "0-1-5", OptionalLong.of(2)).unchangedSince(before))
                .as("a count reset by a reconnection")
                .isFalse();
        assertThat(sample(IoThread.CONNECTING, 100, "0-1-5", OptionalLong.of(7)).unchangedSince(before))
                .isFalse();
        assertThat(sample(IoThread.RUNNING, 120, "0-1-5", OptionalLong.of(7)).unchangedSince(before))
                .isFalse();
    }

    @Test
    void aServerThatReplicatesFromNothingReceivesNothing() {
        ReplicaSample none = new ReplicaSample("r", Optional.empty(), OptionalLong.empty());
        assertThat(none.ioThread()).isEqualTo(IoThread.STOPPED);
        assertThat(none.receivedSince(none)).isFalse();
        assertThat(none.describe()).isEqualTo("not a replica");
    }

    @Test
    void describesItselfInOneLine() {
        assertThat(sample(IoThread.CONNECTING, 100, "0-1-5", OptionalLong.of(3)).describe())
                .isEqualTo("IO thread Connecting, read mysql-bin.000001:100, received 0-1-5, 3 heartbeats");
    }

    @Test
    void pingsThatTheServerRefusesWithAnAliveErrorDoNotCount() {
        PingOutcome refused = new PingOutcome(
                java.time.Instant.EPOCH,
                false,
                Optional.of(io.mha4j.server.SqlFailure.Kind.ACCESS_DENIED),
                "denied",
                java.time.Duration.ZERO,
                java.util.OptionalInt.of(1045));
        assertThat(refused.aliveButRefusing()).isTrue();
        assertThat(refused.countsAsFailure()).isFalse();
        PingOutcome lost = new PingOutcome(
                java.time.Instant.EPOCH,
                false,
                Optional.of(io.mha4j.server.SqlFailure.Kind.CONNECTION_LOST),
                "lost",
                java.time.Duration.ZERO);
        assertThat(lost.countsAsFailure()).isTrue();
    }
}
