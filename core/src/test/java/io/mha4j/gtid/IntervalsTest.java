package io.mha4j.gtid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Checks the interval arithmetic against the obvious model, a {@link TreeSet} of every number.
 * The algebra laws in {@link GtidSetLaws} would also hold for an implementation that is wrong
 * in a consistent way; this comparison would not.
 */
class IntervalsTest {

    @Law
    void unionHoldsTheNumbersOfEither(long seed) {
        Random random = new Random(seed);
        List<long[]> a = intervals(random);
        List<long[]> b = intervals(random);

        TreeSet<Long> expected = model(a);
        expected.addAll(model(b));

        assertThat(numbers(build(a).union(build(b)))).isEqualTo(expected);
    }

    @Law
    void intersectHoldsTheNumbersOfBoth(long seed) {
        Random random = new Random(seed);
        List<long[]> a = intervals(random);
        List<long[]> b = intervals(random);

        TreeSet<Long> expected = model(a);
        expected.retainAll(model(b));

        assertThat(numbers(build(a).intersect(build(b)))).isEqualTo(expected);
    }

    @Law
    void subtractHoldsTheNumbersOfTheFirstThatAreNotInTheSecond(long seed) {
        Random random = new Random(seed);
        List<long[]> a = intervals(random);
        List<long[]> b = intervals(random);

        TreeSet<Long> expected = model(a);
        expected.removeAll(model(b));

        assertThat(numbers(build(a).subtract(build(b)))).isEqualTo(expected);
    }

    @Law
    void containsAllMatchesTheModel(long seed) {
        Random random = new Random(seed);
        List<long[]> a = intervals(random);
        List<long[]> b = intervals(random);

        assertThat(build(a).containsAll(build(b))).isEqualTo(model(a).containsAll(model(b)));
    }

    @Law
    void countMatchesTheModel(long seed) {
        Random random = new Random(seed);
        List<long[]> a = intervals(random);

        assertThat(build(a).count()).isEqualTo(model(a).size());
    }

    @Law
    void intervalsAreKeptSortedAndNeverTouch(long seed) {
        Random random = new Random(seed);
        List<long[]> a = intervals(random);
        List<long[]> b = intervals(random);

        for (Intervals result : List.of(
                build(a), build(a).union(build(b)), build(a).subtract(build(b)), build(a).intersect(build(b)))) {
            for (int i = 0; i < result.size(); i++) {
                assertThat(result.first(i)).isLessThanOrEqualTo(result.last(i));
                if (i > 0) {
                    assertThat(result.first(i)).isGreaterThan(result.last(i - 1) + 1);
                }
            }
        }
    }

    @Test
    void handlesIntervalsEndingAtTheLargestLong() {
        Intervals top = Intervals.closed(Long.MAX_VALUE - 2, Long.MAX_VALUE);
        Intervals last = Intervals.closed(Long.MAX_VALUE, Long.MAX_VALUE);

        assertThat(top.subtract(last)).isEqualTo(Intervals.closed(Long.MAX_VALUE - 2, Long.MAX_VALUE - 1));
        assertThat(top.subtract(top).isEmpty()).isTrue();
        assertThat(last.union(Intervals.closed(Long.MAX_VALUE - 1, Long.MAX_VALUE - 1)))
                .isEqualTo(Intervals.closed(Long.MAX_VALUE - 1, Long.MAX_VALUE));
        assertThat(top.containsAll(last)).isTrue();
        assertThat(Intervals.closed(1, Long.MAX_VALUE).count()).isEqualTo(Long.MAX_VALUE);
    }

    /** Up to 6 intervals in 1..70, often overlapping or touching. */
    private static List<long[]> intervals(Random random) {
        List<long[]> intervals = new java.util.ArrayList<>();
        for (int i = random.nextInt(7); i > 0; i--) {
            intervals.add(GtidSetGenerators.smallInterval(random, 60, 10));
        }
        return intervals;
    }

    private static Intervals build(List<long[]> intervals) {
        Intervals.Builder builder = new Intervals.Builder();
        intervals.forEach(interval -> builder.add(interval[0], interval[1]));
        return builder.build();
    }

    private static TreeSet<Long> model(List<long[]> intervals) {
        TreeSet<Long> numbers = new TreeSet<>();
        intervals.forEach(interval -> {
            for (long n = interval[0]; n <= interval[1]; n++) {
                numbers.add(n);
            }
        });
        return numbers;
    }

    private static TreeSet<Long> numbers(Intervals intervals) {
        TreeSet<Long> numbers = new TreeSet<>();
        for (int i = 0; i < intervals.size(); i++) {
            for (long n = intervals.first(i); n <= intervals.last(i); n++) {
                numbers.add(n);
            }
        }
        return numbers;
    }
}
