package io.mha4j.failover;

import io.mha4j.gtid.GtidSet;
import java.util.Optional;

/**
 * What a {@link io.mha4j.DataCompensator} recovered.
 *
 * @param source where the events came from, e.g. {@code binary logs of 127.0.0.1:3306 (mysql-bin.000003)}
 * @param applied the GTIDs applied to the new master; empty when nothing was missing or nothing could be read
 * @param savedEvents the file the saved events were kept in, on the manager
 * @param note why nothing was applied, or anything a human should know
 */
public record Compensation(String source, Optional<GtidSet> applied, Optional<String> savedEvents, String note) {

    public static Compensation none(String note) {
        return new Compensation("none", Optional.empty(), Optional.empty(), note);
    }

    /** How many transactions were applied. */
    public long transactions() {
        return applied.map(GtidSet::count).orElse(0L);
    }
}
