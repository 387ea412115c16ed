package io.mha4j.internal.failover;

import io.mha4j.Mha4jException;
import io.mha4j.failover.ReplicaOutcome.Reason;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.SqlFailure;
import java.time.Duration;
import java.util.Optional;

/** Why one replica could not be brought where the failover needs it, sorted for its outcome. */
final class ReplicaFailure extends Mha4jException {
    private static final long serialVersionUID = 1L;
    private final Reason reason;

    ReplicaFailure(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    Reason reason() {
        return reason;
    }

    /**
     * Sorts what {@code replica}'s recovery threw: no answer within {@code readTimeout} (named
     * {@code boundName} in the message), a replication thread stopped on an error (read once more,
     * bounded, when the failure itself does not say), {@code apply_timeout} passed, anything else.
     */
    static ReplicaFailure of(Survivor replica, RuntimeException e, Duration readTimeout, String boundName) {
        if (e instanceof ReplicaFailure f) {
            return f;
        }
        if (didNotAnswer(e)) {
            return new ReplicaFailure(
                    Reason.DID_NOT_ANSWER,
                    Reason.REWIRED_LATER + " (no answer within " + readTimeout.toMillis() + " ms, " + boundName + ": "
                            + e.getMessage() + ")",
                    e);
        }
        Optional<String> stopped = stoppedOnError(replica, readTimeout);
        if (stopped.isPresent()) {
            return new ReplicaFailure(Reason.REPLICATION_ERROR, stopped.get() + " (" + e.getMessage() + ")", e);
        }
        return new ReplicaFailure(e instanceof Await.TimedOut ? Reason.TIMED_OUT : Reason.FAILED, e.getMessage(), e);
    }

    /** A server that stopped answering: frozen, gone, or its connection broke. */
    static boolean didNotAnswer(Throwable e) {
        return e instanceof SqlFailure f
                && (f.kind() == SqlFailure.Kind.TIMEOUT
                        || f.kind() == SqlFailure.Kind.CONNECTION_LOST
                        || f.kind() == SqlFailure.Kind.CONNECTION_REFUSED);
    }

    /** @throws ReplicaFailure when a thread the replica needs to get anywhere stopped (on an error) */
    static void failIfStopped(String name, ReplicaStatus r) {
        threadStopped(r).ifPresent(why -> {
            throw new ReplicaFailure(Reason.REPLICATION_ERROR, name + ": " + why, null);
        });
    }

    private static Optional<String> threadStopped(ReplicaStatus r) {
        if (!r.sqlThreadRunning()) {
            return Optional.of("its SQL thread stopped"
                    + (r.lastSqlError().isPresent() ? " on " + r.lastSqlError() : " (no error shown)"));
        }
        if (r.ioThread() == ReplicaStatus.IoThread.STOPPED && r.lastIoError().isPresent()) {
            return Optional.of("its IO thread stopped on " + r.lastIoError());
        }
        return Optional.empty();
    }

    private static Optional<String> stoppedOnError(Survivor replica, Duration readTimeout) {
        try {
            return replica.bounded(readTimeout, () -> replica.connection().readState())
                    .replica()
                    .filter(r -> r.lastSqlError().isPresent() || r.lastIoError().isPresent())
                    .flatMap(ReplicaFailure::threadStopped)
                    .map(why -> replica.name() + ": " + why);
        } catch (RuntimeException again) {
            return Optional.empty();
        }
    }
}
