package io.mha4j.testkit;

import java.time.Duration;

/**
 * What a {@link WriteLedger} did: ids acknowledged, ids in doubt, attempts that found no
 * server, and how long the background writer ran ({@link Duration#ZERO} if it never did).
 */
public record LedgerSummary(int acknowledged, int inDoubt, int noTarget, Duration elapsed) {

    @Override
    public String toString() {
        return acknowledged + " acknowledged, " + inDoubt + " in doubt, " + noTarget + " without a target in "
                + elapsed.toMillis() + " ms";
    }
}
