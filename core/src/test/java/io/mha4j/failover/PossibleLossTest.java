package io.mha4j.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.gtid.MariadbGtidSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** "Nothing to recover" and "could not check" both apply nothing; only the second may lose transactions. */
class PossibleLossTest {
    private static final MariadbGtidSet RECEIVED = MariadbGtidSet.parse("0-1-57");

    @Test
    void binaryLogsThatWereReadLeaveNoPossibleLossEvenWhenNothingWasApplied() {
        Compensation nothingMissing = Compensation.checked(
                "binary logs of db1(10.0.0.51:3306)",
                Optional.empty(),
                Optional.of("/var/log/mha/app1/saved.sql"),
                "nothing to recover",
                List.of());

        assertThat(nothingMissing.checked()).isTrue();
        assertThat(PossibleLoss.of(nothingMissing, RECEIVED)).isEmpty();
    }

    @Test
    void aCompensationThatReadNothingLeavesTheTailAfterTheLatestReplicasPositionUnchecked() {
        Compensation none = Compensation.none("the dead master's host db1 does not answer over SSH");

        assertThat(none.checked()).isFalse();
        PossibleLoss loss = PossibleLoss.of(none, RECEIVED).orElseThrow();
        assertThat(loss.after()).isEqualTo(RECEIVED);
        assertThat(loss.describe())
                .isEqualTo("transactions after GTID 0-1-57 could not be checked and may be lost:"
                        + " the dead master's host db1 does not answer over SSH");
    }

    @Test
    void whenNoReplicaReceivedAnythingEveryTransactionIsUnchecked() {
        PossibleLoss loss = PossibleLoss.of(
                        Compensation.none("no replica ever received from the dead master"), MariadbGtidSet.empty())
                .orElseThrow();

        assertThat(loss.transactions()).isEqualTo("every transaction of the dead master");
    }

    @Test
    void aCompensationThatAppliedPartOfTheTailLeavesOnlyWhatFollowsItUnchecked() {
        Compensation partial = Compensation.partial(
                "binary logs of db1(10.0.0.51:3306)",
                MariadbGtidSet.parse("0-1-58..412"),
                Optional.of("/var/log/mha/app1/saved.sql"),
                "mysql-bin.000002 could not be read",
                List.of());

        assertThat(partial.checked()).isFalse();
        assertThat(partial.transactions()).isEqualTo(355);
        PossibleLoss loss = PossibleLoss.of(partial, RECEIVED).orElseThrow();
        assertThat(loss.after()).hasToString("0-1-412");
        assertThat(loss.transactions()).isEqualTo("transactions after GTID 0-1-412");
    }
}
