package io.mha4j.internal.failover;

import io.mha4j.Mha4jException;
import io.mha4j.failover.Candidate;
import io.mha4j.gtid.GtidSet;
import java.util.List;
import java.util.Set;

/** The election's view of the survivors: which of them is the latest, and what each lacks. */
final class Candidates {
    private Candidates() {}

    /** The first survivor, in configuration order, that has every transaction any other has. */
    static Survivor latest(List<Survivor> survivors) {
        for (Survivor s : survivors) {
            GtidSet mine = executed(s);
            if (survivors.stream().allMatch(o -> mine.contains(executed(o)))) {
                return s;
            }
        }
        StringBuilder sb = new StringBuilder();
        survivors.forEach(s -> sb.append(sb.isEmpty() ? "" : "; ").append(s.name()).append(": ").append(executed(s)));
        throw new Mha4jException("the replicas' histories diverged (no replica has every transaction the others"
                + " have): " + sb + ". Resolve the errant transactions by hand.");
    }

    static List<Candidate> of(List<Survivor> survivors, Survivor latest, Set<String> applied) {
        GtidSet all = executed(latest);
        return survivors.stream().map(s -> {
            long missing = all.subtract(executed(s)).count();
            return new Candidate(s.config(), s.state(), missing == 0, missing, applied.contains(s.config().block()));
        }).toList();
    }

    static GtidSet executed(Survivor s) {
        return s.state().gtid().executed();
    }
}
