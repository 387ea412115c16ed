package io.mha4j.failover;

import io.mha4j.Mha4jException;

/** A {@link io.mha4j.FailoverHook} stopped the failover before a phase. */
public final class FailoverVetoException extends Mha4jException {
    private final String hook;

    public FailoverVetoException(String hook, String reason) {
        super("failover vetoed by hook " + hook + ": " + reason);
        this.hook = hook;
    }

    public String hook() {
        return hook;
    }
}
