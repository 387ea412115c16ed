package io.mha4j.gtid;

/**
 * A set of transactions named by global transaction ids: an immutable value with the algebra
 * failover decisions need — which replica has the most, which transactions a candidate is
 * missing, which ones a replica has that the master never wrote (errant transactions).
 *
 * <p>There is one implementation per server flavor, because MySQL and MariaDB name
 * transactions differently: {@link MysqlGtidSet} ({@code uuid[:tag]:1-5}) and
 * {@link MariadbGtidSet} ({@code domain-server-seq}). Operations between the two flavors are
 * meaningless and throw {@link IllegalArgumentException} naming both sets; a {@code null}
 * argument throws {@link NullPointerException}.
 *
 * <p>Values are compared by content: two sets of one flavor are {@link Object#equals equal} when
 * their canonical texts are equal, however they were written. No operation changes a set.
 */
public sealed interface GtidSet permits MysqlGtidSet, MariadbGtidSet {

    /** Every transaction that is in this set or in {@code other}. */
    GtidSet union(GtidSet other);

    /** The transactions of this set that are not in {@code other}. */
    GtidSet subtract(GtidSet other);

    /** The transactions that are in both this set and {@code other}. */
    GtidSet intersect(GtidSet other);

    /** True when every transaction of {@code other} is also in this set. */
    boolean contains(GtidSet other);

    /**
     * True when this set holds every transaction of {@code other} and at least one more: a
     * replica with this set is strictly further along than one with {@code other}.
     *
     * <p>Defined as {@code contains(other) && !other.contains(this)}. For MySQL that is the
     * same as {@code contains(other) && !equals(other)}; for MariaDB it deliberately ignores
     * server ids, which {@link Object#equals} does not (see {@link MariadbGtidSet}).
     */
    default boolean isAheadOf(GtidSet other) {
        return contains(other) && !other.contains(this);
    }

    /** True when the set holds no transaction. */
    boolean isEmpty();

    /**
     * The number of transactions in the set, or {@link Long#MAX_VALUE} when that does not fit
     * in a {@code long} (possible only for sets no server would hold).
     */
    long count();

    /**
     * The canonical text of this set, which the same flavor's {@code parse} turns back into
     * an equal set. Equal sets have equal texts.
     */
    @Override
    String toString();
}
