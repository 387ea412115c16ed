package io.mha4j.monitor;

/**
 * The explicit rule that says which verdict starts a failover: detection says what it sees,
 * this decides what acts on it. The monitor stops at the first verdict accepted.
 */
@FunctionalInterface
public interface FailoverTrigger {

    /** MHA's rule and mha4j's default: only a dead master is failed over. */
    FailoverTrigger DEAD_ONLY = v -> v.kind() == VerdictKind.DEAD;

    boolean shouldFailover(Verdict verdict);
}
