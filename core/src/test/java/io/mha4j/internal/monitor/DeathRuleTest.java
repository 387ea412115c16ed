package io.mha4j.internal.monitor;

import static io.mha4j.monitor.VerdictKind.DEAD;
import static io.mha4j.monitor.VerdictKind.FAILING;
import static io.mha4j.monitor.VerdictKind.UNREACHABLE_BUT_REPLICATING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.monitor.Evidence;
import io.mha4j.monitor.ReplicaView;
import io.mha4j.monitor.VerdictKind;
import io.mha4j.server.ReplicaStatus.IoThread;
import io.mha4j.server.SqlFailure.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The rule over every combination of what can be seen: the last failure's kind, SSH, the
 * secondary check's exit, zero to two replicas in each state, the count below, at and past the
 * limit, fast path on and off. Each test states one property and checks it on all of them.
 */
class DeathRuleTest {
    private static final int LIMIT = 4;

    private static final ReplicaView UNREADABLE = ReplicaView.unreadable("r", "timeout");
    private static final ReplicaView STOPPED = view(IoThread.STOPPED, false);
    private static final ReplicaView CONNECTING = view(IoThread.CONNECTING, false);
    /** Connected, receiving nothing, heartbeats too slow (or unknown) to tell: inconclusive. */
    private static final ReplicaView SILENT = view(IoThread.RUNNING, false);
    /** Connected, receiving nothing for longer than its heartbeat period allows: the master is silent. */
    private static final ReplicaView OVERDUE = new ReplicaView(
            "r",
            Optional.of(IoThread.RUNNING),
            false,
            Optional.of(java.time.Duration.ofSeconds(1)),
            true,
            "RUNNING overdue");

    private static final ReplicaView ADVANCING = view(IoThread.RUNNING, true);
    /** A disconnected replica can have advanced earlier in the window; it proves nothing now. */
    private static final ReplicaView DISCONNECTED_AFTER_ADVANCING = view(IoThread.CONNECTING, true);

    private static ReplicaView view(IoThread io, boolean advancing) {
        return new ReplicaView("r", Optional.of(io), advancing, io + (advancing ? " advancing" : ""));
    }

    record Case(int failedPings, boolean fastPath, Evidence evidence) {
        boolean atLimit() {
            return failedPings >= LIMIT;
        }

        List<ReplicaView> replicas() {
            return evidence.replicas();
        }

        boolean any(Predicate<ReplicaView> p) {
            return replicas().stream().anyMatch(p);
        }

        boolean refused() {
            return evidence.lastFailure().equals(Optional.of(Kind.CONNECTION_REFUSED));
        }

        boolean gone() {
            return refused()
                    || (evidence.lastFailure().equals(Optional.of(Kind.TIMEOUT))
                            && evidence.sshReachable().equals(Optional.of(false))
                            && !any(ReplicaView::inconclusive));
        }

        OptionalInt secondary() {
            return evidence.secondaryCheckExit();
        }

        boolean secondaryIs(int code) {
            return secondary().isPresent() && secondary().getAsInt() == code;
        }

        VerdictKind decided() {
            return new DeathRule(LIMIT, fastPath).decide(failedPings, evidence).kind();
        }
    }

    static List<Case> all() {
        List<ReplicaView> states =
                List.of(UNREADABLE, STOPPED, CONNECTING, SILENT, OVERDUE, ADVANCING, DISCONNECTED_AFTER_ADVANCING);
        List<List<ReplicaView>> replicaSets = new ArrayList<>();
        replicaSets.add(List.of());
        for (ReplicaView a : states) {
            replicaSets.add(List.of(a));
            for (ReplicaView b : states) {
                replicaSets.add(List.of(a, b));
            }
        }
        List<Case> cases = new ArrayList<>();
        for (Kind failure : Kind.values()) {
            for (Optional<Boolean> ssh : List.of(Optional.<Boolean>empty(), Optional.of(true), Optional.of(false))) {
                for (OptionalInt secondary : List.of(
                        OptionalInt.empty(),
                        OptionalInt.of(0),
                        OptionalInt.of(1),
                        OptionalInt.of(2),
                        OptionalInt.of(3),
                        OptionalInt.of(Evidence.SECONDARY_CHECK_DID_NOT_FINISH))) {
                    for (List<ReplicaView> replicas : replicaSets) {
                        for (int failed : new int[] {1, LIMIT - 1, LIMIT, LIMIT + 5}) {
                            for (boolean fast : new boolean[] {true, false}) {
                                cases.add(new Case(
                                        failed,
                                        fast,
                                        new Evidence(Optional.of(failure), failure.name(), replicas, ssh, secondary)));
                            }
                        }
                    }
                }
            }
        }
        return cases;
    }

    private static void everyCase(Predicate<Case> applies, Predicate<Case> holds) {
        List<Case> cases = all().stream().filter(applies).toList();
        assertThat(cases).isNotEmpty();
        assertThat(cases)
                .allSatisfy(c ->
                        assertThat(holds.test(c)).as("%s -> %s", c, c.decided()).isTrue());
    }

    @Test
    void coversEveryCombination() {
        assertThat(all()).hasSize(Kind.values().length * 3 * 6 * (1 + 7 + 7 * 7) * 4 * 2);
    }

    @Test
    void beforeTheLimitTheMasterIsFailingUnlessTheFastPathApplies() {
        everyCase(
                c -> !c.atLimit(),
                c -> c.decided()
                        == (c.fastPath
                                        && c.refused()
                                        && c.any(ReplicaView::readable)
                                        && c.replicas().stream()
                                                .filter(ReplicaView::readable)
                                                .allMatch(ReplicaView::lostMaster)
                                ? DEAD
                                : FAILING));
    }

    @Test
    void theFastPathIgnoresReplicasThatDidNotAnswerButNeedsOneThatDid() {
        everyCase(
                c -> !c.atLimit()
                        && c.fastPath
                        && c.refused()
                        && c.any(r -> !r.readable())
                        && c.replicas().stream().filter(ReplicaView::readable).allMatch(ReplicaView::lostMaster),
                c -> c.decided() == (c.any(ReplicaView::readable) ? DEAD : FAILING));
    }

    @Test
    void theFastPathNeverAppliesWhileAReplicaIsConnectedAndNotOverdue() {
        everyCase(
                c -> !c.atLimit() && c.any(r -> r.connected() && !r.heartbeatsOverdue()), c -> c.decided() == FAILING);
    }

    @Test
    void theFastPathNeverAppliesToATimeout() {
        everyCase(c -> !c.atLimit() && !c.refused(), c -> c.decided() == FAILING);
    }

    @Test
    void aReplicaStillReceivingAlwaysMeansUnreachable() {
        everyCase(c -> c.atLimit() && c.any(ReplicaView::replicating), c -> c.decided() == UNREACHABLE_BUT_REPLICATING);
    }

    @Test
    void anotherRouteReachingTheMasterAlwaysMeansUnreachable() {
        everyCase(c -> c.atLimit() && c.secondaryIs(3), c -> c.decided() == UNREACHABLE_BUT_REPLICATING);
    }

    @Test
    void nothingElseMeansUnreachable() {
        everyCase(
                c -> !c.any(ReplicaView::replicating) && !c.secondaryIs(3),
                c -> c.decided() != UNREACHABLE_BUT_REPLICATING);
    }

    @Test
    void aDemonstrablyGoneMasterIsDeadWhateverTheSecondaryCheckSaysUnlessItReachedIt() {
        // MHA issue #156: a powered-off master was never failed over because the script failed.
        everyCase(
                c -> c.atLimit() && c.gone() && !c.any(ReplicaView::replicating) && !c.secondaryIs(3),
                c -> c.decided() == DEAD);
    }

    @Test
    void aFailedSecondaryCheckVetoesAMasterThatIsNotDemonstrablyGone() {
        everyCase(
                c -> c.atLimit()
                        && !c.gone()
                        && !c.any(ReplicaView::replicating)
                        && c.secondary().isPresent()
                        && !c.secondaryIs(0)
                        && !c.secondaryIs(3),
                c -> c.decided() == FAILING);
    }

    @Test
    void noReplicaSeeingTheMasterIsDeathWhenTheSecondaryCheckAgreesOrIsAbsent() {
        everyCase(
                c -> c.atLimit()
                        && c.replicas().stream().noneMatch(ReplicaView::connected)
                        && (c.secondary().isEmpty() || c.secondaryIs(0)),
                c -> c.decided() == DEAD);
    }

    @Test
    void replicasWhoseHeartbeatsAreOverdueHaveLostTheMasterAsMuchAsDisconnectedOnes() {
        everyCase(
                c -> c.atLimit()
                        && c.any(r -> r.heartbeatsOverdue())
                        && c.replicas().stream().noneMatch(r -> r.replicating() || r.inconclusive())
                        && (c.secondary().isEmpty() || c.secondaryIs(0)),
                c -> c.decided() == DEAD);
    }

    @Test
    void inconclusiveReplicasHoldAMasterThatOnlyTimesOutUnlessTheSecondaryCheckConfirms() {
        // The manager cut off from an idle master: SQL and SSH time out, replicas connected and silent
        // with slow heartbeats. Timeouts alone never make it dead (issue 11).
        everyCase(
                c -> c.atLimit()
                        && c.any(ReplicaView::inconclusive)
                        && !c.any(ReplicaView::replicating)
                        && !c.refused()
                        && !c.secondaryIs(3),
                c -> c.decided() == (c.secondaryIs(0) ? DEAD : FAILING));
    }

    @Test
    void aTimeoutWithSshSilentIsNotDeadWhileAReplicaIsInconclusive() {
        everyCase(
                c -> c.evidence.lastFailure().equals(Optional.of(Kind.TIMEOUT))
                        && c.evidence.sshReachable().equals(Optional.of(false))
                        && c.any(ReplicaView::inconclusive)
                        && !c.secondaryIs(0),
                c -> c.decided() != DEAD);
    }

    @Test
    void aRefusedConnectionStaysConclusiveThoughAReplicaIsInconclusive() {
        everyCase(
                c -> c.atLimit()
                        && c.refused()
                        && c.any(ReplicaView::inconclusive)
                        && !c.any(ReplicaView::replicating)
                        && !c.secondaryIs(3),
                c -> c.decided() == DEAD);
    }

    @Test
    void everyDecisionSaysWhy() {
        assertThat(all())
                .allSatisfy(c -> assertThat(new DeathRule(LIMIT, c.fastPath)
                                .decide(c.failedPings, c.evidence)
                                .reason())
                        .isNotBlank());
    }

    @Test
    void reasonsNameWhatDecided() {
        DeathRule rule = new DeathRule(LIMIT, true);
        Evidence refused = new Evidence(
                Optional.of(Kind.CONNECTION_REFUSED),
                "connect failed: connection refused",
                List.of(CONNECTING, STOPPED),
                Optional.empty(),
                OptionalInt.empty());
        assertThat(rule.decide(1, refused).reason())
                .isEqualTo("connection refused and every replica that answered"
                        + " lost the master too (r: CONNECTING; r: STOPPED): dead at the first refused ping"
                        + " (fast_failure_detection=1)");
        Evidence timeout = new Evidence(
                Optional.of(Kind.TIMEOUT),
                "connect failed: no answer in time",
                List.of(SILENT),
                Optional.of(true),
                OptionalInt.empty());
        assertThat(rule.decide(2, timeout).reason())
                .isEqualTo("ping failed 2 time(s) of 4: connect failed: no answer" + " in time");
        assertThat(rule.decide(4, timeout).reason())
                .isEqualTo("replicas still connected to the master, receiving"
                        + " nothing, with heartbeats too slow to tell an idle master from a silent one; waiting for them to"
                        + " notice (within their slave_net_timeout) or for a heartbeat (r: RUNNING)");
        Evidence cutOff =
                new Evidence(Optional.of(Kind.TIMEOUT), "t", List.of(SILENT), Optional.of(false), OptionalInt.empty());
        assertThat(rule.decide(4, cutOff).kind())
                .as("the manager cut off from an idle master")
                .isEqualTo(FAILING);
        Evidence silent = new Evidence(
                Optional.of(Kind.TIMEOUT), "t", List.of(OVERDUE, CONNECTING), Optional.of(false), OptionalInt.empty());
        assertThat(rule.decide(4, silent).reason())
                .isEqualTo("4 failed pings; no replica hears the master"
                        + " (r: RUNNING overdue; r: CONNECTING); neither SQL nor SSH answers");
        Evidence vetoed = new Evidence(Optional.of(Kind.TIMEOUT), "t", List.of(), Optional.of(true), OptionalInt.of(2));
        assertThat(rule.decide(4, vetoed).reason())
                .isEqualTo("secondary_check_script exited 2 (a route itself failed)"
                        + " and the master is not demonstrably gone: not failing over yet");
    }

    @Test
    void theLimitIsAtLeastOne() {
        assertThatThrownBy(() -> new DeathRule(0, true)).isInstanceOf(IllegalArgumentException.class);
    }
}
