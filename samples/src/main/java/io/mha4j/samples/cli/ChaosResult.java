package io.mha4j.samples.cli;

import java.util.List;

/**
 * One trial's raw result, one tab-separated line in {@code trials.tsv}.
 *
 * @param failover yes (a master was promoted), refused, failed, or no (none began)
 * @param promotionMs from the strike (kill, stop, pause, cut) to the new master first seen with
 *     {@code read_only=0} by an ordinary client; -1 without a promotion
 * @param lost acknowledged writes missing on the master at the end; -1 when it could not be read
 * @param dualWritable 100 ms rounds, from the fault on, in which two servers answered {@code read_only=0}
 *     (those in the guard's window aside)
 * @param guardWindow such rounds within a ping interval of a writable restart, before the guard fenced it
 * @param outcome ok, VIOLATED, STUCK (killed after its time budget), ERROR (the harness failed), SKIPPED
 * @param violations each failed invariant, with its numbers
 */
record ChaosResult(
        FaultPlan plan,
        String failover,
        long promotionMs,
        long lost,
        long dualWritable,
        long guardWindow,
        String outcome,
        List<String> violations,
        long seconds,
        List<String> notes) {

    static final String HEADER =
            "trial\tseed\tfault\tparameters\tfailover\tpromotion_ms\tlost\tdual_writable\tguard_window\toutcome"
                    + "\tinvariants_failed\tseconds\tnotes";

    ChaosResult {
        violations = List.copyOf(violations);
        notes = List.copyOf(notes);
    }

    static ChaosResult skipped(FaultPlan plan, String why) {
        return new ChaosResult(plan, "-", -1, -1, 0, 0, "SKIPPED", List.of(), 0, List.of(why));
    }

    boolean held() {
        return outcome.equals("ok");
    }

    boolean ran() {
        return !outcome.equals("SKIPPED");
    }

    String line() {
        return String.join(
                "\t",
                Integer.toString(plan.trial()),
                Long.toString(plan.seed()),
                plan.fault().label,
                plan.parameters(),
                failover,
                Long.toString(promotionMs),
                Long.toString(lost),
                Long.toString(dualWritable),
                Long.toString(guardWindow),
                outcome,
                violations.isEmpty() ? "-" : clean(String.join(" | ", violations)),
                Long.toString(seconds),
                notes.isEmpty() ? "-" : clean(String.join(" | ", notes)));
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ');
    }
}
