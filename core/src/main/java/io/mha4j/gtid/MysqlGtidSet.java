package io.mha4j.gtid;

import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A MySQL GTID set, as in {@code @@gtid_executed}, {@code Executed_Gtid_Set} or
 * {@code Retrieved_Gtid_Set}: for each source UUID, and since MySQL 8.4 for each tag of it, a
 * set of transaction numbers.
 *
 * <p>{@link #parse} reads what servers print: sources separated by commas with any
 * whitespace (MySQL prints {@code ",\n"}), upper- or lower-case UUIDs, single numbers and
 * ranges in any order, overlapping or adjacent. Tagged GTIDs are written
 * {@code uuid:tag:1-5}; a tag applies to the intervals after it up to the next tag, so
 * {@code uuid:1-3:tag_a:1-5:7:tag_b:2} holds untagged 1-3, {@code tag_a} 1-5 and 7, and
 * {@code tag_b} 2. A tag is 1 to 32 letters, digits and underscores, starting with a letter
 * or underscore, and case-insensitive. Transaction numbers run from 1 to
 * 2<sup>63</sup>−1.
 *
 * <p>The {@linkplain #toString() canonical text} lower-cases UUIDs and tags, sorts UUIDs,
 * lists a UUID's untagged intervals first and then its tags in sorted order, merges
 * intervals, and separates sources by a bare comma (one line, unlike the server's
 * {@code ",\n"}, so that it fits a log line). The empty set is the empty string. MySQL accepts
 * the canonical text wherever it takes a GTID set.
 */
public final class MysqlGtidSet implements GtidSet {

    private static final MysqlGtidSet EMPTY = new MysqlGtidSet(new TreeMap<>());

    static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    static final Pattern TAG = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,31}");

    /** Never holds an empty {@link Intervals}, so that map equality is set equality. */
    private final SortedMap<Source, Intervals> transactions;

    private MysqlGtidSet(SortedMap<Source, Intervals> transactions) {
        this.transactions = Collections.unmodifiableSortedMap(transactions);
    }

    /**
     * Reads a GTID set as a MySQL server prints or accepts it; blank text is the empty set.
     *
     * @throws GtidFormatException naming the input, the character and the problem
     */
    public static MysqlGtidSet parse(String text) {
        return MysqlGtidSetParser.parse(Objects.requireNonNull(text, "text"));
    }

    public static MysqlGtidSet empty() {
        return EMPTY;
    }

    /** Starts an empty set to add transactions to; handy in tests and in code that reads rows. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public MysqlGtidSet union(GtidSet other) {
        MysqlGtidSet that = sameFlavor("union", other);
        SortedMap<Source, Intervals> result = new TreeMap<>(transactions);
        that.transactions.forEach((source, numbers) -> result.merge(source, numbers, Intervals::union));
        return new MysqlGtidSet(result);
    }

    @Override
    public MysqlGtidSet subtract(GtidSet other) {
        MysqlGtidSet that = sameFlavor("subtract", other);
        SortedMap<Source, Intervals> result = new TreeMap<>();
        transactions.forEach((source, numbers) -> {
            Intervals left = numbers.subtract(that.transactions.getOrDefault(source, Intervals.EMPTY));
            if (!left.isEmpty()) {
                result.put(source, left);
            }
        });
        return new MysqlGtidSet(result);
    }

    @Override
    public MysqlGtidSet intersect(GtidSet other) {
        MysqlGtidSet that = sameFlavor("intersect", other);
        SortedMap<Source, Intervals> result = new TreeMap<>();
        transactions.forEach((source, numbers) -> {
            Intervals both = numbers.intersect(that.transactions.getOrDefault(source, Intervals.EMPTY));
            if (!both.isEmpty()) {
                result.put(source, both);
            }
        });
        return new MysqlGtidSet(result);
    }

    @Override
    public boolean contains(GtidSet other) {
        MysqlGtidSet that = sameFlavor("contains", other);
        for (Map.Entry<Source, Intervals> entry : that.transactions.entrySet()) {
            Intervals ours = transactions.get(entry.getKey());
            if (ours == null || !ours.containsAll(entry.getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The transactions of this set that {@code uuid} wrote, with any tag: what a failover
     * attributes to one server when it looks for transactions nobody else wrote.
     *
     * @throws IllegalArgumentException if {@code uuid} is not a UUID
     */
    public MysqlGtidSet only(String uuid) {
        if (!UUID.matcher(Objects.requireNonNull(uuid, "uuid")).matches()) {
            throw new IllegalArgumentException("not a UUID: '" + uuid + "'");
        }
        String lower = uuid.toLowerCase(Locale.ROOT);
        SortedMap<Source, Intervals> result = new TreeMap<>();
        transactions.forEach((source, numbers) -> {
            if (source.uuid().equals(lower)) {
                result.put(source, numbers);
            }
        });
        return new MysqlGtidSet(result);
    }

    @Override
    public boolean isEmpty() {
        return transactions.isEmpty();
    }

    @Override
    public long count() {
        long total = 0;
        for (Intervals numbers : transactions.values()) {
            total = Intervals.saturatedAdd(total, numbers.count());
        }
        return total;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MysqlGtidSet that && transactions.equals(that.transactions);
    }

    @Override
    public int hashCode() {
        return transactions.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        String uuid = null;
        for (Map.Entry<Source, Intervals> entry : transactions.entrySet()) {
            Source source = entry.getKey();
            if (!source.uuid().equals(uuid)) {
                uuid = source.uuid();
                text.append(text.length() == 0 ? "" : ",").append(uuid);
            }
            if (!source.tag().isEmpty()) {
                text.append(':').append(source.tag());
            }
            text.append(':')
                    .append(entry.getValue()
                            .join((first, last) -> first.equals(last) ? first.toString() : first + "-" + last));
        }
        return text.toString();
    }

    private MysqlGtidSet sameFlavor(String operation, GtidSet other) {
        if (Objects.requireNonNull(other, "other") instanceof MysqlGtidSet that) {
            return that;
        }
        throw FlavorMismatch.of(operation, this, other);
    }

    /**
     * A transaction source: a server UUID and a tag, the empty tag for untagged GTIDs. Both
     * are lower case, so string order is the canonical order and the empty tag sorts first.
     */
    private record Source(String uuid, String tag) implements Comparable<Source> {
        @Override
        public int compareTo(Source other) {
            int byUuid = uuid.compareTo(other.uuid);
            return byUuid != 0 ? byUuid : tag.compareTo(other.tag);
        }
    }

    /** Collects transactions in any order; {@link #build()} merges them into a set. */
    public static final class Builder {
        private final Map<Source, Intervals.Builder> transactions = new HashMap<>();

        private Builder() {}

        /**
         * Adds the untagged transactions {@code first..last} of {@code uuid}.
         *
         * @throws IllegalArgumentException if the UUID is malformed or not
         *                                  {@code 1 ≤ first ≤ last}
         */
        public Builder add(String uuid, long first, long last) {
            return add(uuid, "", first, last);
        }

        /**
         * Adds the transactions {@code first..last} of {@code uuid} with {@code tag}; the empty
         * tag means untagged.
         *
         * @throws IllegalArgumentException if the UUID or tag is malformed or not
         *                                  {@code 1 ≤ first ≤ last}
         */
        public Builder add(String uuid, String tag, long first, long last) {
            Objects.requireNonNull(uuid, "uuid");
            Objects.requireNonNull(tag, "tag");
            if (!UUID.matcher(uuid).matches()) {
                throw new IllegalArgumentException("not a UUID: '" + uuid + "'");
            }
            if (!tag.isEmpty() && !TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("not a GTID tag (1 to 32 letters, digits or "
                        + "underscores, not starting with a digit): '" + tag + "'");
            }
            if (first < 1 || last < first) {
                throw new IllegalArgumentException(
                        "not an interval of transaction numbers: " + first + "-" + last + " (need 1 ≤ first ≤ last)");
            }
            return addChecked(uuid, tag, first, last);
        }

        /** For the parser, which has already checked every part and reports its own errors. */
        Builder addChecked(String uuid, String tag, long first, long last) {
            Source source = new Source(uuid.toLowerCase(Locale.ROOT), tag.toLowerCase(Locale.ROOT));
            transactions.computeIfAbsent(source, s -> new Intervals.Builder()).add(first, last);
            return this;
        }

        public MysqlGtidSet build() {
            if (transactions.isEmpty()) {
                return EMPTY;
            }
            SortedMap<Source, Intervals> result = new TreeMap<>();
            transactions.forEach((source, numbers) -> result.put(source, numbers.build()));
            return new MysqlGtidSet(result);
        }
    }
}
