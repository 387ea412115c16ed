package io.mha4j.gtid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

/**
 * The laws every {@link GtidSet} flavor obeys, checked over seeded random trials ({@link Law})
 * against random sets that each flavor's subclass provides. Failover decisions lean on these laws (a replica that contains
 * another is at least as far along; what one lacks is a subtraction), so they are checked as
 * laws rather than by a few examples.
 */
abstract class GtidSetLaws<S extends GtidSet> {

    /** A random set, sometimes with numbers at the top of the range. */
    abstract S set(Random random);

    /** A random set whose count cannot saturate. */
    abstract S smallSet(Random random);

    abstract S parse(String text);

    abstract S empty();

    @Law
    void parsingTheCanonicalTextGivesBackAnEqualSet(long seed) {
        Random random = new Random(seed);
        S a = set(random);

        S reparsed = parse(a.toString());

        assertThat(reparsed).isEqualTo(a);
        assertThat(reparsed.hashCode()).isEqualTo(a.hashCode());
        assertThat(reparsed.toString()).isEqualTo(a.toString());
    }

    @Law
    void unionIsCommutative(long seed) {
        Random random = new Random(seed);
        S a = set(random);
        S b = set(random);

        assertThat(a.union(b)).isEqualTo(b.union(a));
    }

    @Law
    void unionIsAssociative(long seed) {
        Random random = new Random(seed);
        S a = set(random);
        S b = set(random);
        S c = set(random);

        assertThat(a.union(b).union(c)).isEqualTo(a.union(b.union(c)));
    }

    @Law
    void unionIsIdempotent(long seed) {
        Random random = new Random(seed);
        S a = set(random);

        assertThat(a.union(a)).isEqualTo(a);
    }

    @Law
    void theEmptySetIsTheIdentityOfUnion(long seed) {
        Random random = new Random(seed);
        S a = set(random);

        assertThat(a.union(empty())).isEqualTo(a);
        assertThat(empty().union(a)).isEqualTo(a);
    }

    @Law
    void aUnionContainsBothOperands(long seed) {
        Random random = new Random(seed);
        S a = set(random);
        S b = set(random);

        GtidSet union = a.union(b);

        assertThat(union.contains(a)).isTrue();
        assertThat(union.contains(b)).isTrue();
    }

    @Law
    void containingIsHavingNothingLeftToSubtract(long seed) {
        Random random = new Random(seed);
        S a = set(random);
        S b = set(random);

        assertThat(a.contains(b)).isEqualTo(b.subtract(a).isEmpty());
    }

    @Law
    void whatIsLeftAfterSubtractingIsDisjointFromItAndFromTheLeftSide(long seed) {
        Random random = new Random(seed);
        S a = set(random);
        S b = set(random);

        GtidSet left = a.union(b).subtract(b);

        assertThat(left.intersect(b).isEmpty()).isTrue();
        assertThat(a.contains(left)).isTrue();
    }

    @Law
    void subtractingASetFromItselfLeavesNothing(long seed) {
        Random random = new Random(seed);
        S a = set(random);

        assertThat(a.subtract(a).isEmpty()).isTrue();
        assertThat(a.subtract(a)).isEqualTo(empty());
    }

    @Law
    void subtractingAndIntersectingSplitASet(long seed) {
        Random random = new Random(seed);
        S a = set(random);
        S b = set(random);

        GtidSet outside = a.subtract(b);
        GtidSet inside = a.intersect(b);

        assertThat(outside.intersect(inside).isEmpty()).isTrue();
        assertThat(outside.union(inside).contains(a)).isTrue();
        assertThat(a.contains(outside.union(inside))).isTrue();
    }

    @Law
    void intersectIsCommutative(long seed) {
        Random random = new Random(seed);
        S a = set(random);
        S b = set(random);

        assertThat(a.intersect(b)).isEqualTo(b.intersect(a));
    }

    @Law
    void anIntersectionIsContainedInBothOperands(long seed) {
        Random random = new Random(seed);
        S a = set(random);
        S b = set(random);

        GtidSet both = a.intersect(b);

        assertThat(a.contains(both)).isTrue();
        assertThat(b.contains(both)).isTrue();
    }

    @Law
    void countsFollowInclusionExclusion(long seed) {
        Random random = new Random(seed);
        S a = smallSet(random);
        S b = smallSet(random);

        assertThat(a.union(b).count())
                .isEqualTo(a.count() + b.count() - a.intersect(b).count());
    }

    @Law
    void aSetIsEmptyExactlyWhenItCountsNothing(long seed) {
        Random random = new Random(seed);
        S a = set(random);

        assertThat(a.isEmpty()).isEqualTo(a.count() == 0);
        assertThat(a.isEmpty()).isEqualTo(a.equals(empty()));
    }

    @Law
    void noSetIsAheadOfItself(long seed) {
        Random random = new Random(seed);
        S a = set(random);

        assertThat(a.isAheadOf(a)).isFalse();
    }

    @Law
    void twoSetsAreNeverAheadOfEachOther(long seed) {
        Random random = new Random(seed);
        S a = set(random);
        S b = set(random);

        assertThat(a.isAheadOf(b) && b.isAheadOf(a)).isFalse();
    }

    @Law
    void beingAheadIsContainingWithoutBeingContained(long seed) {
        Random random = new Random(seed);
        S a = set(random);
        S b = set(random);

        assertThat(a.isAheadOf(b)).isEqualTo(a.contains(b) && !b.contains(a));
    }

    @Law
    void beingAheadIsContainingAndHoldingMore(long seed) {
        Random random = new Random(seed);
        S a = smallSet(random);
        S b = smallSet(random);

        assertThat(a.isAheadOf(b)).isEqualTo(a.contains(b) && a.count() > b.count());
    }

    @Law
    void addingTransactionsPutsASetAheadUnlessItHadThemAlready(long seed) {
        Random random = new Random(seed);
        S a = set(random);
        S b = set(random);

        assertThat(a.union(b).isAheadOf(a)).isEqualTo(!a.contains(b));
    }
}
