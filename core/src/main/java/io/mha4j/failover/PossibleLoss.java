package io.mha4j.failover;

import io.mha4j.gtid.GtidSet;
import java.util.Optional;

/**
 * Transactions the dead master may have had that no survivor holds and that nobody could look
 * for: its binary logs could not be read (or were not to be), so whatever it wrote after the
 * latest replica's position may be lost. Availability comes first, so the failover still
 * promotes; this is how it says so, in the log, the report (text and JSON), the mail subject and
 * {@code report_script}'s subject and body, with the outcome {@link FailoverReport.Outcome#PARTIAL}.
 *
 * @param after what the new master held of the dead master's history when the compensation ended:
 *     the latest replica's received position, and what a compensation that had to stop applied
 *     before (for MariaDB one GTID per domain, e.g. {@code 0-1-57})
 * @param reason why the binary logs could not be read, naming what was tried
 */
public record PossibleLoss(GtidSet after, String reason) {

    /**
     * The loss a compensation leaves possible: none when it {@linkplain Compensation#checked()
     * checked}; else what follows the latest replica's position and what it applied before it had
     * to stop ({@link Compensation#partial}).
     */
    public static Optional<PossibleLoss> of(Compensation compensation, GtidSet latestReceived) {
        return compensation.checked()
                ? Optional.empty()
                : Optional.of(new PossibleLoss(
                        compensation.applied().map(latestReceived::union).orElse(latestReceived), compensation.note()));
    }

    /** {@code transactions after GTID 0-1-57}, or every transaction when no replica received any. */
    public String transactions() {
        return after.isEmpty() ? "every transaction of the dead master" : "transactions after GTID " + after;
    }

    /** One sentence for logs and reports: what may be lost, and why. */
    public String describe() {
        return transactions() + " could not be checked and may be lost: " + reason;
    }
}
