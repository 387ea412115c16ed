package io.mha4j.internal.failover;

import io.mha4j.failover.Compensation;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.PhaseTiming;
import io.mha4j.failover.ReplicaOutcome;
import java.util.Locale;

/**
 * A {@link FailoverReport} for humans, in the layout of MHA's "Failover Report" (the first
 * lines are MHA's), followed by what MHA does not say: each phase's duration, why the new
 * master won and the others lost, and the transactions recovered.
 */
public final class ReportText {
    private ReportText() {}

    /** In the spirit of MHA's send_report: {@code app1: MySQL Master failover <old> to <new> succeeded}. */
    public static String subject(FailoverReport r) {
        return r.application() + ": MySQL Master failover " + r.deadMaster()
                + r.newMaster().map(n -> " to " + n).orElse("") + " " + outcome(r.outcome());
    }

    private static String outcome(FailoverReport.Outcome o) {
        return switch (o) {
            case SUCCEEDED -> "succeeded";
            case PARTIAL -> "done, but some replicas were not recovered";
            case REFUSED -> "refused (nothing was changed)";
            case FAILED -> "failed";
        };
    }

    public static String render(FailoverReport r) {
        StringBuilder t = new StringBuilder();
        t.append("----- Failover Report -----\n\n");
        t.append(subject(r)).append("\n\n");
        t.append("Master ").append(r.deadMaster()).append(" is down!\n\n");
        for (PhaseTiming p : r.phases()) {
            t.append(String.format(Locale.ROOT, "%-40s %6d ms  %s%n", p.phase().title() + ":", p.duration().toMillis(),
                    p.result()));
        }
        t.append('\n');
        r.newMaster().ifPresentOrElse(
                n -> t.append("Selected ").append(n).append(" as a new master: ").append(r.electionReason()).append(".\n"),
                () -> t.append("No new master: ").append(r.electionReason()).append('\n'));
        r.losers().forEach((block, why) -> t.append("  [").append(block).append("] not selected: ").append(why)
                .append('\n'));
        r.compensation().ifPresent(c -> compensation(t, c));
        r.newMaster().ifPresent(n -> t.append(n).append(": OK: Applying all logs succeeded.\n"));
        for (ReplicaOutcome o : r.replicas()) {
            t.append(o.server()).append(o.recovered() ? ": OK: " : ": ERROR: ").append(o.detail()).append('\n');
        }
        if (r.outcome().promoted()) {
            t.append("Master failover to ").append(r.newMaster().orElseThrow())
                    .append(r.outcome() == FailoverReport.Outcome.SUCCEEDED ? " completed successfully.\n"
                            : " completed, but some replicas were not recovered.\n");
        }
        r.rejoinStatement().ifPresent(s -> t.append("All other slaves should start replication from here. Statement"
                + " should be: ").append(s).append('\n'));
        if (!r.errors().isEmpty()) {
            t.append("\nErrors:\n");
            r.errors().forEach(e -> t.append("  ").append(e).append('\n'));
        }
        t.append(String.format(Locale.ROOT, "%nTotal: %d ms (%s to %s)%n", r.duration().toMillis(), r.startedAt(),
                r.endedAt()));
        return t.toString();
    }

    private static void compensation(StringBuilder t, Compensation c) {
        if (c.applied().isPresent()) {
            t.append("Recovered ").append(c.transactions()).append(" transaction(s) only the dead master had: ")
                    .append(c.applied().get()).append(" (").append(c.source()).append(")\n");
        } else {
            t.append("Recovered nothing from the dead master: ").append(c.note()).append('\n');
        }
        c.savedEvents().ifPresent(f -> t.append("  saved events: ").append(f).append('\n'));
    }
}
