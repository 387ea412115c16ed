package io.mha4j.internal.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.Mha4jException;
import io.mha4j.config.Secret;
import io.mha4j.failover.FollowRequest;
import io.mha4j.server.GtidStart;
import io.mha4j.server.ReplicationSource;
import io.mha4j.time.ManualScheduler;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The GTID rewirer on a scripted MariaDB replica (no server): the statements in their order, the
 * wait for replication, a broken SQL thread reported at once, a stalled one at the timeout, and
 * the promotion's statements.
 */
class GtidRewirerTest {
    private static final ReplicationSource NEW_MASTER =
            new ReplicationSource("10.0.0.52", 3306, "repl", Secret.of("repl-pw"));

    private final ScriptedReplica replica = new ScriptedReplica();
    private final GtidRewirer rewirer = new GtidRewirer();
    private final ManualScheduler time = new ManualScheduler();

    private void follow(GtidStart start, Duration timeout) {
        rewirer.follow(new FollowRequest(replica.survivor().connection(), NEW_MASTER, start, timeout, time));
    }

    @Test
    void followStopsPointsByGtidWithAHeartbeatStartsAndWaitsUntilItReplicates() {
        follow(GtidStart.REPLICATED, Duration.ofSeconds(5));

        assertThat(replica.executed).hasSize(3);
        assertThat(replica.executed.get(0)).isEqualTo("STOP SLAVE");
        assertThat(replica.executed.get(1))
                .startsWith("CHANGE MASTER TO")
                .contains("MASTER_HOST='10.0.0.52'")
                .contains("MASTER_PORT=3306")
                .contains("MASTER_USE_GTID=slave_pos")
                .contains("MASTER_HEARTBEAT_PERIOD=");
        assertThat(replica.executed.get(2)).isEqualTo("START SLAVE");
    }

    @Test
    void aSqlThreadStoppedOnAnErrorFailsAtOnceNotAtTheTimeout() {
        replica.sqlStops(1062, "Duplicate entry '7' for key 'PRIMARY'");

        assertThatThrownBy(() -> follow(GtidStart.REPLICATED, Duration.ofMinutes(1)))
                .isInstanceOf(Mha4jException.class)
                .isNotInstanceOf(Await.TimedOut.class)
                .hasMessageContaining("cannot replicate from 10.0.0.52:3306")
                .hasMessageContaining("Duplicate entry");
        assertThat(time.now()).as("no virtual time waited").isEqualTo(ManualScheduler.EPOCH);
    }

    @Test
    void aSqlThreadStoppedWithoutAnErrorIsWaitedForUntilTheTimeoutAndNamed() {
        replica.sqlRunning = false;
        replica.sqlStarts = false;

        assertThatThrownBy(() -> follow(GtidStart.REPLICATED, Duration.ofMinutes(10)))
                .isInstanceOf(Await.TimedOut.class)
                .hasMessageContaining("to replicate from 10.0.0.52:3306")
                .hasMessageContaining("SQL thread stopped");
        // Ten minutes of polls every 20 ms, in virtual time: the deadline, and one interval past it at most.
        assertThat(Duration.between(ManualScheduler.EPOCH, time.now()))
                .isBetween(Duration.ofMinutes(10), Duration.ofMinutes(10).plus(Await.INTERVAL));
    }

    @Test
    void aFormerMasterRejoinsFromEverythingItExecuted() {
        follow(GtidStart.EVERYTHING_EXECUTED, Duration.ofSeconds(5));

        assertThat(replica.executed.get(1))
                .contains("MASTER_USE_GTID=current_pos")
                .contains("MASTER_HEARTBEAT_PERIOD=");
    }

    @Test
    void promoteStopsReplicationResetsItWhenAskedAndMakesTheServerWritable() {
        rewirer.promote(replica.survivor().connection(), true);
        assertThat(replica.executed).containsExactly("STOP SLAVE", "RESET SLAVE ALL", "SET GLOBAL read_only=OFF");

        replica.executed.clear();
        rewirer.promote(replica.survivor().connection(), false);
        assertThat(replica.executed).containsExactly("STOP SLAVE", "SET GLOBAL read_only=OFF");
    }

    @Test
    void theRejoinStatementStartsFromEverythingExecutedAndHidesThePassword() {
        String statement = rewirer.rejoinStatement(replica.survivor().connection(), NEW_MASTER);
        assertThat(statement)
                .contains("MASTER_USE_GTID=current_pos")
                .contains("MASTER_PASSWORD='xxx'")
                .doesNotContain("repl-pw")
                .endsWith("START SLAVE;");
    }
}
