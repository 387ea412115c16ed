package io.mha4j.failover;

import io.mha4j.gtid.GtidSet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link io.mha4j.DataCompensator} recovered, whether it could look at all, and where its
 * time went.
 *
 * <p>Two results apply nothing and must never be confused: the dead master's binary logs were
 * read and held nothing the latest replica lacked ({@code checked}, nothing lost), or they could
 * not be read (the host refuses SSH and no binlog server has them, wrong {@code
 * master_binlog_dir}, no permission, purged) or were not asked for ({@code data_compensator=none},
 * {@code --skip_save_master_binlog}): then what the latest replica had not received is unknown
 * and may be lost, and the failover says so loudly ({@link FailoverReport#possibleLoss()}).
 *
 * @param source where the events came from, e.g. {@code binary logs of 127.0.0.1:3306 (mysql-bin.000003)}
 * @param applied the GTIDs applied to the new master; empty when nothing was missing or nothing could be read
 * @param savedEvents the file the saved events were kept in, on the manager
 * @param note why nothing was applied, or anything a human should know
 * @param checked whether the dead master's binary logs (or a binlog server's copy) were read from
 *     the latest replica's position to their end, so that {@code applied} is everything the dead
 *     master had beyond it
 * @param steps what the compensation did, in order, each with how long it took: where its time went —
 *     {@code connect} (SSH connection and warm shell, or their reuse), {@code locate} (listing the
 *     binary logs), {@code tool} (the binlog tool printing the missing transactions, streamed to the
 *     manager; with {@code merge_recovered_transactions=1} also rewritten, as they arrive, to commit as
 *     few transactions), {@code replay} (the client applying them to the new master), {@code verify} (the new
 *     master's GTIDs checked); a custom compensator names its own
 */
public record Compensation(
        String source,
        Optional<GtidSet> applied,
        Optional<String> savedEvents,
        String note,
        boolean checked,
        List<TimedStep> steps) {

    public Compensation {
        steps = List.copyOf(steps);
    }

    /**
     * The dead master's binary logs (or a binlog server's copy) were read from the latest
     * replica's position to their end, and {@code applied} is everything they held that the new
     * master lacked ({@code checked}): no loss is possible. Only for that: a compensator that
     * could not read returns {@link #none}, one that applied part {@link #partial}, so that the
     * failover reports a possible loss. (The canonical constructor takes {@code checked}
     * explicitly; there is no shorter one, so that no result is called checked by default.)
     *
     * @param steps what it did, timed; {@code List.of()} when it did not time its work
     */
    public static Compensation checked(
            String source,
            Optional<GtidSet> applied,
            Optional<String> savedEvents,
            String note,
            List<TimedStep> steps) {
        return new Compensation(source, applied, savedEvents, note, true, steps);
    }

    /**
     * Part was applied, and the rest could not be read: the transactions the binlog tool printed to
     * their end before its output proved untrustworthy (a log it could not open, a cut stream),
     * replayed while it printed. Not {@code checked}: the failover reports that transactions after
     * {@code applied} may be lost.
     *
     * @param note why the rest could not be read, naming what was tried
     */
    public static Compensation partial(
            String source, GtidSet applied, Optional<String> savedEvents, String note, List<TimedStep> steps) {
        return new Compensation(source, Optional.of(applied), savedEvents, note, false, steps);
    }

    /**
     * Nothing was read: the binary logs could not be, or were not to be. Not {@code checked}: the
     * failover reports that transactions after the latest replica's position may be lost.
     *
     * @param note why, naming what was tried
     */
    public static Compensation none(String note) {
        return none(note, List.of());
    }

    /** Nothing was read ({@link #none(String)}), after these steps (say, a connection that failed). */
    public static Compensation none(String note, List<TimedStep> steps) {
        return new Compensation("none", Optional.empty(), Optional.empty(), note, false, steps);
    }

    /** How many transactions were applied. */
    public long transactions() {
        return applied.map(GtidSet::count).orElse(0L);
    }

    /** The steps' total: the time the compensation took. */
    public Duration took() {
        return steps.stream().map(TimedStep::took).reduce(Duration.ZERO, Duration::plus);
    }
}
