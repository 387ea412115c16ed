/**
 * GTID sets as immutable values with an algebra: {@link io.mha4j.gtid.GtidSet#union union},
 * {@link io.mha4j.gtid.GtidSet#subtract subtract}, {@link io.mha4j.gtid.GtidSet#intersect
 * intersect}, {@link io.mha4j.gtid.GtidSet#contains contains} and
 * {@link io.mha4j.gtid.GtidSet#isAheadOf isAheadOf}, which is what electing the latest replica,
 * finding what a candidate lacks and spotting errant transactions come down to.
 *
 * <p>One type and one parser per flavor: {@link io.mha4j.gtid.MysqlGtidSet} for MySQL's
 * {@code uuid[:tag]:interval} sets and {@link io.mha4j.gtid.MariadbGtidSet} for MariaDB's
 * {@code domain-server-seq} positions. Malformed text fails with a
 * {@link io.mha4j.gtid.GtidFormatException} that points at the offending character. Every value
 * is immutable and safe to share between threads.
 */
package io.mha4j.gtid;
