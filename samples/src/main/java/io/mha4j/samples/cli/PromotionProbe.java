package io.mha4j.samples.cli;

import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * How {@code bench failover} sees a failover from outside, the same way whichever tool ran it: an
 * ordinary client (the sandbox's application user, which {@code read_only} stops) tries one
 * {@code INSERT} on every survivor every 10 ms; the first that succeeds marks the promotion and the
 * new master. Convergence: every other survivor replicates from that master and has applied the
 * row. Nothing here asks the tool anything.
 */
final class PromotionProbe implements AutoCloseable {
    static final String TABLE = "mha4j_bench.promotion";
    private static final Duration POLL = Duration.ofMillis(10);
    /** MariaDB's ER_OPTION_PREVENTS_STATEMENT: the server is read_only, the connection stays good. */
    private static final int READ_ONLY = 1290;

    /** The first INSERT that succeeded: where, when ({@link System#nanoTime()}), and its row. */
    record Promotion(SandboxNode node, long nanos, long rowId) {}

    private final List<SandboxNode> survivors;
    private final Map<SandboxNode, Connection> connections = new LinkedHashMap<>();

    PromotionProbe(List<SandboxNode> survivors) {
        this.survivors = List.copyOf(survivors);
    }

    /** Creates the probe's table on the master (it replicates to the others before the trial's fault). */
    static void prepare(SandboxNode master) {
        master.execute(
                "CREATE DATABASE IF NOT EXISTS mha4j_bench",
                "CREATE TABLE IF NOT EXISTS " + TABLE
                        + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, node VARCHAR(64) NOT NULL, created TIMESTAMP(6) NOT NULL)");
    }

    /** Tries until an INSERT succeeds on some survivor; empty if none did within {@code limit}. */
    Optional<Promotion> awaitPromotion(Duration limit) {
        AtomicReference<Promotion> found = new AtomicReference<>();
        try {
            Awaitility.await("an ordinary user's INSERT succeeding on a survivor")
                    .atMost(limit)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(POLL)
                    .pollInSameThread()
                    .until(() -> {
                        for (SandboxNode node : survivors) {
                            Optional<Long> row = tryInsert(node);
                            if (row.isPresent()) {
                                found.set(new Promotion(node, System.nanoTime(), row.get()));
                                return true;
                            }
                        }
                        return false;
                    });
        } catch (ConditionTimeoutException e) {
            return Optional.empty();
        }
        return Optional.of(found.get());
    }

    /**
     * Waits until every survivor but the new master replicates from it (both threads running) and
     * has applied the promotion's row; returns when ({@link System#nanoTime()}), empty on timeout.
     */
    Optional<Long> awaitConvergence(Promotion promotion, Duration limit) {
        List<SandboxNode> others =
                survivors.stream().filter(n -> n != promotion.node()).toList();
        try {
            Awaitility.await("every survivor replicating from "
                            + promotion.node().name())
                    .atMost(limit)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20))
                    .pollInSameThread()
                    .ignoreExceptions()
                    .until(() -> others.stream()
                            .allMatch(r -> replicatesFrom(r, promotion.node()) && hasRow(r, promotion.rowId())));
        } catch (ConditionTimeoutException e) {
            return Optional.empty();
        }
        return Optional.of(System.nanoTime());
    }

    private static boolean replicatesFrom(SandboxNode replica, SandboxNode master) {
        return replica.replicaStatus()
                .filter(s -> "Yes".equals(s.get("Slave_IO_Running"))
                        && "Yes".equals(s.get("Slave_SQL_Running"))
                        && String.valueOf(master.port()).equals(s.get("Master_Port")))
                .isPresent();
    }

    private static boolean hasRow(SandboxNode replica, long id) {
        return !replica.queryForString("SELECT COUNT(*) FROM " + TABLE + " WHERE id = " + id)
                .equals("0");
    }

    /** One INSERT on {@code node} through its open connection (opened, or reopened after a failure, here). */
    private Optional<Long> tryInsert(SandboxNode node) {
        try {
            Connection c = connections.get(node);
            if (c == null) {
                c = DriverManager.getConnection(
                        node.endpoint().jdbcUrl(500, 2_000),
                        SandboxCredentials.APPLICATION.user(),
                        SandboxCredentials.APPLICATION.password());
                connections.put(node, c);
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO " + TABLE + " (node, created) VALUES (?," + " NOW(6))",
                    Statement.RETURN_GENERATED_KEYS)) {
                insert.setString(1, node.name());
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    return Optional.of(keys.getLong(1));
                }
            }
        } catch (SQLException e) {
            if (e.getErrorCode() != READ_ONLY) {
                close(node);
            }
            return Optional.empty();
        }
    }

    private void close(SandboxNode node) {
        Connection c = connections.remove(node);
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // a broken connection; nothing to release
            }
        }
    }

    @Override
    public void close() {
        List.copyOf(connections.keySet()).forEach(this::close);
    }
}
