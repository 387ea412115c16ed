package io.mha4j.gtid;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * A MariaDB GTID set: for each replication domain, a set of sequence numbers, plus the server
 * id of the domain's highest sequence number.
 *
 * <h2>Model</h2>
 * MariaDB names a transaction {@code domain-server-seq}. Its position variables
 * ({@code gtid_binlog_pos}, {@code gtid_current_pos}, {@code gtid_slave_pos},
 * {@code Gtid_IO_Pos}) hold one GTID per domain, and under {@code gtid_strict_mode} sequence
 * numbers grow without reuse within a domain, so {@code 0-1-100} means "transactions 1 to 100
 * of domain 0". This class takes that reading: a transaction is identified by
 * {@code (domain, seq)}, and {@link #union}, {@link #subtract}, {@link #intersect} and
 * {@link #contains} work on sequence numbers per domain. Domain ids and server ids are
 * unsigned 32-bit; sequence numbers run from 1 to 2<sup>63</sup>−1 (MariaDB allows up to
 * 2<sup>64</sup>−1; larger ones are rejected with a message saying so).
 *
 * <h2>Server ids</h2>
 * A server id is kept per domain only to render a position the server accepts: it is the
 * server id of the domain's highest sequence number. {@link #union} keeps the id of the side
 * with the higher last sequence number; {@link #intersect} that of the side whose last
 * sequence number survives; {@link #subtract} that of this set. When both sides end on the
 * same number with different ids — which under strict mode means the histories diverged — the
 * lower id is kept, so that the operations stay commutative. {@link #equals} compares server
 * ids, {@link #contains} does not: {@code 0-1-100} and {@code 0-2-100} contain each other but
 * are not equal, and neither {@link #isAheadOf} the other. Detecting such divergence is the
 * caller's job: compare {@link #serverIdOf} of domains with equal {@link #lastSeq}.
 *
 * <h2>Text</h2>
 * {@link #parse} accepts positions ({@code 0-1-100,1-2-7}, empty text for the empty set),
 * {@code gtid_binlog_state}-style lists with several entries per domain (a domain's position
 * is then its highest sequence number, with that entry's server id), and whitespace anywhere
 * between tokens. A set that is not a {@linkplain #isPosition() position} — say transactions
 * 101 to 105 of domain 0, the result of a subtraction — has no MariaDB text, so mha4j writes
 * it in its own notation: {@code 0-1-101..105} for a range, {@code 0-1-3..5:7..7:9..12} for
 * several pieces of one domain, the server id being that of the highest sequence number.
 * <strong>This notation is mha4j's own; MariaDB does not accept it.</strong> {@link #parse}
 * reads it back; {@link #toServerPosition()} refuses to produce it.
 *
 * <p>The {@linkplain #toString() canonical text} lists domains in ascending order, separated by
 * a bare comma; each domain is {@code d-s-n} when it holds exactly 1 to n, and the mha4j
 * notation otherwise.
 */
public final class MariadbGtidSet implements GtidSet {

    static final long MAX_ID = 0xFFFF_FFFFL;

    private static final MariadbGtidSet EMPTY = new MariadbGtidSet(new TreeMap<>());

    /** Never holds a domain with no sequence numbers, so that map equality is set equality. */
    private final NavigableMap<Long, Domain> domains;

    private MariadbGtidSet(TreeMap<Long, Domain> domains) {
        this.domains = Collections.unmodifiableNavigableMap(domains);
    }

    /**
     * Reads a MariaDB position, a {@code gtid_binlog_state}-style list, or mha4j's notation for
     * sets that are not positions; blank text is the empty set.
     *
     * @throws GtidFormatException naming the input, the character and the problem
     */
    public static MariadbGtidSet parse(String text) {
        return MariadbGtidSetParser.parse(Objects.requireNonNull(text, "text"));
    }

    public static MariadbGtidSet empty() {
        return EMPTY;
    }

    /** Starts an empty set to add transactions to; handy in tests and in code that reads rows. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public MariadbGtidSet union(GtidSet other) {
        MariadbGtidSet that = sameFlavor("union", other);
        TreeMap<Long, Domain> result = new TreeMap<>(domains);
        that.domains.forEach((id, domain) -> result.merge(id, domain, Domain::union));
        return new MariadbGtidSet(result);
    }

    @Override
    public MariadbGtidSet subtract(GtidSet other) {
        MariadbGtidSet that = sameFlavor("subtract", other);
        TreeMap<Long, Domain> result = new TreeMap<>();
        domains.forEach((id, domain) -> {
            Domain removed = that.domains.get(id);
            Intervals left = removed == null ? domain.seqs() : domain.seqs().subtract(removed.seqs());
            if (!left.isEmpty()) {
                result.put(id, new Domain(left, domain.serverId()));
            }
        });
        return new MariadbGtidSet(result);
    }

    @Override
    public MariadbGtidSet intersect(GtidSet other) {
        MariadbGtidSet that = sameFlavor("intersect", other);
        TreeMap<Long, Domain> result = new TreeMap<>();
        domains.forEach((id, domain) -> {
            Domain theirs = that.domains.get(id);
            if (theirs != null) {
                domain.intersect(theirs).ifPresent(both -> result.put(id, both));
            }
        });
        return new MariadbGtidSet(result);
    }

    @Override
    public boolean contains(GtidSet other) {
        MariadbGtidSet that = sameFlavor("contains", other);
        for (Map.Entry<Long, Domain> entry : that.domains.entrySet()) {
            Domain ours = domains.get(entry.getKey());
            if (ours == null || !ours.seqs().containsAll(entry.getValue().seqs())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean isEmpty() {
        return domains.isEmpty();
    }

    @Override
    public long count() {
        long total = 0;
        for (Domain domain : domains.values()) {
            total = Intervals.saturatedAdd(total, domain.seqs().count());
        }
        return total;
    }

    /** The domain ids that hold at least one transaction, ascending. */
    public SortedSet<Long> domains() {
        return domains.navigableKeySet();
    }

    /** The highest sequence number of {@code domain}, or empty if the set has none there. */
    public OptionalLong lastSeq(long domain) {
        Domain found = domains.get(domain);
        return found == null
                ? OptionalLong.empty()
                : OptionalLong.of(found.seqs().max());
    }

    /**
     * The server id of {@code domain}'s highest sequence number (see the class comment on how
     * operations choose it), or empty if the set has no transaction in that domain.
     */
    public OptionalLong serverIdOf(long domain) {
        Domain found = domains.get(domain);
        return found == null ? OptionalLong.empty() : OptionalLong.of(found.serverId());
    }

    /**
     * True when every domain holds exactly the sequence numbers 1 to n: the only sets a server
     * can take, e.g. in {@code SET GLOBAL gtid_slave_pos} or {@code MASTER_GTID_WAIT}. The
     * empty set is a position.
     */
    public boolean isPosition() {
        return domains.values().stream().allMatch(domain -> domain.seqs().isOneThroughMax());
    }

    /**
     * The text a MariaDB server accepts as a GTID position, such as {@code 0-1-100,1-2-7}.
     *
     * @throws IllegalStateException if this set is not a {@linkplain #isPosition() position}
     *                               (its canonical text would be mha4j's notation, which no
     *                               server accepts)
     */
    public String toServerPosition() {
        for (Map.Entry<Long, Domain> entry : domains.entrySet()) {
            Intervals seqs = entry.getValue().seqs();
            if (!seqs.isOneThroughMax()) {
                throw new IllegalStateException("MariaDB GTID set " + Quoting.whole(toString())
                        + " is not a position a server can take: domain " + entry.getKey()
                        + " does not hold every sequence number from 1 to " + seqs.max());
            }
        }
        return toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MariadbGtidSet that && domains.equals(that.domains);
    }

    @Override
    public int hashCode() {
        return domains.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        domains.forEach((id, domain) -> {
            text.append(text.length() == 0 ? "" : ",")
                    .append(id)
                    .append('-')
                    .append(domain.serverId())
                    .append('-');
            if (domain.seqs().isOneThroughMax()) {
                text.append(domain.seqs().max());
            } else {
                text.append(domain.seqs().join((first, last) -> first + ".." + last));
            }
        });
        return text.toString();
    }

    private MariadbGtidSet sameFlavor(String operation, GtidSet other) {
        if (Objects.requireNonNull(other, "other") instanceof MariadbGtidSet that) {
            return that;
        }
        throw FlavorMismatch.of(operation, this, other);
    }

    /** The sequence numbers of one domain and the server id of the highest one. */
    private record Domain(Intervals seqs, long serverId) {

        Domain union(Domain other) {
            long ourLast = seqs.max();
            long theirLast = other.seqs.max();
            long serverId = ourLast == theirLast
                    ? Math.min(serverId(), other.serverId)
                    : ourLast > theirLast ? serverId() : other.serverId;
            return new Domain(seqs.union(other.seqs), serverId);
        }

        Optional<Domain> intersect(Domain other) {
            Intervals both = seqs.intersect(other.seqs);
            if (both.isEmpty()) {
                return Optional.empty();
            }
            // Whoever's last number survives knows its server id; otherwise nobody does.
            boolean oursSurvives = seqs.max() == both.max();
            boolean theirsSurvives = other.seqs.max() == both.max();
            long serverId = oursSurvives == theirsSurvives
                    ? Math.min(serverId(), other.serverId)
                    : oursSurvives ? serverId() : other.serverId;
            return Optional.of(new Domain(both, serverId));
        }
    }

    /**
     * Collects transactions in any order; {@link #build()} merges them as {@link #union}
     * would, so a domain's server id is that of its highest sequence number.
     */
    public static final class Builder {
        private final Map<Long, PendingDomain> domains = new TreeMap<>();

        private Builder() {}

        /**
         * Adds the position {@code domain-serverId-lastSeq}: sequence numbers 1 to
         * {@code lastSeq} of {@code domain}.
         *
         * @throws IllegalArgumentException if an id is outside 0..2^32-1 or
         *                                  {@code lastSeq < 1}
         */
        public Builder add(long domain, long serverId, long lastSeq) {
            return addRange(domain, serverId, 1, lastSeq);
        }

        /**
         * Adds sequence numbers {@code firstSeq..lastSeq} of {@code domain}, the highest of
         * them written by {@code serverId}.
         *
         * @throws IllegalArgumentException if an id is outside 0..2^32-1 or not
         *                                  {@code 1 ≤ firstSeq ≤ lastSeq}
         */
        public Builder addRange(long domain, long serverId, long firstSeq, long lastSeq) {
            requireId("domain id", domain);
            requireId("server id", serverId);
            if (firstSeq < 1 || lastSeq < firstSeq) {
                throw new IllegalArgumentException(
                        "not a range of sequence numbers: " + firstSeq + ".." + lastSeq + " (need 1 ≤ first ≤ last)");
            }
            return addChecked(domain, serverId, firstSeq, lastSeq);
        }

        /** For the parser, which has already checked every part and reports its own errors. */
        Builder addChecked(long domain, long serverId, long firstSeq, long lastSeq) {
            domains.computeIfAbsent(domain, id -> new PendingDomain()).add(serverId, firstSeq, lastSeq);
            return this;
        }

        public MariadbGtidSet build() {
            if (domains.isEmpty()) {
                return EMPTY;
            }
            TreeMap<Long, Domain> result = new TreeMap<>();
            domains.forEach((id, pending) -> result.put(id, pending.build()));
            return new MariadbGtidSet(result);
        }

        private static void requireId(String what, long id) {
            if (id < 0 || id > MAX_ID) {
                throw new IllegalArgumentException(what + " " + id + " is outside 0.." + MAX_ID);
            }
        }
    }

    /** A domain being built; picks the server id exactly as {@link Domain#union} would. */
    private static final class PendingDomain {
        private final Intervals.Builder seqs = new Intervals.Builder();
        private long lastSeq;
        private long serverId;

        void add(long serverId, long firstSeq, long lastSeq) {
            seqs.add(firstSeq, lastSeq);
            if (lastSeq > this.lastSeq || (lastSeq == this.lastSeq && serverId < this.serverId)) {
                this.lastSeq = lastSeq;
                this.serverId = serverId;
            }
        }

        Domain build() {
            return new Domain(seqs.build(), serverId);
        }
    }
}
