package io.mha4j.internal.failover;

import io.mha4j.Mha4jException;
import io.mha4j.config.Parameter;
import io.mha4j.gtid.GtidSet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the elected new master to what the latest replica has, by replicating from it by GTID.
 * Replication copies everything the new master lacks, so a source holding errant transactions
 * would hand them on: under {@code errant_transactions=refuse} the source is the latest replica
 * without errant transactions, and what only an errant replica has comes from the dead master's
 * binary logs (the compensation that follows) or not at all. It leaves the new master
 * replicating: its caller stops that on every path, caught up or not.
 */
final class CatchUp {
    private static final Logger log = LoggerFactory.getLogger(CatchUp.class);
    private final FailoverSetup setup;
    private final ErrantTransactions errant;

    CatchUp(FailoverSetup setup, ErrantTransactions errant) {
        this.setup = setup;
        this.errant = errant;
    }

    /**
     * @return the survivor whose received position the new master now holds everything of: where
     *     reading the dead master's binary logs starts
     */
    Survivor run(Survivor winner, Survivor latest, List<Survivor> survivors) {
        if (Candidates.executed(winner).contains(Candidates.clean(latest, errant))) {
            return latest;
        }
        Optional<Survivor> source = sourceFor(winner, latest, survivors);
        if (source.isEmpty()) {
            return winner;
        }
        Survivor from = source.get();
        GtidSet target = Candidates.clean(from, errant);
        if (!from.state().logBin() || !from.state().logReplicaUpdates()) {
            throw new Mha4jException("cannot catch " + winner.name() + " up from " + from.name() + ": it does not"
                    + " write replicated transactions to its binary log (log_bin/log_slave_updates)");
        }
        log.info(
                "{}: catching up from {} by GTID (lacks {})",
                winner.name(),
                from.name(),
                target.subtract(Candidates.executed(winner)));
        Duration readTimeout = Survivor.readTimeout(setup.config());
        // Only its STOP SLAVE and CHANGE MASTER may take longer: a poll is answered at once.
        winner.bounded(winner.stopReplicationBound(readTimeout), () -> {
            setup.follow(winner.connection(), setup.sourceOf(from.config(), survivors));
            return null;
        });
        winner.bounded(readTimeout, () -> {
            ReplicaProgress.awaitExecuted(setup.time(), winner, target, setup.applyTimeout(), "reach " + target);
            return null;
        });
        log.info("{}: caught up with {}", winner.name(), from.name());
        return from;
    }

    /** The latest replica, or — when it holds errant transactions — the latest of those without any. */
    private Optional<Survivor> sourceFor(Survivor winner, Survivor latest, List<Survivor> survivors) {
        GtidSet latestErrant = errant.of(latest.config().block(), Candidates.executed(latest));
        if (latestErrant.isEmpty()
                || "allow"
                        .equals(setup.config()
                                .get(Parameter.ERRANT_TRANSACTIONS)
                                .orElse("refuse"))) {
            return Optional.of(latest);
        }
        List<Survivor> clean = survivors.stream()
                .filter(s -> s == winner
                        || errant.of(s.config().block(), Candidates.executed(s)).isEmpty())
                .toList();
        Optional<Survivor> best = Candidates.latestOf(clean, errant).filter(s -> s != winner);
        GtidSet onlyThere = Candidates.clean(latest, errant)
                .subtract(best.map(Candidates::executed).orElse(Candidates.executed(winner)));
        log.warn(
                "{}: the latest replica {} holds errant transactions {}, so nothing is copied from it; {}; what only"
                        + " it has ({}) must come from the dead master's binary logs",
                winner.name(),
                latest.name(),
                latestErrant,
                best.map(b -> "catching up from " + b.name() + " instead")
                        .orElse("no other replica has more than " + winner.name()),
                onlyThere);
        return best;
    }
}
