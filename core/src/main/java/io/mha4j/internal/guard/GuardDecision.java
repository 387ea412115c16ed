package io.mha4j.internal.guard;

import io.mha4j.config.ServerConfig;
import io.mha4j.gtid.GtidSet;
import io.mha4j.guard.GuardedRole;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.ReplicationError;
import io.mha4j.server.ServerState;
import java.util.Optional;

/**
 * What to do with a guarded server once it is fenced: a pure function of its state and the
 * current master's, so every case is tested without servers.
 *
 * @param verdict what to do
 * @param errant what it holds that the master lacks (empty set when nothing)
 * @param reason one sentence, for the log and the event
 */
public record GuardDecision(Verdict verdict, GtidSet errant, String reason) {

    /** The choices. */
    public enum Verdict {
        /** It already replicates from the current master, read-only: nothing to do. */
        REPLICATING,
        /** Make it replicate from the current master. */
        REJOIN,
        /** Leave it fenced: it could rejoin, but the configuration says a human does it. */
        PARK_SAFE,
        /** Leave it fenced: it holds transactions the master lacks, a human must decide. */
        PARK_ERRANT,
        /**
         * Leave it fenced: its applier stopped on an error (a diverged history, a duplicate key):
         * pointing it anywhere would stop it again, a human must look.
         */
        PARK_BROKEN
    }

    /**
     * @param rejoinOldMaster {@code rejoin_old_master}: only about {@link GuardedRole#OLD_MASTER};
     *     a replica that holds nothing of its own is always rewired
     */
    public static GuardDecision decide(
            GuardedRole role,
            boolean rejoinOldMaster,
            ServerState server,
            ServerConfig master,
            ServerState masterState) {
        GtidSet errant = server.gtid().executed().subtract(masterState.gtid().executed());
        if (replicatesFrom(server, master, Optional.of(masterState))) {
            return new GuardDecision(
                    Verdict.REPLICATING, errant, "it replicates from " + master.displayName() + ", read-only");
        }
        if (!errant.isEmpty()) {
            return new GuardDecision(
                    Verdict.PARK_ERRANT,
                    errant,
                    "it holds " + errant.count() + " transaction(s) " + master.displayName() + " lacks (" + errant
                            + "): never rejoined automatically");
        }
        Optional<ReplicationError> broken = server.replica()
                .filter(r -> !r.sqlThreadRunning())
                .map(ReplicaStatus::lastSqlError)
                .filter(ReplicationError::isPresent);
        if (broken.isPresent()) {
            return new GuardDecision(
                    Verdict.PARK_BROKEN,
                    errant,
                    "its SQL thread stopped on " + broken.get()
                            + ": pointing it at " + master.displayName()
                            + " would stop it again (a transaction of its own"
                            + " where the master wrote another, under gtid_strict_mode, shows as error 1950); a human must"
                            + " look");
        }
        if (role == GuardedRole.REPLICA) {
            return new GuardDecision(
                    Verdict.REJOIN,
                    errant,
                    "a replica the failover could not recover; it holds" + " nothing " + master.displayName()
                            + " lacks");
        }
        return rejoinOldMaster
                ? new GuardDecision(
                        Verdict.REJOIN,
                        errant,
                        "it holds nothing " + master.displayName() + " lacks and rejoin_old_master=1")
                : new GuardDecision(
                        Verdict.PARK_SAFE,
                        errant,
                        "it holds nothing " + master.displayName()
                                + " lacks: safe to rejoin (rejoin_old_master=0: a human runs the statement)");
    }

    /**
     * Whether {@code server} is a read-only replica of {@code master} with both threads running:
     * its source is the master's port and address (or hostname), or the master's server_id when
     * the master's state is known.
     */
    public static boolean replicatesFrom(ServerState server, ServerConfig master, Optional<ServerState> masterState) {
        if (server.isWritable() || server.replica().isEmpty()) {
            return false;
        }
        ReplicaStatus r = server.replica().get();
        boolean sameHost =
                r.sourceHost().equals(master.address()) || r.sourceHost().equals(master.hostname());
        boolean sameId = masterState
                .map(m -> r.sourceServerId() != 0 && r.sourceServerId() == m.serverId())
                .orElse(false);
        return r.isReplicating() && r.sourcePort() == master.port() && (sameHost || sameId);
    }
}
