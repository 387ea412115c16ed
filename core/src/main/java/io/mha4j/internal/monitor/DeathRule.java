package io.mha4j.internal.monitor;

import io.mha4j.monitor.Evidence;
import io.mha4j.monitor.ReplicaView;
import io.mha4j.monitor.VerdictKind;
import io.mha4j.server.SqlFailure;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * When a master whose pings fail is dead: MHA's rule (a number of failed pings in a row, then
 * {@code secondary_check_script} must agree) with the second opinions MHA lacks. A pure
 * function of the count and the {@link Evidence}, so every combination is unit-tested.
 *
 * <p>A replica's opinion ({@link ReplicaView}) is one of: <em>replicating</em> (connected and
 * receiving: the master lives), <em>lost the master</em> (IO thread not connected, or connected
 * but its heartbeats overdue: the master is silent), <em>inconclusive</em> (connected, receiving
 * nothing, and its heartbeat period too slow to tell an idle master from a silent one — the
 * servers' default of 30 s always is), or unreadable (no opinion).
 *
 * <p>Before {@code limit} failed pings the master is {@code FAILING}, unless the fast path
 * applies: the connection was refused (nothing listens: the process is gone), at least one
 * replica answered, and every replica that answered lost the master too — then it is dead at
 * once. A replica that does not answer within {@code replica_read_timeout} (frozen, overloaded)
 * neither confirms nor blocks it.
 *
 * <p>From {@code limit} on, in this order:
 * <ol>
 *   <li>a replica replicating → {@code UNREACHABLE_BUT_REPLICATING}: only the manager has lost
 *       the master;</li>
 *   <li>{@code secondary_check_script} exited 3 (another route reaches the master) →
 *       {@code UNREACHABLE_BUT_REPLICATING};</li>
 *   <li>it exited otherwise non-zero (a route itself failed, or it did not finish) → a veto,
 *       {@code FAILING}, but only while the master is not <em>demonstrably gone</em>: refused, or
 *       timing out while its host does not answer SSH either and no replica is inconclusive. A
 *       powered-off master must be failed over even when the script cannot run (MHA's issue
 *       #156);</li>
 *   <li>no replica inconclusive (each lost the master or unreadable), or there is no replica →
 *       {@code DEAD};</li>
 *   <li>some replica inconclusive → {@code DEAD} only when the connection is refused or the
 *       secondary check confirmed the master unreachable (exit 0); otherwise {@code FAILING}
 *       until the replicas notice (within their {@code slave_net_timeout}). A manager cut off
 *       from an idle master sees exactly this — SQL and SSH time out, replicas connected and
 *       silent — so timeouts alone never make it dead.</li>
 * </ol>
 */
public final class DeathRule {

    /** A kind of verdict and the sentence that explains it. */
    public record Decision(VerdictKind kind, String reason) {}

    private final int limit;
    private final boolean fastPath;

    /**
     * @param limit failed pings in a row before the master is judged ({@code ping_failure_limit})
     * @param fastPath whether a refused connection confirmed by every replica is death at once
     */
    public DeathRule(int limit, boolean fastPath) {
        if (limit < 1) {
            throw new IllegalArgumentException("ping_failure_limit must be at least 1, not " + limit);
        }
        this.limit = limit;
        this.fastPath = fastPath;
    }

    public int limit() {
        return limit;
    }

    /**
     * @param failedPings failed pings in a row, at least 1
     * @param e what was seen
     */
    public Decision decide(int failedPings, Evidence e) {
        List<ReplicaView> replicas = e.replicas();
        boolean refused = e.lastFailure().equals(Optional.of(SqlFailure.Kind.CONNECTION_REFUSED));
        if (failedPings < limit) {
            if (fastPath && e.refusedAndConfirmed()) {
                return new Decision(
                        VerdictKind.DEAD,
                        "connection refused and every replica that answered lost the"
                                + " master too (" + describe(replicas) + "): dead at the first refused ping"
                                + " (fast_failure_detection=1)");
            }
            return new Decision(
                    VerdictKind.FAILING,
                    "ping failed " + failedPings + " time(s) of " + limit + ": " + e.lastFailureDetail());
        }
        List<ReplicaView> replicating =
                replicas.stream().filter(ReplicaView::replicating).toList();
        if (!replicating.isEmpty()) {
            return new Decision(
                    VerdictKind.UNREACHABLE_BUT_REPLICATING,
                    "the manager cannot reach the master, but " + describe(replicating)
                            + " still receive(s) from it: not failing over a live master");
        }
        OptionalInt secondary = e.secondaryCheckExit();
        if (secondary.isPresent() && secondary.getAsInt() == 3) {
            return new Decision(
                    VerdictKind.UNREACHABLE_BUT_REPLICATING,
                    "secondary_check_script reached the master" + " from another route (exit 3): not failing over");
        }
        Optional<String> gone = demonstrablyGone(e);
        if (secondary.isPresent() && secondary.getAsInt() != 0 && gone.isEmpty()) {
            return new Decision(
                    VerdictKind.FAILING,
                    "secondary_check_script "
                            + (secondary.getAsInt() == Evidence.SECONDARY_CHECK_DID_NOT_FINISH
                                    ? "did not finish"
                                    : "exited " + secondary.getAsInt() + " (a route itself failed)")
                            + " and the master is not demonstrably gone: not failing over yet");
        }
        String why = failedPings + " failed pings";
        if (replicas.isEmpty()) {
            return new Decision(VerdictKind.DEAD, why + "; no replica to ask" + also(e, gone));
        }
        List<ReplicaView> inconclusive =
                replicas.stream().filter(ReplicaView::inconclusive).toList();
        if (inconclusive.isEmpty()) {
            return new Decision(
                    VerdictKind.DEAD,
                    why + "; no replica hears the master (" + describe(replicas) + ")" + also(e, gone));
        }
        boolean confirmed = secondary.isPresent() && secondary.getAsInt() == 0;
        if (refused || confirmed) {
            return new Decision(
                    VerdictKind.DEAD,
                    why + " and "
                            + (refused
                                    ? "the connection is refused"
                                    : "secondary_check_script confirms it unreachable from every route (exit 0)")
                            + ", though replicas still show their IO thread connected, receiving nothing ("
                            + describe(inconclusive) + ")");
        }
        return new Decision(
                VerdictKind.FAILING,
                "replicas still connected to the master, receiving nothing, with"
                        + " heartbeats too slow to tell an idle master from a silent one; waiting for them to notice (within"
                        + " their slave_net_timeout) or for a heartbeat (" + describe(inconclusive) + ")");
    }

    /**
     * Why the master is demonstrably gone, if it is: nothing listens, or neither SQL nor SSH
     * answers while no replica is inconclusive. A connected replica that cannot be judged keeps a
     * timing-out master from being "gone": a manager cut off from the master sees SQL and SSH
     * time out too.
     */
    static Optional<String> demonstrablyGone(Evidence e) {
        Optional<SqlFailure.Kind> last = e.lastFailure();
        if (last.equals(Optional.of(SqlFailure.Kind.CONNECTION_REFUSED))) {
            return Optional.of("the connection is refused");
        }
        if (last.equals(Optional.of(SqlFailure.Kind.TIMEOUT))
                && e.sshReachable().equals(Optional.of(false))
                && e.replicas().stream().noneMatch(ReplicaView::inconclusive)) {
            return Optional.of("neither SQL nor SSH answers");
        }
        return Optional.empty();
    }

    private static String also(Evidence e, Optional<String> gone) {
        StringBuilder sb = new StringBuilder();
        gone.ifPresent(g -> sb.append("; ").append(g));
        e.secondaryCheckExit()
                .ifPresent(code -> sb.append("; secondary_check_script exit ").append(code));
        return sb.toString();
    }

    private static String describe(List<ReplicaView> views) {
        return views.stream().map(ReplicaView::toString).collect(Collectors.joining("; "));
    }
}
