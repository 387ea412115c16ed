package io.mha4j.failover;

import java.util.Objects;

/**
 * How one replica came out of the failover.
 *
 * @param server the replica's display name
 * @param host its {@code hostname}, as MHA's {@code report_script} receives it
 * @param recovered it replicates from the new master and has caught up
 * @param detail what was done, or what failed
 * @param reason the same, for machines: what a caller (the manager's guard) may do about it
 */
public record ReplicaOutcome(String server, String host, boolean recovered, String detail, Reason reason) {

    /** Why a replica ended as it did. */
    public enum Reason {
        /** It replicates from the new master and has caught up. */
        RECOVERED,
        /**
         * It did not answer (frozen, down, unreachable) within {@code replica_read_timeout}, at the
         * check or later: left out, to be rewired to the new master when it answers again.
         */
        DID_NOT_ANSWER,
        /** A replication thread stopped on an error (named in the detail): a human must look. */
        REPLICATION_ERROR,
        /**
         * It holds errant transactions that collide with the new master's (MariaDB: the same
         * domain), so it was left as it was: replicating from the new master would stop, or
         * silently diverge, at the master's next transaction there. A human must remove them.
         */
        ERRANT_TRANSACTIONS,
        /** It did not catch up within {@code apply_timeout}. */
        TIMED_OUT,
        /** Anything else went wrong (named in the detail). */
        FAILED;

        /** What the detail says of a replica left out because it did not answer. */
        public static final String REWIRED_LATER = "did not answer: rewired when it answers again";
    }

    public ReplicaOutcome {
        Objects.requireNonNull(reason, "reason");
        if (recovered != (reason == Reason.RECOVERED)) {
            throw new IllegalArgumentException("recovered=" + recovered + " contradicts reason " + reason);
        }
    }

    /** Without a reason: {@link Reason#RECOVERED} or {@link Reason#FAILED}. */
    public ReplicaOutcome(String server, String host, boolean recovered, String detail) {
        this(server, host, recovered, detail, recovered ? Reason.RECOVERED : Reason.FAILED);
    }
}
