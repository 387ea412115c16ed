package io.mha4j.internal.failover;

import io.mha4j.Mha4jException;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.Candidate;
import io.mha4j.gtid.GtidSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The election's view of the survivors: which of them is the latest, and what each lacks. Errant
 * transactions do not count: a replica is not "latest" for holding what the master never wrote.
 */
final class Candidates {
    private Candidates() {}

    /**
     * The first survivor, in configuration order, that has every transaction any other has,
     * errant ones aside.
     *
     * @throws Mha4jException when the histories diverged so that no survivor has everything
     */
    static Survivor latest(List<Survivor> survivors, ErrantTransactions errant) {
        return latestOf(survivors, errant).orElseThrow(() -> {
            StringBuilder sb = new StringBuilder();
            survivors.forEach(s -> sb.append(sb.isEmpty() ? "" : "; ")
                    .append(s.name())
                    .append(": ")
                    .append(executed(s)));
            return new Mha4jException("the replicas' histories diverged (no replica has every transaction the"
                    + " others have): " + sb + ". Resolve the errant transactions by hand.");
        });
    }

    /** {@link #latest}, empty when the histories diverged. */
    static Optional<Survivor> latestOf(List<Survivor> survivors, ErrantTransactions errant) {
        for (Survivor s : survivors) {
            GtidSet mine = clean(s, errant);
            if (survivors.stream().allMatch(o -> mine.contains(clean(o, errant)))) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Candidates without errant transactions (the online switch, where the master is alive to compare with). */
    static List<Candidate> of(List<Survivor> survivors, Survivor latest, Set<String> applied) {
        return of(survivors, latest, applied, ErrantTransactions.NONE);
    }

    static List<Candidate> of(
            List<Survivor> survivors, Survivor latest, Set<String> applied, ErrantTransactions errant) {
        GtidSet all = clean(latest, errant);
        return survivors.stream()
                .map(s -> {
                    long missing = all.subtract(executed(s)).count();
                    return new Candidate(
                            s.config(),
                            s.state(),
                            missing == 0,
                            missing,
                            applied.contains(s.config().block()),
                            errant.of(s.config().block(), executed(s)));
                })
                .toList();
    }

    static GtidSet executed(Survivor s) {
        return s.state().gtid().executed();
    }

    /**
     * Whether {@code s}'s replication source is {@code master} by address (or hostname) and port;
     * its threads may be stopped.
     */
    static boolean sourceIs(Survivor s, ServerConfig master) {
        return s.state()
                .replica()
                .filter(r -> r.sourcePort() == master.port()
                        && (r.sourceHost().equals(master.address())
                                || r.sourceHost().equals(master.hostname())))
                .isPresent();
    }

    /** What {@code s} executed, its errant transactions aside. */
    static GtidSet clean(Survivor s, ErrantTransactions errant) {
        return errant.clean(s.config().block(), executed(s));
    }
}
