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
 * <p>Before {@code limit} failed pings the master is {@code FAILING}, unless the fast path
 * applies: the connection was refused (nothing listens: the process is gone) and every replica
 * confirms it lost the master too (IO thread not running) — then it is dead at once.
 *
 * <p>From {@code limit} on, in this order:
 * <ol>
 *   <li>a replica whose IO thread runs and whose received data or heartbeats advanced →
 *       {@code UNREACHABLE_BUT_REPLICATING}: only the manager has lost the master;</li>
 *   <li>{@code secondary_check_script} exited 3 (another route reaches the master) →
 *       {@code UNREACHABLE_BUT_REPLICATING};</li>
 *   <li>it exited otherwise non-zero (a route itself failed, or it did not finish) → a veto,
 *       {@code FAILING}, but only while the master is not <em>demonstrably gone</em>: refused,
 *       or timing out while its host refuses or ignores SSH too. A powered-off master must be
 *       failed over even when the script cannot run (MHA's issue #156);</li>
 *   <li>no replica sees the master (IO thread not running, or unreadable), or there is no
 *       replica → {@code DEAD};</li>
 *   <li>some replica still shows its IO thread connected but nothing advances → {@code DEAD}
 *       when the master is demonstrably gone or the secondary check confirmed it unreachable
 *       (exit 0); otherwise {@code FAILING} until the replicas notice (within their
 *       {@code slave_net_timeout}).</li>
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
            if (fastPath && refused && !replicas.isEmpty()
                    && replicas.stream().allMatch(r -> r.readable() && !r.connected())) {
                return new Decision(VerdictKind.DEAD, "connection refused and every replica lost the master too ("
                        + describe(replicas) + "): dead at the first refused ping (fast_failure_detection=1)");
            }
            return new Decision(VerdictKind.FAILING, "ping failed " + failedPings + " time(s) of " + limit + ": "
                    + e.lastFailureDetail());
        }
        List<ReplicaView> replicating = replicas.stream().filter(ReplicaView::replicating).toList();
        if (!replicating.isEmpty()) {
            return new Decision(VerdictKind.UNREACHABLE_BUT_REPLICATING, "the manager cannot reach the master, but "
                    + describe(replicating) + " still receive(s) from it: not failing over a live master");
        }
        OptionalInt secondary = e.secondaryCheckExit();
        if (secondary.isPresent() && secondary.getAsInt() == 3) {
            return new Decision(VerdictKind.UNREACHABLE_BUT_REPLICATING, "secondary_check_script reached the master"
                    + " from another route (exit 3): not failing over");
        }
        Optional<String> gone = demonstrablyGone(e);
        if (secondary.isPresent() && secondary.getAsInt() != 0 && gone.isEmpty()) {
            return new Decision(VerdictKind.FAILING, "secondary_check_script "
                    + (secondary.getAsInt() == Evidence.SECONDARY_CHECK_DID_NOT_FINISH ? "did not finish"
                            : "exited " + secondary.getAsInt() + " (a route itself failed)")
                    + " and the master is not demonstrably gone: not failing over yet");
        }
        String why = failedPings + " failed pings";
        if (replicas.isEmpty()) {
            return new Decision(VerdictKind.DEAD, why + "; no replica to ask" + also(e, gone));
        }
        if (replicas.stream().noneMatch(ReplicaView::connected)) {
            return new Decision(VerdictKind.DEAD, why + "; no replica sees the master (" + describe(replicas) + ")"
                    + also(e, gone));
        }
        boolean confirmed = secondary.isPresent() && secondary.getAsInt() == 0;
        if (gone.isPresent() || confirmed) {
            return new Decision(VerdictKind.DEAD, why + " and " + gone.orElse("secondary_check_script confirms it"
                    + " unreachable from every route (exit 0)") + ", though replicas still show their IO thread"
                    + " connected, receiving nothing (" + describe(replicas) + ")");
        }
        return new Decision(VerdictKind.FAILING, "replicas still connected to the master; waiting for them to notice ("
                + describe(replicas) + ")");
    }

    /** Why the master is demonstrably gone, if it is: nothing listens, or neither SQL nor SSH answers. */
    static Optional<String> demonstrablyGone(Evidence e) {
        Optional<SqlFailure.Kind> last = e.lastFailure();
        if (last.equals(Optional.of(SqlFailure.Kind.CONNECTION_REFUSED))) {
            return Optional.of("the connection is refused");
        }
        if (last.equals(Optional.of(SqlFailure.Kind.TIMEOUT)) && e.sshReachable().equals(Optional.of(false))) {
            return Optional.of("neither SQL nor SSH answers");
        }
        return Optional.empty();
    }

    private static String also(Evidence e, Optional<String> gone) {
        StringBuilder sb = new StringBuilder();
        gone.ifPresent(g -> sb.append("; ").append(g));
        e.secondaryCheckExit().ifPresent(code -> sb.append("; secondary_check_script exit ").append(code));
        return sb.toString();
    }

    private static String describe(List<ReplicaView> views) {
        return views.stream().map(ReplicaView::toString).collect(Collectors.joining("; "));
    }
}
