package io.mha4j.gtid;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The laws every {@link GtidSet} flavor obeys, run by jqwik against random sets that each
 * flavor's subclass provides. Failover decisions lean on these laws (a replica that contains
 * another is at least as far along; what one lacks is a subtraction), so they are checked as
 * laws rather than by a few examples.
 */
abstract class GtidSetLaws<S extends GtidSet> {

    /** Random sets, including numbers at the top of the range; annotate with {@code @Provide}. */
    abstract Arbitrary<S> sets();

    /** Random sets whose counts cannot saturate; annotate with {@code @Provide}. */
    abstract Arbitrary<S> smallSets();

    abstract S parse(String text);

    abstract S empty();

    @Property
    void parsingTheCanonicalTextGivesBackAnEqualSet(@ForAll("sets") S a) {
        S reparsed = parse(a.toString());

        assertThat(reparsed).isEqualTo(a);
        assertThat(reparsed.hashCode()).isEqualTo(a.hashCode());
        assertThat(reparsed.toString()).isEqualTo(a.toString());
    }

    @Property
    void unionIsCommutative(@ForAll("sets") S a, @ForAll("sets") S b) {
        assertThat(a.union(b)).isEqualTo(b.union(a));
    }

    @Property
    void unionIsAssociative(@ForAll("sets") S a, @ForAll("sets") S b, @ForAll("sets") S c) {
        assertThat(a.union(b).union(c)).isEqualTo(a.union(b.union(c)));
    }

    @Property
    void unionIsIdempotent(@ForAll("sets") S a) {
        assertThat(a.union(a)).isEqualTo(a);
    }

    @Property
    void theEmptySetIsTheIdentityOfUnion(@ForAll("sets") S a) {
        assertThat(a.union(empty())).isEqualTo(a);
        assertThat(empty().union(a)).isEqualTo(a);
    }

    @Property
    void aUnionContainsBothOperands(@ForAll("sets") S a, @ForAll("sets") S b) {
        GtidSet union = a.union(b);

        assertThat(union.contains(a)).isTrue();
        assertThat(union.contains(b)).isTrue();
    }

    @Property
    void containingIsHavingNothingLeftToSubtract(@ForAll("sets") S a, @ForAll("sets") S b) {
        assertThat(a.contains(b)).isEqualTo(b.subtract(a).isEmpty());
    }

    @Property
    void whatIsLeftAfterSubtractingIsDisjointFromItAndFromTheLeftSide(@ForAll("sets") S a, @ForAll("sets") S b) {
        GtidSet left = a.union(b).subtract(b);

        assertThat(left.intersect(b).isEmpty()).isTrue();
        assertThat(a.contains(left)).isTrue();
    }

    @Property
    void subtractingASetFromItselfLeavesNothing(@ForAll("sets") S a) {
        assertThat(a.subtract(a).isEmpty()).isTrue();
        assertThat(a.subtract(a)).isEqualTo(empty());
    }

    @Property
    void subtractingAndIntersectingSplitASet(@ForAll("sets") S a, @ForAll("sets") S b) {
        GtidSet outside = a.subtract(b);
        GtidSet inside = a.intersect(b);

        assertThat(outside.intersect(inside).isEmpty()).isTrue();
        assertThat(outside.union(inside).contains(a)).isTrue();
        assertThat(a.contains(outside.union(inside))).isTrue();
    }

    @Property
    void intersectIsCommutative(@ForAll("sets") S a, @ForAll("sets") S b) {
        assertThat(a.intersect(b)).isEqualTo(b.intersect(a));
    }

    @Property
    void anIntersectionIsContainedInBothOperands(@ForAll("sets") S a, @ForAll("sets") S b) {
        GtidSet both = a.intersect(b);

        assertThat(a.contains(both)).isTrue();
        assertThat(b.contains(both)).isTrue();
    }

    @Property
    void countsFollowInclusionExclusion(@ForAll("smallSets") S a, @ForAll("smallSets") S b) {
        assertThat(a.union(b).count()).isEqualTo(a.count() + b.count() - a.intersect(b).count());
    }

    @Property
    void aSetIsEmptyExactlyWhenItCountsNothing(@ForAll("sets") S a) {
        assertThat(a.isEmpty()).isEqualTo(a.count() == 0);
        assertThat(a.isEmpty()).isEqualTo(a.equals(empty()));
    }

    @Property
    void noSetIsAheadOfItself(@ForAll("sets") S a) {
        assertThat(a.isAheadOf(a)).isFalse();
    }

    @Property
    void twoSetsAreNeverAheadOfEachOther(@ForAll("sets") S a, @ForAll("sets") S b) {
        assertThat(a.isAheadOf(b) && b.isAheadOf(a)).isFalse();
    }

    @Property
    void beingAheadIsContainingWithoutBeingContained(@ForAll("sets") S a, @ForAll("sets") S b) {
        assertThat(a.isAheadOf(b)).isEqualTo(a.contains(b) && !b.contains(a));
    }

    @Property
    void beingAheadIsContainingAndHoldingMore(@ForAll("smallSets") S a, @ForAll("smallSets") S b) {
        assertThat(a.isAheadOf(b)).isEqualTo(a.contains(b) && a.count() > b.count());
    }

    @Property
    void addingTransactionsPutsASetAheadUnlessItHadThemAlready(@ForAll("sets") S a, @ForAll("sets") S b) {
        assertThat(a.union(b).isAheadOf(a)).isEqualTo(!a.contains(b));
    }
}
