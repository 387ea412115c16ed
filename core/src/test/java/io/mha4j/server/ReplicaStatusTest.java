package io.mha4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What a replica's status says of a transaction it applied part of. */
class ReplicaStatusTest {
    private static final String IDLE = "Slave has read all relay log; waiting for more updates";

    private static ReplicaStatus status(
            boolean sqlRunning, long delay, String sqlState, String readFile, long read, long executed) {
        return new ReplicaStatus(
                "127.0.0.1",
                3306,
                "repl",
                ReplicaStatus.IoThread.STOPPED,
                sqlRunning,
                Optional.of(new BinlogPosition(readFile, read)),
                Optional.of(new BinlogPosition("mysql-bin.000001", executed)),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                ReplicaStatus.Positioning.GTID_REPLICATED_POSITION,
                OptionalLong.empty(),
                delay,
                ReplicationError.NONE,
                ReplicationError.NONE,
                1,
                sqlState,
                ReplicationFilters.NONE);
    }

    @Test
    void anIdleSqlThreadShortOfWhatItReceivedIsInsideATransaction() {
        assertThat(status(true, 0, IDLE, "mysql-bin.000001", 31_000_000, 840).halfAppliedBytes())
                .isEqualTo(31_000_000 - 840);
        assertThat(status(
                                true,
                                0,
                                "Replica has read all relay log; waiting for more updates",
                                "mysql-bin.000001",
                                900,
                                800)
                        .halfAppliedBytes())
                .as("MySQL's words")
                .isEqualTo(100);
    }

    @Test
    void aBacklogIsNoTransactionBegun() {
        assertThat(status(true, 0, "Reading event from the relay log", "mysql-bin.000001", 900, 800)
                        .halfAppliedBytes())
                .as("still applying")
                .isZero();
        assertThat(status(true, 3600, IDLE, "mysql-bin.000001", 900, 800).halfAppliedBytes())
                .as("delayed")
                .isZero();
        assertThat(status(false, 0, "", "mysql-bin.000001", 900, 800).halfAppliedBytes())
                .as("SQL thread stopped")
                .isZero();
        assertThat(status(true, 0, IDLE, "mysql-bin.000002", 900, 800).halfAppliedBytes())
                .as("positions in different files")
                .isZero();
        assertThat(status(true, 0, IDLE, "mysql-bin.000001", 800, 800).halfAppliedBytes())
                .isZero();
    }
}
