package io.mha4j.testkit;

/** What became of one {@link WriteLedger} write. */
public enum WriteOutcome {
    /** The server acknowledged the commit: the row must survive any correct failover. */
    ACKNOWLEDGED,
    /** The INSERT was sent but failed: it may or may not have committed. */
    IN_DOUBT,
    /** No server could be reached (or resolved); nothing was sent and no id was used. */
    NO_TARGET
}
