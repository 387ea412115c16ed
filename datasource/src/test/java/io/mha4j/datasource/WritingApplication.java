package io.mha4j.datasource;

import static org.awaitility.Awaitility.await;

import io.mha4j.config.ServerConfig;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application of the data sources' ITs: one thread writing single-row INSERTs through {@link
 * TopologyDataSources#writer()}, one connection each, every row carrying the {@code @@server_id} it
 * was written on; optionally one thread reading {@code @@port} through {@link
 * TopologyDataSources#reader()}. Both bounded in count and time.
 */
final class WritingApplication {
    private static final Logger log = LoggerFactory.getLogger(WritingApplication.class);
    private static final long MAX_WRITES = 50_000;
    private static final Duration MAX_RUNNING = Duration.ofMinutes(3);

    /** Ids the server acknowledged, with the time of the acknowledgement (System.nanoTime). */
    final NavigableMap<Long, Long> acknowledged = new ConcurrentSkipListMap<>();
    /** Sent, and failed without an answer: on the server or not. */
    final Set<Long> inDoubt = new ConcurrentSkipListSet<>();
    /** Each failed write's error, in order. */
    final List<String> failures = new CopyOnWriteArrayList<>();

    final AtomicLong readsServed = new AtomicLong();
    final List<String> readFailures = new CopyOnWriteArrayList<>();

    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<CompletableFuture<Void>> threads = new ArrayList<>();

    /** The table the application writes to, created on the master before replication is checked. */
    static void createTable(SandboxNode master) {
        master.execute(
                "CREATE DATABASE ds_it",
                "CREATE TABLE ds_it.writes (id BIGINT PRIMARY KEY, origin INT UNSIGNED NOT NULL)");
    }

    void startWriting(TopologyDataSources db) {
        threads.add(CompletableFuture.runAsync(
                () -> writeUntilStopped(db), r -> new Thread(r, "application-writer").start()));
    }

    void startReading(TopologyDataSources db) {
        threads.add(CompletableFuture.runAsync(
                () -> readUntilStopped(db), r -> new Thread(r, "application-reader").start()));
    }

    /** The id the next write takes: every later write has a larger one. */
    long nextId() {
        return nextId.get();
    }

    boolean isDone() {
        return threads.stream().anyMatch(CompletableFuture::isDone);
    }

    /** Waits until {@code count} writes from {@code firstId} on were acknowledged (or the application ended). */
    void awaitAcknowledged(long firstId, int count, Duration wait) {
        await().atMost(wait).until(() -> acknowledged.tailMap(firstId, true).size() >= count || isDone());
    }

    void stop(Duration wait) throws Exception {
        stop.set(true);
        for (CompletableFuture<Void> t : threads) {
            t.get(wait.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Stops without waiting: for a finally block. */
    void halt() {
        stop.set(true);
    }

    /**
     * The write outage the application saw: the longest time between two acknowledged writes in a row
     * among those from {@code firstId} on, with the one before it, in ms.
     */
    long longestGapMillis(long firstId) {
        Map.Entry<Long, Long> before = acknowledged.lowerEntry(firstId);
        Iterator<Long> at = acknowledged.tailMap(firstId, true).values().iterator();
        long last = before != null ? before.getValue() : at.next();
        long longest = 0;
        while (at.hasNext()) {
            long t = at.next();
            longest = Math.max(longest, t - last);
            last = t;
        }
        return TimeUnit.NANOSECONDS.toMillis(longest);
    }

    private void writeUntilStopped(TopologyDataSources db) {
        long deadline = System.nanoTime() + MAX_RUNNING.toNanos();
        while (!stop.get() && nextId.get() <= MAX_WRITES && System.nanoTime() < deadline) {
            long id = nextId.getAndIncrement();
            boolean sent = false;
            try (Connection c = db.writer().getConnection();
                    PreparedStatement insert =
                            c.prepareStatement("INSERT INTO ds_it.writes (id, origin) VALUES (?, @@server_id)")) {
                insert.setLong(1, id);
                sent = true;
                insert.executeUpdate();
                acknowledged.put(id, System.nanoTime());
            } catch (SQLException e) {
                if (sent) {
                    inDoubt.add(id);
                }
                failures.add(id + ": " + e.getMessage());
                log.debug("write {} failed: {}", id, e.getMessage());
            }
        }
    }

    private void readUntilStopped(TopologyDataSources db) {
        long deadline = System.nanoTime() + MAX_RUNNING.toNanos();
        while (!stop.get() && readsServed.get() < MAX_WRITES && System.nanoTime() < deadline) {
            try (Connection c = db.reader().getConnection();
                    ResultSet port = c.createStatement().executeQuery("SELECT @@port")) {
                port.next();
                readsServed.incrementAndGet();
            } catch (SQLException e) {
                readFailures.add(e.getMessage());
            }
        }
    }

    /** Every row of the table on {@code node}: id to the server_id it was written on. */
    static Map<Long, Long> rows(SandboxNode node) {
        return node.query("SELECT id, origin FROM ds_it.writes").stream()
                .collect(Collectors.toMap(r -> Long.parseLong(r.get("id")), r -> Long.parseLong(r.get("origin"))));
    }

    static SandboxNode node(SandboxCluster cluster, ServerConfig server) {
        return cluster.nodes().stream()
                .filter(n -> n.port() == server.port())
                .findFirst()
                .orElseThrow();
    }
}
