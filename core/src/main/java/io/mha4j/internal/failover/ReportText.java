package io.mha4j.internal.failover;

import io.mha4j.failover.Compensation;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.PhaseTiming;
import io.mha4j.failover.ReplicaOutcome;
import io.mha4j.failover.TimedStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link FailoverReport} for humans. It opens as MHA's final summary does ("----- Failover
 * Report -----", the subject, "Master … is down!"), so that whoever reads MHA's mails finds their
 * way, and then says what MHA does not: each phase's duration, why the new master won and every
 * other server lost, and which transactions were recovered from the dead master. Every optional
 * part is left out when absent: a refused failover has no new master and no compensation.
 */
public final class ReportText {
    private ReportText() {}

    /**
     * In the spirit of MHA's send_report subject: {@code app1: MySQL Master failover <old> to
     * <new> succeeded}; MHA adds no outcome to a partial or failed failover, mha4j always does.
     */
    public static String subject(FailoverReport r) {
        return r.application() + ": MySQL Master failover " + r.deadMaster()
                + r.newMaster().map(n -> " to " + n).orElse("") + " " + verdict(r);
    }

    /**
     * How it ended, in a few words: {@code succeeded}, {@code done, but transactions after GTID
     * 0-1-57 may be lost}, {@code refused (nothing was changed)}, …
     */
    public static String verdict(FailoverReport r) {
        return switch (r.outcome()) {
            case SUCCEEDED -> "succeeded";
            case PARTIAL -> "done, but " + String.join(" and ", shortfalls(r, "some replicas were not recovered"));
            case REFUSED -> "refused (nothing was changed)";
            case FAILED -> "failed";
        };
    }

    /**
     * What a partial failover left undone: first the transactions that may be lost, then the
     * replicas (as {@code replicas} words it, also when nothing more specific is known).
     */
    private static List<String> shortfalls(FailoverReport r, String replicas) {
        List<String> what = new ArrayList<>();
        r.possibleLoss().ifPresent(l -> what.add(l.transactions() + " may be lost"));
        if (what.isEmpty() || r.replicas().stream().anyMatch(o -> !o.recovered())) {
            what.add(replicas);
        }
        return what;
    }

    public static String render(FailoverReport r) {
        StringBuilder t = new StringBuilder();
        t.append("----- Failover Report -----\n\n").append(subject(r)).append("\n\n");
        t.append("Master ").append(r.deadMaster()).append(" is down!\n\n");
        r.possibleLoss()
                .ifPresent(l -> t.append("POSSIBLE DATA LOSS: ")
                        .append(sentence(l.describe()))
                        .append(" The new master holds everything the latest replica had received"
                                + (r.compensation()
                                                        .map(Compensation::transactions)
                                                        .orElse(0L)
                                                > 0
                                        ? ", and what was recovered before the dead master's binary logs could no"
                                                + " longer be read"
                                        : "")
                                + "; what the dead master wrote after that is on its host only, if anywhere.\n\n"));
        phases(t, r);
        election(t, r);
        errant(t, r);
        r.compensation().ifPresent(c -> compensation(t, c));
        if (r.outcome().promoted()) {
            t.append(r.newMaster().orElseThrow()).append(": OK: Applying all logs succeeded.\n");
        }
        for (ReplicaOutcome o : r.replicas()) {
            t.append(o.server())
                    .append(o.recovered() ? ": OK: " : ": ERROR: ")
                    .append(sentence(o.detail()))
                    .append('\n');
        }
        conclusion(t, r);
        if (!r.errors().isEmpty()) {
            t.append("\nErrors:\n");
            r.errors().forEach(e -> t.append("  ").append(e).append('\n'));
        }
        r.rejoinStatement()
                .ifPresent(s -> t.append(
                                "\nAll other slaves should start replication from here." + " Statement should be: ")
                        .append(s)
                        .append('\n'));
        t.append(String.format(
                Locale.ROOT, "%nTotal: %d ms (%s to %s)%n", r.duration().toMillis(), r.startedAt(), r.endedAt()));
        return t.toString();
    }

    private static void phases(StringBuilder t, FailoverReport r) {
        if (r.phases().isEmpty()) {
            return;
        }
        for (PhaseTiming p : r.phases()) {
            t.append(String.format(
                    Locale.ROOT,
                    "%-40s %7d ms  %s%n",
                    p.phase().title() + ":",
                    p.duration().toMillis(),
                    p.result()));
            steps(t, p.steps());
        }
        t.append('\n');
    }

    private static void election(StringBuilder t, FailoverReport r) {
        r.newMaster()
                .ifPresentOrElse(
                        n -> t.append("Selected ").append(n).append(" as a new master.\n"),
                        () -> t.append("No new master was selected.\n"));
        if (!r.electionReason().isEmpty()) {
            t.append("  Why: ").append(r.electionReason()).append('\n');
        }
        r.losers()
                .forEach((block, why) -> t.append("  [")
                        .append(block)
                        .append("] not selected: ")
                        .append(why)
                        .append('\n'));
    }

    private static void errant(StringBuilder t, FailoverReport r) {
        if (r.errantTransactions().isEmpty()) {
            return;
        }
        t.append("Errant transactions (the dead master never wrote them and no other replica holds them; never"
                + " elected over a replica without them, never copied):\n");
        r.errantTransactions()
                .forEach((server, gtids) -> t.append("  ")
                        .append(server)
                        .append(": ")
                        .append(gtids)
                        .append(" (")
                        .append(gtids.count())
                        .append(" transaction(s))\n"));
    }

    private static void compensation(StringBuilder t, Compensation c) {
        t.append("Compensation from ").append(c.source()).append(":\n");
        c.applied()
                .ifPresentOrElse(
                        g -> t.append("  Applied ")
                                .append(c.transactions())
                                .append(" transaction(s) only the dead master had: ")
                                .append(g)
                                .append('\n'),
                        () -> t.append("  Applied nothing.\n"));
        c.savedEvents().ifPresent(f -> t.append("  Saved events: ").append(f).append('\n'));
        if (!c.note().isEmpty()) {
            t.append("  Note: ").append(c.note()).append('\n');
        }
        steps(t, c);
    }

    /** Where the compensation's time went, step by step. */
    private static void steps(StringBuilder t, Compensation c) {
        if (c.steps().isEmpty()) {
            return;
        }
        t.append(String.format(Locale.ROOT, "  Steps (%d ms):%n", c.took().toMillis()));
        steps(t, c.steps());
    }

    private static void steps(StringBuilder t, List<TimedStep> steps) {
        for (TimedStep s : steps) {
            t.append(String.format(
                    Locale.ROOT, "    %-8s %6d ms  %s%n", s.name(), s.took().toMillis(), s.detail()));
        }
    }

    private static void conclusion(StringBuilder t, FailoverReport r) {
        switch (r.outcome()) {
            case SUCCEEDED ->
                t.append("Master failover to ")
                        .append(r.newMaster().orElseThrow())
                        .append(" completed successfully.\n");
            case PARTIAL -> {
                long failed = r.replicas().stream().filter(o -> !o.recovered()).count();
                t.append("Master failover to ")
                        .append(r.newMaster().orElseThrow())
                        .append(
                                failed == 0 && r.possibleLoss().isEmpty()
                                        ? " done, but with errors.\n"
                                        : " done, but "
                                                + String.join(
                                                        " and ",
                                                        shortfalls(r, failed + " replica(s) were not recovered"))
                                                + ".\n");
            }
            case REFUSED -> t.append("Failover refused; nothing was changed.\n");
            case FAILED -> t.append("Failover failed after changes were made; a human must look.\n");
        }
    }

    /** MHA's lines end with a period; details from exceptions may not. */
    private static String sentence(String s) {
        return s.isEmpty() || s.endsWith(".") ? s : s + ".";
    }
}
