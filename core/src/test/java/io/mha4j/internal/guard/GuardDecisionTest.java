package io.mha4j.internal.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.guard.GuardedRole;
import io.mha4j.internal.check.FakeServer;
import io.mha4j.internal.guard.GuardDecision.Verdict;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Rejoin or park: every case of role, GTIDs and rejoin_old_master. */
class GuardDecisionTest {
    private final FakeServer master = FakeServer.master(2);

    private FakeServer old(String gtid) {
        FakeServer s = FakeServer.master(1);
        s.gtid = gtid;
        return s;
    }

    private GuardDecision decide(GuardedRole role, boolean rejoin, FakeServer server) {
        return GuardDecision.decide(role, rejoin, server.state(), WatchTest.MASTER, master.state());
    }

    @Test
    void anOldMasterHoldingNothingNewIsRejoinedOnlyWithRejoinOldMaster1() {
        master.gtid = "0-1-10,0-2-15";
        assertThat(decide(GuardedRole.OLD_MASTER, true, old("0-1-10")).verdict())
                .isEqualTo(Verdict.REJOIN);
        GuardDecision parked = decide(GuardedRole.OLD_MASTER, false, old("0-1-10"));
        assertThat(parked.verdict()).isEqualTo(Verdict.PARK_SAFE);
        assertThat(parked.reason()).contains("safe to rejoin");
    }

    @Test
    void errantTransactionsParkItWhateverTheRoleAndSetting() {
        master.gtid = "0-2-15";
        for (GuardedRole role : GuardedRole.values()) {
            GuardDecision d = decide(role, true, old("0-2-15,3-1-4"));
            assertThat(d.verdict()).isEqualTo(Verdict.PARK_ERRANT);
            assertThat(d.errant().count()).isEqualTo(4);
            assertThat(d.reason()).contains("never rejoined automatically");
        }
    }

    @Test
    void anOldMasterAheadInTheMastersOwnDomainIsErrant() {
        master.gtid = "0-2-15";
        GuardDecision d = decide(GuardedRole.OLD_MASTER, true, old("0-2-15,0-1-17"));
        assertThat(d.verdict()).isEqualTo(Verdict.PARK_ERRANT);
    }

    @Test
    void aReplicaHoldingNothingNewIsAlwaysRewired() {
        master.gtid = "0-1-20";
        FakeServer replica = FakeServer.replica(3, 3306, 1);
        replica.gtid = "0-1-12";
        assertThat(decide(GuardedRole.REPLICA, false, replica).verdict()).isEqualTo(Verdict.REJOIN);
    }

    @Test
    void aReplicaWhoseApplierStoppedOnAnErrorIsParkedWithTheErrorNotRewiredIntoItAgain() {
        master.gtid = "0-2-40";
        FakeServer replica = FakeServer.replica(3, WatchTest.MASTER.port(), 2);
        replica.gtid = "0-3-21";
        replica.sql = false;
        replica.sqlError = new io.mha4j.server.ReplicationError(
                1950,
                "An attempt was made to binlog GTID 0-2-21 which"
                        + " would create an out-of-order sequence number with existing GTID 0-3-21");
        for (GuardedRole role : GuardedRole.values()) {
            GuardDecision d = decide(role, true, replica);
            assertThat(d.verdict()).isEqualTo(Verdict.PARK_BROKEN);
            assertThat(d.reason()).contains("error 1950").contains("a human must look");
        }
    }

    @Test
    void replicatingMeansReadOnlyBothThreadsRunningAndPointedAtTheMaster() {
        FakeServer r = FakeServer.replica(1, WatchTest.MASTER.port(), 2);
        assertThat(GuardDecision.replicatesFrom(r.state(), WatchTest.MASTER, Optional.empty()))
                .isTrue();
        r.readOnly = false;
        assertThat(GuardDecision.replicatesFrom(r.state(), WatchTest.MASTER, Optional.empty()))
                .isFalse();
        r.readOnly = true;
        r.sql = false;
        assertThat(GuardDecision.replicatesFrom(r.state(), WatchTest.MASTER, Optional.empty()))
                .isFalse();
        assertThat(GuardDecision.replicatesFrom(
                        FakeServer.replica(1, 3306, 7).state(), WatchTest.MASTER, Optional.empty()))
                .as("another source")
                .isFalse();
        assertThat(decide(GuardedRole.OLD_MASTER, false, FakeServer.replica(1, WatchTest.MASTER.port(), 2))
                        .verdict())
                .isEqualTo(Verdict.REPLICATING);
    }
}
