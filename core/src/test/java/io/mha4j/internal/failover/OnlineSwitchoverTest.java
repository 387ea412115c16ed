package io.mha4j.internal.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverReport.Outcome;
import io.mha4j.failover.SwitchoverReport;
import io.mha4j.server.Row;
import io.mha4j.time.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The online switch on a scripted MariaDB cluster (server1 the live master, server2 and server3
 * its replicas), in virtual time: the order that never leaves two writable masters, the rewiring
 * through the topology rewirer, a new master that never catches up, and the checks that refuse.
 */
class OnlineSwitchoverTest {
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    private final ScriptedCluster cluster = new ScriptedCluster(3, (i, s) -> {});

    @AfterEach
    void close() {
        cluster.close();
    }

    /** Tells the journal, in its order with the statements, the moments that move traffic. */
    private final OnlineSwitchover.Progress progress = new OnlineSwitchover.Progress() {
        @Override
        public void blocking(ServerConfig orig, ServerConfig next) {
            cluster.journal.add("progress: blocking " + orig.block() + " for " + next.block());
        }

        @Override
        public void promoted(ServerConfig orig, ServerConfig next) {
            cluster.journal.add("progress: promoted " + next.block() + " after " + orig.block());
        }
    };

    private SwitchoverReport switchOver(boolean origMasterIsNewSlave) {
        OnlineSwitchover.Settings settings =
                new OnlineSwitchover.Settings(Optional.empty(), origMasterIsNewSlave, Duration.ofSeconds(1), CATCH_UP);
        return new OnlineSwitchover(cluster.setup(new MhaElector()), settings, progress).run(cluster.config(1));
    }

    @Test
    void theOldMasterStopsTakingWritesBeforeTheNewOneTakesAnyAndEveryoneFollowsIt() {
        SwitchoverReport report = switchOver(true);

        assertThat(report.outcome()).as(report.toText()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(report.origMaster()).isSameAs(cluster.config(1));
        assertThat(report.newMaster()).contains(cluster.config(2));
        assertThat(cluster.journal)
                .containsSubsequence(
                        "server1: SET GLOBAL read_only=ON",
                        "server1: FLUSH TABLES WITH READ LOCK",
                        "server2: SET GLOBAL read_only=OFF",
                        "server1: UNLOCK TABLES");
        assertThat(cluster.server(2).readOnly).isFalse();
        assertThat(cluster.server(1).readOnly).isTrue();
        assertThat(cluster.server(3).sourcePort).isEqualTo(3307);
        assertThat(cluster.server(1).sourcePort).isEqualTo(3307);
        assertThat(cluster.server(1).executed)
                .as("the old master rejoins through the rewirer, from its own writes")
                .anySatisfy(sql -> assertThat(sql)
                        .startsWith("CHANGE MASTER TO")
                        .contains("MASTER_USE_GTID=current_pos")
                        .contains("MASTER_HEARTBEAT_PERIOD="));
        assertThat(report.replicas())
                .hasSize(2)
                .allSatisfy(o -> assertThat(o.recovered()).isTrue());
        assertThat(report.steps()).extracting(s -> s.detail()).containsOnly("ok");
    }

    @Test
    void listenersHearOfTheBlockBeforeTheOldMasterIsReadOnlyAndOfTheNewMasterOnceItIsWritable() {
        switchOver(true);

        assertThat(cluster.journal)
                .containsSubsequence(
                        "progress: blocking server1 for server2",
                        "server1: SET GLOBAL read_only=ON",
                        "server2: SET GLOBAL read_only=OFF",
                        "progress: promoted server2 after server1",
                        "server3: STOP SLAVE");
        assertThat(cluster.journal.indexOf("progress: promoted server2 after server1"))
                .as("told before any replica is rewired")
                .isLessThan(cluster.journal.indexOf("server1: UNLOCK TABLES"));
    }

    @Test
    void withoutOrigMasterIsNewSlaveTheOldMasterIsLeftReadOnlyAndAlone() {
        SwitchoverReport report = switchOver(false);

        assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(cluster.server(1).readOnly).isTrue();
        assertThat(cluster.server(1).executed)
                .noneSatisfy(sql -> assertThat(sql).startsWith("CHANGE MASTER"));
        assertThat(report.replicas())
                .singleElement()
                .satisfies(
                        o -> assertThat(o.server()).isEqualTo(cluster.config(3).displayName()));
    }

    @Test
    void aNewMasterThatNeverCatchesUpGivesTheOldMasterItsWritesBackAfterTheTimeoutInVirtualTime() {
        cluster.server(1).gtid = "0-1-12"; // the replicas never receive 11 and 12

        SwitchoverReport report = switchOver(true);

        assertThat(report.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(report.newMaster()).isEmpty();
        assertThat(cluster.journal)
                .as("the switch began, and no new master was announced")
                .contains("progress: blocking server1 for server2")
                .noneMatch(line -> line.startsWith("progress: promoted"));
        assertThat(report.errors())
                .singleElement()
                .asString()
                .contains("timed out after 30000 ms")
                .contains("lacks 0-1-11..12");
        assertThat(cluster.journal)
                .containsSubsequence(
                        "server1: SET GLOBAL read_only=ON",
                        "server1: UNLOCK TABLES",
                        "server1: SET GLOBAL read_only=OFF");
        assertThat(cluster.server(1).readOnly).isFalse();
        assertThat(cluster.server(2).readOnly).isTrue();
        assertThat(Duration.between(ManualScheduler.EPOCH, cluster.time.now())).isGreaterThanOrEqualTo(CATCH_UP);
    }

    @Test
    void aLongRunningUpdateOnTheMasterRefusesTheSwitchBeforeAnythingChanges() {
        cluster.server(1).runningUpdates =
                List.of(Row.of(Map.of("ID", "42", "USER", "app", "TIME", "7", "INFO", "UPDATE t SET x = x + 1")));

        SwitchoverReport report = switchOver(true);

        assertThat(report.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(report.errors())
                .singleElement()
                .asString()
                .contains("an update has run for 7 s")
                .contains("id 42 user app");
        assertThat(cluster.journal).as("not even the listeners were told").isEmpty();
    }

    @Test
    void aLaggingReplicaOrOneReplicatingFromElsewhereRefusesTheSwitchNamingIt() {
        cluster.server(2).lagSeconds = 45;
        cluster.server(3).sourcePort = 3399;

        SwitchoverReport report = switchOver(true);

        assertThat(report.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(report.errors())
                .as(report.toText())
                .anySatisfy(e ->
                        assertThat(e).contains(cluster.config(2).displayName()).contains("lags 45 s"));
        assertThat(report.errors())
                .anySatisfy(e ->
                        assertThat(e).contains(cluster.config(3).displayName()).contains("does not replicate from"));
        assertThat(cluster.journal).isEmpty();
    }
}
