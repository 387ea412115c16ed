package io.mha4j.gtid;

import static io.mha4j.gtid.GtidSetGenerators.UUID_A;
import static io.mha4j.gtid.GtidSetGenerators.UUID_B;
import static io.mha4j.gtid.GtidSetGenerators.UUID_C;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MysqlGtidSetTest {

    private static final String MAX = "9223372036854775807";

    @Nested
    class ReadingWhatServersPrint {

        @Test
        void readsTheEmptyStringAsTheEmptySet() {
            assertThat(MysqlGtidSet.parse("")).isEqualTo(MysqlGtidSet.empty());
            assertThat(MysqlGtidSet.parse(" \n ").isEmpty()).isTrue();
            assertThat(MysqlGtidSet.empty().toString()).isEmpty();
            assertThat(MysqlGtidSet.empty().count()).isZero();
        }

        @Test
        void readsAMultiSourceSetSeparatedByCommaAndNewlineAsShowReplicaStatusPrintsIt() {
            String executed = "2174B383-5441-11E8-B90A-C80AA9429562:1-3,\n"
                    + "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-77,\n"
                    + "8A94F357-AAB4-11DF-86AB-C80AA9429562:1-5:11-18";

            MysqlGtidSet set = MysqlGtidSet.parse(executed);

            assertThat(set.toString()).isEqualTo(UUID_C + ":1-3," + UUID_A + ":1-77," + UUID_B + ":1-5:11-18");
            assertThat(set.count()).isEqualTo(3 + 77 + 5 + 8);
        }

        @Test
        void writesUuidsInLowerCaseAndSortsThem() {
            MysqlGtidSet set = MysqlGtidSet.parse(UUID_B.toUpperCase() + ":1, " + UUID_A + ":2");

            assertThat(set.toString()).isEqualTo(UUID_A + ":2," + UUID_B + ":1");
        }

        @Test
        void mergesUnorderedOverlappingAndAdjacentIntervals() {
            MysqlGtidSet set = MysqlGtidSet.parse(UUID_A + ":7-9:1-3:4-5:2-8:11:12");

            assertThat(set.toString()).isEqualTo(UUID_A + ":1-9:11-12");
            assertThat(set.count()).isEqualTo(11);
        }

        @Test
        void mergesSeveralEntriesForOneUuid() {
            assertThat(MysqlGtidSet.parse(UUID_A + ":1-3," + UUID_B + ":1," + UUID_A + ":4-6")
                            .toString())
                    .isEqualTo(UUID_A + ":1-6," + UUID_B + ":1");
        }

        @Test
        void writesASingleTransactionWithoutARange() {
            assertThat(MysqlGtidSet.parse(UUID_A + ":5-5").toString()).isEqualTo(UUID_A + ":5");
        }

        @Test
        void toleratesWhitespaceBetweenTokens() {
            assertThat(MysqlGtidSet.parse("\t " + UUID_A + " : 1 - 5 : 7 ,\r\n " + UUID_B + ":3 \n"))
                    .isEqualTo(MysqlGtidSet.parse(UUID_A + ":1-5:7," + UUID_B + ":3"));
        }

        @Test
        void acceptsTheLargestTransactionNumber() {
            MysqlGtidSet set = MysqlGtidSet.parse(UUID_A + ":" + (Long.MAX_VALUE - 1) + "-" + MAX + ":1");

            assertThat(set.toString()).isEqualTo(UUID_A + ":1:" + (Long.MAX_VALUE - 1) + "-" + MAX);
            assertThat(set.count()).isEqualTo(3);
        }

        @Test
        void countSaturatesInsteadOfOverflowing() {
            MysqlGtidSet all = MysqlGtidSet.parse(UUID_A + ":1-" + MAX);

            assertThat(all.count()).isEqualTo(Long.MAX_VALUE);
            assertThat(all.union(MysqlGtidSet.parse(UUID_B + ":1-5")).count()).isEqualTo(Long.MAX_VALUE);
        }
    }

    @Nested
    class ReadingTaggedGtids {

        @Test
        void readsATaggedSource() {
            MysqlGtidSet set = MysqlGtidSet.parse(UUID_A + ":Domain_1:1-3:11:47-49");

            assertThat(set.toString()).isEqualTo(UUID_A + ":domain_1:1-3:11:47-49");
            assertThat(set.count()).isEqualTo(7);
        }

        @Test
        void appliesEachTagToTheIntervalsAfterItUntilTheNextTag() {
            MysqlGtidSet mixed = MysqlGtidSet.parse(UUID_A + ":1-3:tag_a:1-5:7:tag_b:2");

            MysqlGtidSet expected = MysqlGtidSet.builder()
                    .add(UUID_A, 1, 3)
                    .add(UUID_A, "tag_a", 1, 5)
                    .add(UUID_A, "tag_a", 7, 7)
                    .add(UUID_A, "tag_b", 2, 2)
                    .build();
            assertThat(mixed).isEqualTo(expected);
            assertThat(mixed.toString()).isEqualTo(UUID_A + ":1-3:tag_a:1-5:7:tag_b:2");
        }

        @Test
        void listsUntaggedIntervalsFirstThenTagsInSortedOrder() {
            MysqlGtidSet set =
                    MysqlGtidSet.parse(UUID_A + ":zz:1," + UUID_B + ":4," + UUID_A + ":AA:2," + UUID_A + ":9");

            assertThat(set.toString()).isEqualTo(UUID_A + ":9:aa:2:zz:1," + UUID_B + ":4");
        }

        @Test
        void treatsTagsCaseInsensitively() {
            assertThat(MysqlGtidSet.parse(UUID_A + ":Tag_X:1-2")).isEqualTo(MysqlGtidSet.parse(UUID_A + ":tag_x:1:2"));
        }

        @Test
        void keepsTaggedAndUntaggedTransactionsApart() {
            MysqlGtidSet untagged = MysqlGtidSet.parse(UUID_A + ":1-5");
            MysqlGtidSet tagged = MysqlGtidSet.parse(UUID_A + ":t:1-5");

            assertThat(untagged.contains(tagged)).isFalse();
            assertThat(untagged.intersect(tagged).isEmpty()).isTrue();
            assertThat(untagged.union(tagged).count()).isEqualTo(10);
        }

        @Test
        void acceptsTagsOfUpToThirtyTwoCharactersStartingWithALetterOrUnderscore() {
            String longest = "_" + "a".repeat(30) + "9";

            assertThat(MysqlGtidSet.parse(UUID_A + ":" + longest + ":1").toString())
                    .isEqualTo(UUID_A + ":" + longest + ":1");
        }
    }

    @Nested
    class ComparingReplicas {

        private final MysqlGtidSet master = MysqlGtidSet.parse(UUID_A + ":1-100");
        private final MysqlGtidSet laggingReplica = MysqlGtidSet.parse(UUID_A + ":1-90");
        private final MysqlGtidSet replicaWithErrantWrite = MysqlGtidSet.parse(UUID_A + ":1-100," + UUID_B + ":1");

        @Test
        void aReplicaWithEverythingAndMoreIsAhead() {
            assertThat(master.isAheadOf(laggingReplica)).isTrue();
            assertThat(laggingReplica.isAheadOf(master)).isFalse();
            assertThat(master.isAheadOf(master)).isFalse();
        }

        @Test
        void whatALaggingReplicaMissesIsASubtraction() {
            assertThat(master.subtract(laggingReplica).toString()).isEqualTo(UUID_A + ":91-100");
        }

        @Test
        void errantTransactionsAreWhatTheReplicaHasAndTheMasterLacks() {
            assertThat(replicaWithErrantWrite.subtract(master).toString()).isEqualTo(UUID_B + ":1");
            assertThat(master.contains(replicaWithErrantWrite)).isFalse();
        }

        @Test
        void theCommonHistoryIsAnIntersection() {
            MysqlGtidSet other = MysqlGtidSet.parse(UUID_A + ":50-120:200");

            assertThat(master.intersect(other).toString()).isEqualTo(UUID_A + ":50-100");
        }
    }

    @Nested
    class RejectingMalformedText {

        @Test
        void rejectsAMalformedUuid() {
            String text = "3e11fa47-71ca-11e1-9e33-c80aa942956:1-5";

            assertRejected(
                    text,
                    0,
                    "expected a UUID like 3e11fa47-71ca-11e1-9e33-c80aa9429562, "
                            + "found '3e11fa47-71ca-11e1-9e33-c80aa942956'");
        }

        @Test
        void rejectsAUuidWithANonHexDigit() {
            assertRejected("3e11fa47-71ca-11e1-9e33-c80aa942956g:1", 0, "expected a UUID");
        }

        @Test
        void rejectsAUuidWithoutAColonAndIntervals() {
            assertRejected(UUID_A, 36, "expected ':' after the UUID, found the end of the text");
            assertRejected(UUID_A + " 1-5", 37, "expected ':' after the UUID, found '1-5'");
        }

        @Test
        void rejectsAnIntervalThatIsNotANumber() {
            assertRejected(UUID_A + ":1-x", 39, "expected a transaction number, found 'x'");
            assertRejected(UUID_A + ":1-", 39, "expected a transaction number, found the end of the text");
        }

        @Test
        void rejectsTransactionNumberZero() {
            assertRejected(UUID_A + ":0-5", 37, "transaction number 0 is too small: the smallest is 1");
        }

        @Test
        void rejectsANegativeTransactionNumber() {
            assertRejected(UUID_A + ":-3", 37, "expected an interval like 1-5 or a tag, found '-3'");
        }

        @Test
        void rejectsATransactionNumberBeyondTwoToTheSixtyThreeMinusOne() {
            assertRejected(
                    UUID_A + ":1-9223372036854775808",
                    39,
                    "transaction number 9223372036854775808 is too large: the largest is " + MAX);
        }

        @Test
        void rejectsAnIntervalThatEndsBeforeItStarts() {
            assertRejected(UUID_A + ":1:5-3", 39, "interval 5-3 ends before it starts");
        }

        @Test
        void rejectsAnEmptyEntryBetweenCommas() {
            assertRejected(UUID_A + ":1,," + UUID_B + ":2", 39, "expected a UUID like");
        }

        @Test
        void rejectsATrailingComma() {
            assertRejected(
                    UUID_A + ":1,",
                    39,
                    "expected a UUID like 3e11fa47-71ca-11e1-9e33-c80aa9429562, " + "found the end of the text");
        }

        @Test
        void rejectsATagWithCharactersOtherThanLettersDigitsAndUnderscores() {
            assertRejected(
                    UUID_A + ":tag-a:1", 37, "tag 'tag-a' may hold only the letters a-z, digits and underscores");
        }

        @Test
        void rejectsATagLongerThanThirtyTwoCharacters() {
            String tooLong = "t".repeat(33);

            assertRejected(UUID_A + ":" + tooLong + ":1", 37, "tag '" + tooLong + "' is longer than 32 characters");
        }

        @Test
        void rejectsATagWithoutIntervals() {
            assertRejected(UUID_A + ":tag", 40, "expected an interval like 1-5 after tag 'tag'");
            assertRejected(UUID_A + ":a:b:1", 37, "tag 'a' has no interval after it");
        }

        @Test
        void rejectsGarbageAfterAnInterval() {
            assertRejected(UUID_A + ":1-5 x", 41, "found 'x'");
        }

        @Test
        void quotesTheInputOnOneLineAndCountsCharactersFromOne() {
            String text = UUID_A + ":1,\n" + UUID_B + ":1-x";

            assertThatExceptionOfType(GtidFormatException.class)
                    .isThrownBy(() -> MysqlGtidSet.parse(text))
                    .withMessage("malformed MySQL GTID set '" + UUID_A + ":1,\\n" + UUID_B + ":1-x' at character 80: "
                            + "expected a transaction number, found 'x'");
        }

        @Test
        void shortensAVeryLongInputAroundTheError() {
            StringBuilder text = new StringBuilder(UUID_A + ":1");
            for (int i = 0; i < 200; i++) {
                text.append(':').append(2 * i + 3);
            }
            text.append(":oops-");
            String input = text.toString();

            GtidFormatException error = parseError(input);

            assertThat(error.input()).isEqualTo(input);
            assertThat(error.getMessage()).hasSizeLessThan(300).contains("…").contains("oops-");
        }

        @Test
        void refusesNull() {
            assertThatNullPointerException().isThrownBy(() -> MysqlGtidSet.parse(null));
        }

        private void assertRejected(String text, int offset, String problem) {
            GtidFormatException error = parseError(text);

            assertThat(error.input()).isEqualTo(text);
            assertThat(error.errorOffset()).isEqualTo(offset);
            assertThat(error.problem()).contains(problem);
            assertThat(error.getMessage())
                    .startsWith("malformed MySQL GTID set '" + text.replace("\n", "\\n") + "' at character "
                            + (offset + 1) + ": ")
                    .contains(problem);
        }

        private GtidFormatException parseError(String text) {
            return catchThrowableOfType(GtidFormatException.class, () -> MysqlGtidSet.parse(text));
        }
    }

    @Nested
    class Building {

        @Test
        void buildsTheSameSetAsTheTextSays() {
            MysqlGtidSet built = MysqlGtidSet.builder()
                    .add(UUID_A.toUpperCase(), 7, 9)
                    .add(UUID_A, 1, 5)
                    .add(UUID_A, "T", 2, 2)
                    .build();

            assertThat(built).isEqualTo(MysqlGtidSet.parse(UUID_A + ":1-5:7-9:t:2"));
            assertThat(built.hashCode())
                    .isEqualTo(MysqlGtidSet.parse(UUID_A + ":1-5:7-9:t:2").hashCode());
        }

        @Test
        void refusesWhatTheParserRefuses() {
            MysqlGtidSet.Builder builder = MysqlGtidSet.builder();

            assertThatIllegalArgumentException()
                    .isThrownBy(() -> builder.add("not-a-uuid", 1, 2))
                    .withMessageContaining("not-a-uuid");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> builder.add(UUID_A, "9lives", 1, 2))
                    .withMessageContaining("9lives");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> builder.add(UUID_A, 0, 2))
                    .withMessageContaining("0-2");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> builder.add(UUID_A, 5, 3))
                    .withMessageContaining("5-3");
        }
    }
}
