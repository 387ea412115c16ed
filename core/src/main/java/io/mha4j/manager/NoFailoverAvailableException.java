package io.mha4j.manager;

import io.mha4j.Mha4jException;

/** The master is dead and this manager has no failover to run. */
public final class NoFailoverAvailableException extends Mha4jException {
    private static final long serialVersionUID = 1L;

    public NoFailoverAvailableException(String master) {
        super("Master " + master + " is dead, but no failover is available in this build of mha4j: nothing was"
                + " changed on any server. Fail over by hand, or plug a FailoverAction into the manager.");
    }
}
