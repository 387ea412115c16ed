package io.mha4j.gtid;

import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * An immutable set of positive {@code long}s held as sorted, disjoint, non-adjacent closed
 * intervals: the transaction numbers of one MySQL source or the sequence numbers of one
 * MariaDB domain.
 *
 * <p>Because intervals never touch, two instances hold the same numbers exactly when their
 * bounds are equal, which makes {@link #equals} and {@link #hashCode} content-based for free.
 * Every operation is one linear merge over both operands.
 *
 * <p>Bounds go up to {@link Long#MAX_VALUE}; the code never computes {@code end + 1} where
 * {@code end} may be that maximum.
 */
final class Intervals {

    static final Intervals EMPTY = new Intervals(new long[0]);

    /** first0, last0, first1, last1, …; first ≤ last; first(i+1) ≥ last(i) + 2. */
    private final long[] bounds;

    private Intervals(long[] bounds) {
        this.bounds = bounds;
    }

    /** The numbers {@code first..last}; the caller has checked {@code 1 ≤ first ≤ last}. */
    static Intervals closed(long first, long last) {
        return new Intervals(new long[] {first, last});
    }

    boolean isEmpty() {
        return bounds.length == 0;
    }

    int size() {
        return bounds.length / 2;
    }

    long first(int interval) {
        return bounds[2 * interval];
    }

    long last(int interval) {
        return bounds[2 * interval + 1];
    }

    /** The highest number held; only for a non-empty set. */
    long max() {
        return bounds[bounds.length - 1];
    }

    /** True when this is exactly {@code 1..n} for some n: what a MariaDB position means. */
    boolean isOneThroughMax() {
        return bounds.length == 2 && bounds[0] == 1;
    }

    /** How many numbers are held, or {@link Long#MAX_VALUE} if that does not fit a long. */
    long count() {
        long total = 0;
        for (int i = 0; i < size(); i++) {
            total = saturatedAdd(total, last(i) - first(i) + 1);
        }
        return total;
    }

    static long saturatedAdd(long a, long b) {
        long sum = a + b;
        // Both operands are non-negative here, so overflow shows as a negative sum.
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    Intervals union(Intervals other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        Accumulator out = new Accumulator(size() + other.size());
        int i = 0;
        int j = 0;
        while (i < size() || j < other.size()) {
            boolean takeThis = j == other.size() || (i < size() && first(i) <= other.first(j));
            if (takeThis) {
                out.addSorted(first(i), last(i));
                i++;
            } else {
                out.addSorted(other.first(j), other.last(j));
                j++;
            }
        }
        return out.result();
    }

    Intervals intersect(Intervals other) {
        Accumulator out = new Accumulator(Math.min(size(), other.size()) * 2);
        int i = 0;
        int j = 0;
        while (i < size() && j < other.size()) {
            long low = Math.max(first(i), other.first(j));
            long high = Math.min(last(i), other.last(j));
            if (low <= high) {
                out.addSorted(low, high);
            }
            if (last(i) < other.last(j)) {
                i++;
            } else {
                j++;
            }
        }
        return out.result();
    }

    Intervals subtract(Intervals other) {
        if (isEmpty() || other.isEmpty()) {
            return this;
        }
        Accumulator out = new Accumulator(size() + other.size());
        int j = 0;
        for (int i = 0; i < size(); i++) {
            long from = first(i);
            long to = last(i);
            // Skip removals that end before this interval starts.
            while (j < other.size() && other.last(j) < from) {
                j++;
            }
            int k = j;
            boolean remaining = true;
            while (remaining && k < other.size() && other.first(k) <= to) {
                if (other.first(k) > from) {
                    out.addSorted(from, other.first(k) - 1);
                }
                if (other.last(k) >= to) {
                    remaining = false;
                } else {
                    from = Math.max(from, other.last(k) + 1);
                    k++;
                }
            }
            if (remaining) {
                out.addSorted(from, to);
            }
        }
        return out.result();
    }

    /** True when every number of {@code other} is also in this set. */
    boolean containsAll(Intervals other) {
        int i = 0;
        for (int j = 0; j < other.size(); j++) {
            while (i < size() && last(i) < other.first(j)) {
                i++;
            }
            // Intervals never touch, so one of ours must cover the whole of the other one.
            if (i == size() || first(i) > other.first(j) || last(i) < other.last(j)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Renders every interval with {@code format} and joins them with ':' — the separator both
     * MySQL and mha4j's MariaDB notation use between the pieces of one source.
     */
    String join(BiFunction<Long, Long, String> format) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < size(); i++) {
            if (i > 0) {
                text.append(':');
            }
            text.append(format.apply(first(i), last(i)));
        }
        return text.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Intervals that && Arrays.equals(bounds, that.bounds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bounds);
    }

    @Override
    public String toString() {
        return join((first, last) -> first.equals(last) ? first.toString() : first + "-" + last);
    }

    /**
     * Collects intervals in any order and merges overlapping or adjacent ones; parsers and
     * builders feed it what the text holds.
     */
    static final class Builder {
        private long[] pending = new long[8];
        private int length;

        /** Adds {@code first..last}; the caller has checked {@code 1 ≤ first ≤ last}. */
        Builder add(long first, long last) {
            if (length == pending.length) {
                pending = Arrays.copyOf(pending, length * 2);
            }
            pending[length++] = first;
            pending[length++] = last;
            return this;
        }

        Builder addAll(Intervals intervals) {
            for (int i = 0; i < intervals.size(); i++) {
                add(intervals.first(i), intervals.last(i));
            }
            return this;
        }

        Intervals build() {
            int count = length / 2;
            Integer[] order = new Integer[count];
            for (int i = 0; i < count; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(pending[2 * a], pending[2 * b]));
            Accumulator out = new Accumulator(count);
            for (int index : order) {
                out.addSorted(pending[2 * index], pending[2 * index + 1]);
            }
            return out.result();
        }
    }

    /** Appends intervals given in ascending order of their first number, merging as it goes. */
    private static final class Accumulator {
        private long[] bounds;
        private int length;

        Accumulator(int expectedIntervals) {
            bounds = new long[Math.max(2, expectedIntervals * 2)];
        }

        void addSorted(long first, long last) {
            // first - 1 cannot overflow (first ≥ 1), unlike last + 1 at Long.MAX_VALUE.
            if (length > 0 && first - 1 <= bounds[length - 1]) {
                bounds[length - 1] = Math.max(bounds[length - 1], last);
                return;
            }
            if (length == bounds.length) {
                bounds = Arrays.copyOf(bounds, length * 2);
            }
            bounds[length++] = first;
            bounds[length++] = last;
        }

        Intervals result() {
            return length == 0 ? EMPTY : new Intervals(Arrays.copyOf(bounds, length));
        }
    }
}
