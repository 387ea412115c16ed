package io.mha4j.gtid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MariadbGtidSetTest {

    @Nested
    class ReadingPositions {

        @Test
        void readsTheEmptyStringAsTheEmptyPosition() {
            MariadbGtidSet empty = MariadbGtidSet.parse("");

            assertThat(empty).isEqualTo(MariadbGtidSet.empty());
            assertThat(empty.isEmpty()).isTrue();
            assertThat(empty.isPosition()).isTrue();
            assertThat(empty.toServerPosition()).isEmpty();
            assertThat(empty.domains()).isEmpty();
        }

        @Test
        void readsAPositionAsEveryTransactionUpToItsSequenceNumber() {
            MariadbGtidSet position = MariadbGtidSet.parse("0-1-100");

            assertThat(position.domains()).containsExactly(0L);
            assertThat(position.lastSeq(0)).hasValue(100);
            assertThat(position.serverIdOf(0)).hasValue(1);
            assertThat(position.count()).isEqualTo(100);
            assertThat(position.isPosition()).isTrue();
            assertThat(position.contains(MariadbGtidSet.parse("0-1-1..100"))).isTrue();
        }

        @Test
        void readsAMultiDomainPositionAndSortsItsDomains() {
            MariadbGtidSet position = MariadbGtidSet.parse("10-3-5,0-1-100,\n 1-2-7");

            assertThat(position.toString()).isEqualTo("0-1-100,1-2-7,10-3-5");
            assertThat(position.domains()).containsExactly(0L, 1L, 10L);
            assertThat(position.lastSeq(1)).hasValue(7);
            assertThat(position.serverIdOf(10)).hasValue(3);
            assertThat(position.lastSeq(2)).isEmpty();
            assertThat(position.serverIdOf(2)).isEmpty();
        }

        @Test
        void readsABinlogStateWithSeveralServersPerDomainAsTheHighestOfEach() {
            MariadbGtidSet state = MariadbGtidSet.parse("0-2-50,0-1-100,1-3-9,1-4-2");

            assertThat(state.toString()).isEqualTo("0-1-100,1-3-9");
            assertThat(state.isPosition()).isTrue();
        }

        @Test
        void acceptsTheLargestDomainAndServerIds() {
            MariadbGtidSet position = MariadbGtidSet.parse("4294967295-4294967295-1");

            assertThat(position.domains()).containsExactly(4294967295L);
            assertThat(position.serverIdOf(4294967295L)).hasValue(4294967295L);
        }

        @Test
        void acceptsTheLargestSequenceNumberMha4jSupports() {
            MariadbGtidSet position = MariadbGtidSet.parse("0-1-9223372036854775807");

            assertThat(position.lastSeq(0)).hasValue(Long.MAX_VALUE);
            assertThat(position.count()).isEqualTo(Long.MAX_VALUE);
            assertThat(position.union(MariadbGtidSet.parse("1-1-5")).count()).isEqualTo(Long.MAX_VALUE);
        }
    }

    @Nested
    class SetsThatAreNotPositions {

        @Test
        void writesARangeInMha4jNotation() {
            MariadbGtidSet gap = MariadbGtidSet.parse("0-1-105").subtract(MariadbGtidSet.parse("0-1-100"));

            assertThat(gap.toString()).isEqualTo("0-1-101..105");
            assertThat(gap.isPosition()).isFalse();
            assertThat(gap.count()).isEqualTo(5);
            assertThat(gap.lastSeq(0)).hasValue(105);
            assertThat(MariadbGtidSet.parse("0-1-101..105")).isEqualTo(gap);
        }

        @Test
        void writesSeveralPiecesOfOneDomainSeparatedByColons() {
            MariadbGtidSet pieces = MariadbGtidSet.parse("0-1-9..12:3..5:7..7, 1-2-7");

            assertThat(pieces.toString()).isEqualTo("0-1-3..5:7..7:9..12,1-2-7");
            assertThat(pieces.count()).isEqualTo(3 + 1 + 4 + 7);
        }

        @Test
        void writesPiecesThatStartAtOneAndLeaveNoGapAsAPosition() {
            assertThat(MariadbGtidSet.parse("0-1-3..5:1..2").toString()).isEqualTo("0-1-5");
        }

        @Test
        void refusesToRenderAsAServerPositionNamingTheDomainThatHasAGap() {
            MariadbGtidSet set = MariadbGtidSet.parse("0-1-100,1-2-101..105");

            assertThatIllegalStateException()
                    .isThrownBy(set::toServerPosition)
                    .withMessage("MariaDB GTID set '0-1-100,1-2-101..105' is not a position a server can take: "
                            + "domain 1 does not hold every sequence number from 1 to 105");
        }

        @Test
        void rendersAPositionAsTheTextTheServerTakes() {
            assertThat(MariadbGtidSet.parse("1-2-7,0-1-100").toServerPosition()).isEqualTo("0-1-100,1-2-7");
        }
    }

    @Nested
    class ComparingReplicas {

        @Test
        void aUnionKeepsTheServerIdOfTheHigherSequenceNumber() {
            MariadbGtidSet oldMaster = MariadbGtidSet.parse("0-1-100,1-1-9");
            MariadbGtidSet newMaster = MariadbGtidSet.parse("0-2-105,1-2-3");

            assertThat(oldMaster.union(newMaster).toString()).isEqualTo("0-2-105,1-1-9");
        }

        @Test
        void aReplicaFurtherAlongInEveryDomainIsAhead() {
            MariadbGtidSet behind = MariadbGtidSet.parse("0-1-100,1-2-5");
            MariadbGtidSet ahead = MariadbGtidSet.parse("0-1-101,1-2-5");

            assertThat(ahead.isAheadOf(behind)).isTrue();
            assertThat(behind.isAheadOf(ahead)).isFalse();
        }

        @Test
        void replicasAheadInDifferentDomainsAreNeitherAheadOfTheOther() {
            MariadbGtidSet first = MariadbGtidSet.parse("0-1-101,1-2-5");
            MariadbGtidSet second = MariadbGtidSet.parse("0-1-100,1-2-6");

            assertThat(first.isAheadOf(second)).isFalse();
            assertThat(second.isAheadOf(first)).isFalse();
            assertThat(first.subtract(second).toString()).isEqualTo("0-1-101..101");
        }

        @Test
        void theSameSequenceNumberFromDifferentServersIsContainedButNotEqual() {
            MariadbGtidSet fromOne = MariadbGtidSet.parse("0-1-100");
            MariadbGtidSet fromTwo = MariadbGtidSet.parse("0-2-100");

            assertThat(fromOne.contains(fromTwo)).isTrue();
            assertThat(fromTwo.contains(fromOne)).isTrue();
            assertThat(fromOne).isNotEqualTo(fromTwo);
            assertThat(fromOne.isAheadOf(fromTwo)).isFalse();
            assertThat(fromTwo.isAheadOf(fromOne)).isFalse();
            assertThat(fromOne.union(fromTwo).serverIdOf(0)).hasValue(1);
        }

        @Test
        void anIntersectionKeepsTheServerIdOfTheSideWhoseLastSequenceNumberSurvives() {
            MariadbGtidSet longer = MariadbGtidSet.parse("0-7-100");
            MariadbGtidSet shorter = MariadbGtidSet.parse("0-3-50");

            assertThat(longer.intersect(shorter).toString()).isEqualTo("0-3-50");
            assertThat(shorter.intersect(longer).toString()).isEqualTo("0-3-50");
        }
    }

    @Nested
    class RejectingMalformedText {

        @Test
        void rejectsAGtidWithoutASequenceNumber() {
            assertRejected("0-1", 3, "expected '-' and a sequence number, as in 0-1-100, found the end of the text");
        }

        @Test
        void rejectsASequenceNumberThatIsNotANumber() {
            assertRejected("0-1-x", 4, "expected a sequence number, found 'x'");
        }

        @Test
        void rejectsNegativeNumbers() {
            assertRejected("-1-1-5", 0, "expected a domain id, found '-1-1-5'");
            assertRejected("0-1--5", 4, "expected a sequence number, found '-5'");
        }

        @Test
        void rejectsSequenceNumberZero() {
            assertRejected("0-1-0", 4, "sequence number 0 is too small: the smallest is 1");
        }

        @Test
        void rejectsSequenceNumbersBeyondWhatALongHoldsSayingMariadbAllowsMore() {
            assertRejected(
                    "0-1-18446744073709551615",
                    4,
                    "sequence number 18446744073709551615 is too large: the largest is 9223372036854775807 "
                            + "(MariaDB allows up to 18446744073709551615");
        }

        @Test
        void rejectsIdsBeyondThirtyTwoBits() {
            assertRejected("4294967296-1-5", 0, "domain id 4294967296 is too large: the largest is 4294967295");
            assertRejected("0-4294967296-5", 2, "server id 4294967296 is too large: the largest is 4294967295");
        }

        @Test
        void rejectsAnEmptyEntryBetweenCommas() {
            assertRejected("0-1-5,,1-1-1", 6, "expected a domain id, found ','");
        }

        @Test
        void rejectsAMissingComma() {
            assertRejected("0-1-100 1-2-7", 8, "expected ',' and another GTID, or the end, found '1-2-7'");
        }

        @Test
        void rejectsARangeThatEndsBeforeItStarts() {
            assertRejected("0-1-5..3", 4, "range 5..3 ends before it starts");
        }

        @Test
        void rejectsABareNumberAmongRanges() {
            assertRejected("0-1-3..5:7", 10, "expected '..' and the end of the range, as in 7..9");
        }

        @Test
        void rejectsPiecesAfterAPosition() {
            assertRejected("0-1-5:7..8", 5, "expected ',' and another GTID, or the end, found ':'");
        }

        @Test
        void refusesNull() {
            assertThatNullPointerException().isThrownBy(() -> MariadbGtidSet.parse(null));
        }

        private void assertRejected(String text, int offset, String problem) {
            GtidFormatException error =
                    catchThrowableOfType(GtidFormatException.class, () -> MariadbGtidSet.parse(text));

            assertThat(error.input()).isEqualTo(text);
            assertThat(error.errorOffset()).isEqualTo(offset);
            assertThat(error.problem()).contains(problem);
            assertThat(error.getMessage())
                    .startsWith("malformed MariaDB GTID set '" + text + "' at character " + (offset + 1) + ": ")
                    .contains(problem);
        }
    }

    @Nested
    class Building {

        @Test
        void buildsTheSameSetAsTheTextSays() {
            MariadbGtidSet built = MariadbGtidSet.builder()
                    .add(1, 2, 7)
                    .addRange(0, 1, 101, 105)
                    .add(0, 3, 50)
                    .build();

            assertThat(built).isEqualTo(MariadbGtidSet.parse("0-1-1..50:101..105,1-2-7"));
        }

        @Test
        void refusesWhatTheParserRefuses() {
            MariadbGtidSet.Builder builder = MariadbGtidSet.builder();

            assertThatIllegalArgumentException()
                    .isThrownBy(() -> builder.add(-1, 1, 5))
                    .withMessageContaining("domain id -1");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> builder.add(0, 4294967296L, 5))
                    .withMessageContaining("server id 4294967296");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> builder.add(0, 1, 0))
                    .withMessageContaining("1..0");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> builder.addRange(0, 1, 5, 3))
                    .withMessageContaining("5..3");
        }
    }
}
