package io.mha4j.failover;

import io.mha4j.testkit.ReplicationNode;
import io.mha4j.testkit.SandboxCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Times, from a client, what {@code STOP SLAVE} and {@code CHANGE MASTER} may have to do in
 * proportion to a replica's data. A 3-node sandbox whose master's binary log holds about {@code
 * args[0]} MB (each replica's relay log as much); on one replica what a promotion runs, on the
 * other what a rewiring runs; then, for each further argument, a transaction of that many rows of
 * 200 bytes inserted into a table that is not empty and rolled back (as a stopped SQL thread rolls
 * back what it applied of a transaction it did not receive whole). Not a test; run by hand for
 * docs/measurements.md ("What a replica's STOP SLAVE and CHANGE MASTER do").
 */
public final class ReplicationStopMeasurement {
    public static void main(String[] args) throws SQLException {
        int mb = Integer.parseInt(args[0]);
        try (SandboxCluster cluster = SandboxCluster.builder().nodes(3).start()) {
            cluster.master().fillBinaryLog(mb);
            cluster.awaitReplicasCaughtUp(Duration.ofMinutes(5));
            ReplicationNode promoted = cluster.replicas().get(0);
            ReplicationNode rewired = cluster.replicas().get(1);
            System.out.printf(
                    "Relay_Log_Space=%s%n",
                    promoted.replicaStatus().orElseThrow().get("Relay_Log_Space"));
            for (String sql : new String[] {"STOP SLAVE", "RESET SLAVE ALL", "SET GLOBAL read_only=0"}) {
                System.out.printf("promoted %s ms=%d%n", sql, timed(promoted, sql));
            }
            String change = "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + promoted.port()
                    + ", MASTER_USE_GTID=slave_pos";
            for (String sql : new String[] {"STOP SLAVE", change, "START SLAVE"}) {
                System.out.printf("rewired %s ms=%d%n", sql.split(",")[0], timed(rewired, sql));
            }
            promoted.execute(
                    "CREATE TABLE mha4j_fill.undo (id INT PRIMARY KEY, pad VARCHAR(200) NOT NULL)",
                    // Not empty: InnoDB logs an insert into an empty table as one undo record (MDEV-24621).
                    "INSERT INTO mha4j_fill.undo VALUES (0, 'not empty')");
            for (int i = 1; i < args.length; i++) {
                rollBack(promoted, Integer.parseInt(args[i]));
            }
        }
    }

    private static void rollBack(ReplicationNode node, int rows) throws SQLException {
        try (Connection c = node.connect();
                Statement st = c.createStatement()) {
            st.execute("SET SESSION sql_log_bin=0");
            st.execute("START TRANSACTION");
            long start = System.nanoTime();
            for (int from = 0; from < rows; from += 10_000) {
                st.execute("INSERT INTO mha4j_fill.undo SELECT seq + " + from
                        + ", REPEAT('x', 200) FROM mha4j_fill.seq_1_to_" + Math.min(10_000, rows - from));
            }
            long inserted = System.nanoTime();
            st.execute("ROLLBACK");
            System.out.printf(
                    "rows=%d insert ms=%d rollback ms=%d%n",
                    rows, (inserted - start) / 1_000_000, (System.nanoTime() - inserted) / 1_000_000);
        }
    }

    private static long timed(ReplicationNode node, String sql) {
        long start = System.nanoTime();
        node.execute(sql);
        return (System.nanoTime() - start) / 1_000_000;
    }
}
