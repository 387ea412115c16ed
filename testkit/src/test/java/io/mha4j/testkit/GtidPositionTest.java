package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GtidPositionTest {

    @Test
    void sequencesAreComparedAsNumbersNotStrings() {
        assertThat(GtidPosition.parse("0-1-10").covers(GtidPosition.parse("0-1-9")))
                .isTrue();
        assertThat(GtidPosition.parse("0-1-9").covers(GtidPosition.parse("0-1-10")))
                .isFalse();
    }

    @Test
    void everyDomainOfTheTargetMustBeReached() {
        GtidPosition replica = GtidPosition.parse("0-1-100,1-2-5");

        assertThat(replica.covers(GtidPosition.parse("0-1-100,1-2-5"))).isTrue();
        assertThat(replica.covers(GtidPosition.parse("0-1-99"))).isTrue();
        assertThat(replica.covers(GtidPosition.parse("0-1-100,1-2-6"))).isFalse();
        assertThat(replica.covers(GtidPosition.parse("0-1-1,2-3-1"))).isFalse();
    }

    @Test
    void theServerIdDoesNotMatterWithinADomain() {
        assertThat(GtidPosition.parse("0-2-12").covers(GtidPosition.parse("0-1-11")))
                .isTrue();
    }

    @Test
    void emptyAndNullAreTheEmptyPositionWhichEverythingCovers() {
        assertThat(GtidPosition.parse("")).isEqualTo(GtidPosition.parse(null));
        assertThat(GtidPosition.parse("").covers(GtidPosition.parse(" "))).isTrue();
        assertThat(GtidPosition.parse("").covers(GtidPosition.parse("0-1-1"))).isFalse();
    }

    @Test
    void unionKeepsTheHighestSequencePerDomain() {
        GtidPosition union = GtidPosition.parse("0-1-5,1-1-9").union(GtidPosition.parse("0-2-7, 2-3-1"));

        assertThat(union).isEqualTo(GtidPosition.parse("0-2-7,1-1-9,2-3-1"));
    }

    @Test
    void garbageIsRejectedWithTheOffendingText() {
        assertThatThrownBy(() -> GtidPosition.parse("0-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'0-1'");
        assertThatThrownBy(() -> GtidPosition.parse("3E11B33B-0000:1-5")).isInstanceOf(IllegalArgumentException.class);
    }
}
