package io.mha4j.internal.failover;

import io.mha4j.Mha4jException;

/** The failover will not start; nothing has been changed on any server. */
public final class FailoverRefusal extends Mha4jException {
    public FailoverRefusal(String reason) {
        super(reason);
    }
}
