package io.mha4j.internal.failover;

import io.mha4j.failover.FailoverReport;

/** Renders a {@link FailoverReport} as one JSON object. */
public final class ReportJson {
    private ReportJson() {}

    public static String render(FailoverReport r) {
        throw new UnsupportedOperationException("not yet");
    }
}
