package io.mha4j.failover;

import io.mha4j.gtid.GtidSet;
import java.util.Optional;

/**
 * What a {@link io.mha4j.DataCompensator} recovered, and whether it could look at all.
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
 */
public record Compensation(String source, Optional<GtidSet> applied, Optional<String> savedEvents, String note,
        boolean checked) {

    /** A compensation that read the dead master's binary logs ({@code checked}). */
    public Compensation(String source, Optional<GtidSet> applied, Optional<String> savedEvents, String note) {
        this(source, applied, savedEvents, note, true);
    }

    /**
     * Nothing was read: the binary logs could not be, or were not to be. Not {@code checked}: the
     * failover reports that transactions after the latest replica's position may be lost.
     *
     * @param note why, naming what was tried
     */
    public static Compensation none(String note) {
        return new Compensation("none", Optional.empty(), Optional.empty(), note, false);
    }

    /** How many transactions were applied. */
    public long transactions() {
        return applied.map(GtidSet::count).orElse(0L);
    }
}
