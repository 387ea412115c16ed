package io.mha4j.internal.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.failover.ReplicaOutcome;
import io.mha4j.failover.ReplicaOutcome.Reason;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.ReplicationError;
import io.mha4j.server.SqlFailure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a replica's failure is sorted for its outcome, and how the phase says so. */
class ReplicaFailureTest {
    private static final ReplicationError DUPLICATE =
            new ReplicationError(1062, "Duplicate entry '7' for key 'PRIMARY'");

    @Test
    void aStoppedSqlThreadFailsAtOnceWithItsErrorNumberAndMessage() {
        ReplicaStatus stopped = ReplicaStates.mariadbStopped(3, 1, "0-1-10", DUPLICATE)
                .replica()
                .orElseThrow();

        assertThatThrownBy(() -> ReplicaFailure.failIfStopped("db3", stopped))
                .isInstanceOfSatisfying(
                        ReplicaFailure.class, f -> assertThat(f.reason()).isEqualTo(Reason.REPLICATION_ERROR))
                .hasMessage("db3: its SQL thread stopped on error 1062: Duplicate entry '7' for key 'PRIMARY'");
    }

    @Test
    void aRunningReplicaIsLeftToCatchUp() {
        ReplicaStatus running = ReplicaStates.mariadb(3, 1, "0-1-10").replica().orElseThrow();

        ReplicaFailure.failIfStopped("db3", running);
        assertThat(running.isReplicating()).isTrue();
    }

    @Test
    void noAnswerMeansRewiredWhenItAnswersAgain() {
        Survivor s = new Survivor(
                ApplicationConfig.builder("app1")
                        .user("u")
                        .password("p")
                        .server("server3", b -> b.hostname("127.0.0.1").port(3308))
                        .build()
                        .server("server3")
                        .orElseThrow(),
                null,
                ReplicaStates.mariadb(3, 1, "0-1-10"));
        SqlFailure frozen =
                new SqlFailure("db3", "SHOW SLAVE STATUS", SqlFailure.Kind.TIMEOUT, 0, null, "no answer in time", null);

        ReplicaFailure f = ReplicaFailure.of(s, frozen, Duration.ofMillis(500), "replica_read_timeout");

        assertThat(f.reason()).isEqualTo(Reason.DID_NOT_ANSWER);
        assertThat(f.getMessage())
                .startsWith(
                        "did not answer: rewired when it answers again (no answer within 500 ms, replica_read_timeout:");
        assertThat(ReplicaFailure.of(s, f, Duration.ofMillis(500), "replica_read_timeout"))
                .isSameAs(f);
        assertThat(ReplicaFailure.of(s, frozen, Duration.ofMillis(3500), "replica_read_timeout plus a rollback")
                        .getMessage())
                .as("the bound it was given up within, named")
                .contains("no answer within 3500 ms, replica_read_timeout plus a rollback:");
    }

    @Test
    void thePhaseSaysOkOnlyWhenEveryReplicaWasRecovered() {
        ReplicaOutcome ok = new ReplicaOutcome("db2", "db2", true, "Slave started");
        ReplicaOutcome broken = new ReplicaOutcome("db3", "db3", false, "SQL error", Reason.REPLICATION_ERROR);

        assertThat(ReplicaRecovery.status(List.of(ok))).isEqualTo("ok");
        assertThat(ReplicaRecovery.status(List.of(ok, broken))).isEqualTo("1 of 2 replica(s) not recovered");
        assertThat(ReplicaRecovery.status(List.of())).isEqualTo("ok");
    }

    @Test
    void anOutcomeCannotBeRecoveredWithAFailureReason() {
        assertThatThrownBy(() -> new ReplicaOutcome("db3", "db3", true, "x", Reason.TIMED_OUT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ReplicaOutcome("db3", "db3", false, "x").reason()).isEqualTo(Reason.FAILED);
    }
}
