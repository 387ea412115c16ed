package io.mha4j.monitor;

import io.mha4j.server.SqlFailure;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a verdict was decided from.
 *
 * @param lastFailure the kind of the last failed ping; empty while pings succeed
 * @param lastFailureDetail what the last failed ping said ("" while pings succeed)
 * @param replicas each replica's view of the master, read during the failure
 * @param sshReachable whether the master's host answered SSH (an sshd that refuses our key
 *     answered too); empty when not known (yet)
 * @param secondaryCheckExit the exit code of {@code secondary_check_script}: 0 = the master is
 *     unreachable from every other route, 3 = reachable from one, anything else = a route
 *     itself failed (MHA's 2) or the script did not finish ({@link #SECONDARY_CHECK_DID_NOT_FINISH});
 *     empty when no script is configured or it has not been run
 */
public record Evidence(
        Optional<SqlFailure.Kind> lastFailure,
        String lastFailureDetail,
        List<ReplicaView> replicas,
        Optional<Boolean> sshReachable,
        OptionalInt secondaryCheckExit) {

    /** The exit code recorded for a secondary check that timed out or could not be started. */
    public static final int SECONDARY_CHECK_DID_NOT_FINISH = -1;

    /** Nothing: the evidence of an alive master. */
    public static final Evidence NONE =
            new Evidence(Optional.empty(), "", List.of(), Optional.empty(), OptionalInt.empty());

    public Evidence {
        replicas = List.copyOf(replicas);
    }

    /**
     * The conclusive case: the connection was refused (nothing listens: the process is gone) and
     * every replica that answered lost the master too — nothing another vantage point could add.
     */
    public boolean refusedAndConfirmed() {
        List<ReplicaView> answered =
                replicas.stream().filter(ReplicaView::readable).toList();
        return lastFailure.equals(Optional.of(SqlFailure.Kind.CONNECTION_REFUSED))
                && !answered.isEmpty()
                && answered.stream().allMatch(ReplicaView::lostMaster);
    }
}
