package io.mha4j.samples.recipes;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Secret;
import io.mha4j.datasource.DataSourceSettings;
import io.mha4j.datasource.TopologyDataSources;
import io.mha4j.manager.MhaManager;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Recipe: an application whose connection pools follow the master (the MHA tutorial's "MHA with
 * Atlas" read/write split, without a proxy). It takes two {@link javax.sql.DataSource}s from one
 * {@link TopologyDataSources} — {@code writer()} for orders, {@code reader()} for reports — and
 * binds them to a manager in the same process. The master is killed while the application places
 * orders; it retries a failed order as any application retries a failed transaction, and goes on:
 * the writer moves to the new master once it is writable, the reader to the replicas that are left.
 */
public final class DataSourceRecipe {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private DataSourceRecipe() {}

    /** What the application saw: orders placed, the longest wait for one, and the orders the new master holds. */
    public record Result(int ordersPlaced, long longestOrderMillis, int ordersOnTheNewMaster) {}

    public static void main(String[] args) throws Exception {
        Result r = run(System.out);
        System.exit(r.ordersOnTheNewMaster() == r.ordersPlaced() ? 0 : 1);
    }

    /** Runs the recipe on a sandbox of three servers. */
    public static Result run(PrintStream out) throws Exception {
        Path workdir = Files.createTempDirectory("mha4j-recipe");
        try (SandboxCluster cluster =
                SandboxCluster.builder().nodes(3).startsReadOnly(false).start()) {
            cluster.node(1)
                    .execute(
                            "CREATE DATABASE shop",
                            "CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(32) NOT NULL)");
            ApplicationConfig.Builder config = SandboxApplication.of("shop", cluster);
            // The application's own account, which read_only stops: never the manager's.
            DataSourceSettings settings = DataSourceSettings.builder()
                    .credentials(
                            SandboxCredentials.APPLICATION.user(), Secret.of(SandboxCredentials.APPLICATION.password()))
                    .connectionTimeout(Duration.ofSeconds(5))
                    .build();
            try (TopologyDataSources db = TopologyDataSources.builder(config.build())
                            .settings(settings)
                            .build();
                    MhaManager manager = db.bind(MhaManager.builder(config.build()))
                            .workdir(workdir)
                            .build()) {
                manager.start();
                out.println("Writes go to " + manager.awaitMonitoring(WAIT).block());
                long longest = 0;
                int placed = 0;
                for (int id = 1; id <= 200; id++) {
                    if (id == 100) {
                        out.println("Killing the master (kill -9) while orders come in");
                        cluster.node(1).kill();
                    }
                    long started = System.nanoTime();
                    placeOrder(db, id, out);
                    longest = Math.max(longest, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                    placed++;
                }
                out.println("Writes go to " + db.writerTarget().orElseThrow().block() + " now; the longest order took "
                        + longest + " ms");
                // The replica left is read from again once it replicates from the new master within the lag limit.
                long until = System.nanoTime() + WAIT.toNanos();
                while (db.readTargets().isEmpty() && System.nanoTime() < until) {
                    Thread.sleep(100);
                }
                out.println("Reads go to "
                        + db.readTargets().stream().map(s -> s.block()).toList() + "; orders the reader sees: "
                        + count(db, "reader"));
                return new Result(placed, longest, count(db, "writer"));
            }
        }
    }

    /**
     * One order, retried while the pool has no master to give (during the failover) or the
     * connection broke under it: a primary key makes the retry harmless if the first try committed.
     */
    private static void placeOrder(TopologyDataSources db, int id, PrintStream out) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try (Connection c = db.writer().getConnection();
                    PreparedStatement insert = c.prepareStatement("INSERT IGNORE INTO shop.orders VALUES (?, ?)")) {
                insert.setInt(1, id);
                insert.setString(2, "item-" + id);
                insert.executeUpdate();
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                out.println("Order " + id + " failed (" + e.getSQLState() + "), retrying: " + e.getMessage());
                Thread.sleep(100); // an application's back-off, so that a refused connection is not retried in a spin
            }
        }
    }

    private static int count(TopologyDataSources db, String which) throws SQLException {
        try (Connection c = (which.equals("writer") ? db.writer() : db.reader()).getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM shop.orders")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
