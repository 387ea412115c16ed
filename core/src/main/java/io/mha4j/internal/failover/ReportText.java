package io.mha4j.internal.failover;

import io.mha4j.failover.FailoverReport;

/** Renders a {@link FailoverReport} for humans. */
public final class ReportText {
    private ReportText() {}

    public static String subject(FailoverReport r) {
        return "Failover of " + r.application() + " (" + r.deadMaster() + ") " + r.outcome();
    }

    public static String render(FailoverReport r) {
        return r.toString();
    }
}
