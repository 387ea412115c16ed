package io.mha4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.testkit.SandboxNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
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
 * An application writing while a master is failed over, for the integration tests that measure the
 * write outage it sees and prove where its writes went (the datasource's writer, HAProxy's write
 * port): one single-row INSERT per connection into {@code table (id BIGINT PRIMARY KEY, origin INT
 * UNSIGNED NOT NULL)}, each row carrying the {@code @@server_id} of the server that made it, bounded
 * in count and time; optionally a reader beside it ({@link #startReading}). A shared test fixture
 * (core's test-jar) beside {@link SandboxConfigs}.
 * Unlike the testkit's {@code WriteLedger} it keeps no connection between writes (each write asks
 * the router afresh, as a pooled application does) and knows when each write was acknowledged and
 * on which server it was made.
 */
public final class AcknowledgedWrites {
    private static final Logger log = LoggerFactory.getLogger(AcknowledgedWrites.class);
    private static final long MAX_WRITES = 50_000;
    private static final Duration MAX_WRITING = Duration.ofMinutes(3);

    /** Where each write gets its connection: the thing under test. */
    @FunctionalInterface
    public interface Connector {
        Connection connect() throws SQLException;
    }

    private final String table;
    /** Ids the server acknowledged, with the time of the acknowledgement (System.nanoTime). */
    private final NavigableMap<Long, Long> acknowledged = new ConcurrentSkipListMap<>();

    private final Set<Long> inDoubt = new ConcurrentSkipListSet<>();
    /** Each failed write's id and error, in order. */
    private final List<String> failures = new CopyOnWriteArrayList<>();

    private final AtomicLong readsServed = new AtomicLong();
    private final List<String> readFailures = new CopyOnWriteArrayList<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicBoolean stop = new AtomicBoolean();

    /** Writes into {@code table} (database-qualified), which the test creates on the master. */
    public AcknowledgedWrites(String table) {
        this.table = table;
    }

    /** {@code table}'s statement for the test to run on the master. */
    public static String createTable(String table) {
        return "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, origin INT UNSIGNED NOT NULL)";
    }

    /** Starts writing on a thread of its own, until {@link #stop()} or its bounds. */
    public CompletableFuture<Void> start(Connector connector) {
        return CompletableFuture.runAsync(
                () -> writeUntilStopped(connector), r -> new Thread(r, "application-writer").start());
    }

    /**
     * Starts reading {@code SELECT @@port} on a thread of its own, one connection per read from
     * {@code connector} (the reader under test), until {@link #stop()} or its bounds.
     */
    public CompletableFuture<Void> startReading(Connector connector) {
        return CompletableFuture.runAsync(
                () -> readUntilStopped(connector), r -> new Thread(r, "application-reader").start());
    }

    /** Asks the writer (and the reader) to end after the statement they are making. */
    public void stop() {
        stop.set(true);
    }

    /** The id the next write takes: every write from here was sent after this call. */
    public long nextId() {
        return nextId.get();
    }

    /** Ids acknowledged and when (System.nanoTime), ascending. */
    public NavigableMap<Long, Long> acknowledged() {
        return acknowledged;
    }

    /** How many writes from {@code id} on were acknowledged. */
    public int acknowledgedFrom(long id) {
        return acknowledged.tailMap(id, true).size();
    }

    /** Writes sent whose outcome is unknown (the connection broke before the answer). */
    public Set<Long> inDoubt() {
        return inDoubt;
    }

    /** Each failed write's id and error, in order. */
    public List<String> failures() {
        return failures;
    }

    public long readsServed() {
        return readsServed.get();
    }

    /** Each failed read's error, in order. */
    public List<String> readFailures() {
        return readFailures;
    }

    /**
     * The write outage the application saw: the longest time between two acknowledged writes in a
     * row among those from {@code firstId} on, with the one before it, in ms.
     */
    public long longestGapMillis(long firstId) {
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

    /** {@code id -> origin} of every row of the table on {@code node}. */
    public Map<Long, Long> rows(SandboxNode node) {
        return node.query("SELECT id, origin FROM " + table).stream()
                .collect(Collectors.toMap(r -> Long.parseLong(r.get("id")), r -> Long.parseLong(r.get("origin"))));
    }

    /**
     * What a failover must leave, once the survivors caught up: every acknowledged write on {@code
     * newMaster}, and on each of {@code survivors} the same rows; every write from id {@code
     * switchedFrom} on made on the new master; none from id {@code killedFrom} on made on {@code
     * oldMaster} (restarted: it may hold the new master's rows if it was rejoined, never its own).
     */
    public void assertKept(
            SandboxNode newMaster,
            List<SandboxNode> survivors,
            SandboxNode oldMaster,
            long killedFrom,
            long switchedFrom) {
        Map<Long, Long> onNewMaster = rows(newMaster);
        assertThat(onNewMaster.keySet())
                .as("every acknowledged write is on the new master")
                .containsAll(acknowledged.keySet());
        for (SandboxNode survivor : survivors) {
            assertThat(rows(survivor)).as("the survivors agree").isEqualTo(onNewMaster);
        }
        assertThat(new TreeMap<>(onNewMaster).tailMap(switchedFrom).values())
                .as("every write from id " + switchedFrom + " on was made on the new master")
                .containsOnly(newMaster.serverId());
        assertThat(rows(oldMaster).entrySet().stream()
                        .filter(e -> e.getValue() == oldMaster.serverId() && e.getKey() >= killedFrom)
                        .map(Map.Entry::getKey)
                        .toList())
                .as("writes made on the old master after it was killed")
                .isEmpty();
    }

    private void writeUntilStopped(Connector connector) {
        long deadline = System.nanoTime() + MAX_WRITING.toNanos();
        while (!stop.get() && nextId.get() <= MAX_WRITES && System.nanoTime() < deadline) {
            long id = nextId.getAndIncrement();
            boolean sent = false;
            try (Connection c = connector.connect();
                    PreparedStatement insert =
                            c.prepareStatement("INSERT INTO " + table + " (id, origin) VALUES (?, @@server_id)")) {
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

    private void readUntilStopped(Connector connector) {
        long deadline = System.nanoTime() + MAX_WRITING.toNanos();
        while (!stop.get() && readsServed.get() < MAX_WRITES && System.nanoTime() < deadline) {
            try (Connection c = connector.connect();
                    Statement s = c.createStatement();
                    ResultSet port = s.executeQuery("SELECT @@port")) {
                port.next();
                readsServed.incrementAndGet();
            } catch (SQLException e) {
                readFailures.add(e.getMessage());
            }
        }
    }
}
