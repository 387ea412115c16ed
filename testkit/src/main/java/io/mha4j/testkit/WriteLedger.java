package io.mha4j.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proof that a failover lost nothing acknowledged: writes numbered rows to whatever the
 * master is, remembers which commits the server acknowledged, and later checks each node.
 *
 * <p>Each write is one autocommit {@code INSERT} of one row with the next id into
 * {@code mha4j_ledger.ledger} (created on first use), as the application user, so a
 * {@code read_only} server refuses it. The server is found through a {@code Supplier} of the
 * current master's endpoint, asked again whenever a connection fails, so a test can follow a
 * failover (e.g. {@code () -> cluster.master().endpoint()}) — or through the application's own
 * {@link DataSource} ({@link #builder(DataSource)}: a pool that follows the master, a proxy's
 * port), so that every way of reaching the master is judged by the same client. A failed {@code INSERT} leaves its
 * id <em>in doubt</em> (the commit may have happened before the connection broke); when no
 * server can be resolved or connected, nothing is sent and the id is kept for the next try.
 *
 * <p>Writes are serialised: {@link #writeOne()} and {@link #write(int)} may be called while a
 * background writer started by {@link #start} runs. Ids start at {@code firstId}; several
 * ledgers may share the table if their writer names and id ranges differ.
 *
 * <p>Like the rest of the testkit it is a product, not a test helper: users rehearse their own
 * failovers with it, so its verdict must never pass on nothing. {@link #verify} refuses an
 * empty set of nodes, and "nothing lost" is claimed with both of its halves:
 * <pre>{@code
 * LedgerReport r = ledger.verify(survivors);
 * assertThat(r.nothingLostAndAgreed()).as(r.toString()).isTrue(); // every write on every survivor, and they agree
 * }</pre>
 */
public final class WriteLedger implements AutoCloseable {

    static final String TABLE = "mha4j_ledger.ledger";
    private static final Logger log = LoggerFactory.getLogger(WriteLedger.class);
    private static final Pattern WRITER_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Duration MAX_BACKOFF = Duration.ofMillis(500);

    private final Supplier<Endpoint> target;
    /** Set when writes go through the application's DataSource instead of {@link #target}. */
    private final DataSource dataSource;

    private final String writer;
    private final Credentials credentials;
    private final int connectTimeoutMillis;
    private final int socketTimeoutMillis;
    private final String localAddress;
    /** Nanoseconds between the starts of the background writer's writes; 0: as fast as the master answers. */
    private final long writePeriodNanos;
    /** The background writer's pause while no server can be reached; null: growing from 10 ms to 500 ms. */
    private final Duration retryEvery;

    private final SortedSet<Long> acknowledged = new TreeSet<>();
    private final SortedSet<Long> inDoubt = new TreeSet<>();
    /** {@link System#nanoTime()} of each acknowledgement, ascending (writes are serialised). */
    private final List<Long> acknowledgedNanos = new ArrayList<>();

    private long nextId;
    private int noTarget;
    private boolean prepared;
    private Connection connection;
    private Object connectedTo;
    private volatile Thread background;
    private CountDownLatch stopSignal = new CountDownLatch(0);
    private volatile long backgroundNanos;

    private WriteLedger(Builder b) {
        this.target = b.target;
        this.dataSource = b.dataSource;
        this.writer = b.writer;
        this.credentials = b.credentials;
        this.connectTimeoutMillis = (int) b.connectTimeout.toMillis();
        this.socketTimeoutMillis = (int) b.socketTimeout.toMillis();
        this.localAddress = b.localAddress;
        this.writePeriodNanos = b.writesPerSecond == 0 ? 0 : 1_000_000_000L / b.writesPerSecond;
        this.retryEvery = b.retryEvery;
        this.nextId = b.firstId;
    }

    /** A ledger writing to whatever endpoint {@code target} names at the time of each connect. */
    public static Builder builder(Supplier<Endpoint> target) {
        return new Builder(Objects.requireNonNull(target, "target"), null);
    }

    /**
     * A ledger writing through the application's {@code dataSource}: a connection is borrowed for
     * writing and given back (closed) when a write fails, so the pool decides where the next one
     * goes. Its own credentials and timeouts apply; {@link Builder#credentials}, {@link
     * Builder#timeouts} and {@link Builder#localAddress} do not.
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(null, Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * Writes the next id once.
     *
     * @return {@link WriteOutcome#ACKNOWLEDGED}, {@link WriteOutcome#IN_DOUBT} (id used, outcome
     *     unknown) or {@link WriteOutcome#NO_TARGET} (nothing sent, id kept)
     */
    public synchronized WriteOutcome writeOne() {
        if (!ensureConnected()) {
            noTarget++;
            return WriteOutcome.NO_TARGET;
        }
        long id = nextId++;
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + TABLE + " (id, writer, payload, created) VALUES (?, ?, ?, NOW(6))")) {
            insert.setLong(1, id);
            insert.setString(2, writer);
            insert.setString(3, writer + ":" + id);
            insert.executeUpdate();
            acknowledged.add(id);
            acknowledgedNanos.add(System.nanoTime());
            return WriteOutcome.ACKNOWLEDGED;
        } catch (SQLException e) {
            inDoubt.add(id);
            log.info("Ledger {}: id {} in doubt after failing on {}: {}", writer, id, connectedTo, e.getMessage());
            disconnect();
            return WriteOutcome.IN_DOUBT;
        }
    }

    /** Makes {@code attempts} calls of {@link #writeOne()}; returns how many were acknowledged. */
    public int write(int attempts) {
        int acked = 0;
        for (int i = 0; i < attempts; i++) {
            if (writeOne() == WriteOutcome.ACKNOWLEDGED) {
                acked++;
            }
        }
        return acked;
    }

    /**
     * Writes in a background thread ({@code mha4j-ledger-<writer>}) until {@code maxRows} ids
     * were used, {@code maxDuration} passed, or {@link #stop()}. While no server can be
     * reached it retries with a growing pause of up to 500 ms.
     *
     * @throws IllegalStateException if a background writer already runs
     */
    public synchronized void start(long maxRows, Duration maxDuration) {
        if (background != null && background.isAlive()) {
            throw new IllegalStateException("Ledger " + writer + " is already writing");
        }
        CountDownLatch signal = new CountDownLatch(1);
        stopSignal = signal;
        background = new Thread(() -> writeUntil(maxRows, maxDuration, signal), "mha4j-ledger-" + writer);
        background.setDaemon(true);
        background.start();
        log.info("Ledger {}: background writer started (at most {} rows, {})", writer, maxRows, maxDuration);
    }

    /** Whether the background writer still runs (it ends at its row or time limit, or at {@link #stop()}). */
    public boolean isWriting() {
        Thread t = background;
        return t != null && t.isAlive();
    }

    private void writeUntil(long maxRows, Duration maxDuration, CountDownLatch signal) {
        long started = System.nanoTime();
        long deadline = started + maxDuration.toNanos();
        long firstId = currentNextId();
        long nextWrite = started;
        Duration firstPause = retryEvery != null ? retryEvery : Duration.ofMillis(10);
        Duration backoff = firstPause;
        try {
            while (signal.getCount() > 0 && System.nanoTime() < deadline && currentNextId() - firstId < maxRows) {
                if (writeOne() != WriteOutcome.NO_TARGET) {
                    backoff = firstPause;
                    // Paced: one period after the last write began; after a slow one (a failover), no burst to catch
                    // up.
                    nextWrite = Math.max(nextWrite + writePeriodNanos, System.nanoTime());
                    long pause = nextWrite - System.nanoTime();
                    if (writePeriodNanos > 0 && pause > 0 && signal.await(pause, TimeUnit.NANOSECONDS)) {
                        break;
                    }
                } else if (signal.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                } else if (retryEvery == null) {
                    Duration doubled = backoff.multipliedBy(2);
                    backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            backgroundNanos += System.nanoTime() - started;
        }
    }

    private synchronized long currentNextId() {
        return nextId;
    }

    /** Stops the background writer (if any), waits for it, and summarises every write so far. */
    public LedgerSummary stop() {
        stopBackground();
        LedgerSummary summary;
        synchronized (this) {
            summary =
                    new LedgerSummary(acknowledged.size(), inDoubt.size(), noTarget, Duration.ofNanos(backgroundNanos));
        }
        log.info("Ledger {}: {}", writer, summary);
        return summary;
    }

    private void stopBackground() {
        Thread running;
        synchronized (this) {
            running = background;
            stopSignal.countDown();
        }
        if (running != null) {
            try {
                running.join(Duration.ofMillis(socketTimeoutMillis + connectTimeoutMillis + 5_000L)
                        .toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Ids whose commit the server acknowledged, ascending. */
    public synchronized SortedSet<Long> acknowledged() {
        return new TreeSet<>(acknowledged);
    }

    /**
     * When the first write acknowledged at or after {@code nanoTime} ({@link System#nanoTime()})
     * was acknowledged: the end of an outage that began then, as the application saw it.
     */
    public synchronized OptionalLong firstAcknowledgedAfter(long nanoTime) {
        int low = 0;
        int high = acknowledgedNanos.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (acknowledgedNanos.get(mid) < nanoTime) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low < acknowledgedNanos.size() ? OptionalLong.of(acknowledgedNanos.get(low)) : OptionalLong.empty();
    }

    /** Ids whose INSERT failed after being sent, ascending. */
    public synchronized SortedSet<Long> inDoubt() {
        return new TreeSet<>(inDoubt);
    }

    public String writer() {
        return writer;
    }

    /**
     * Compares each node's ledger rows (as admin) with what was acknowledged and in doubt.
     *
     * @param nodes the nodes that must hold every acknowledged write, typically every survivor
     * @throws IllegalArgumentException if {@code nodes} is empty: verifying no node would pass
     *     whatever was lost
     */
    public LedgerReport verify(Collection<? extends ReplicationNode> nodes) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("Ledger " + writer + ": verify() was given no node; an empty set of"
                    + " servers would pass whatever was lost. Pass the nodes that must hold the acknowledged writes"
                    + " (e.g. the failover's survivors)");
        }
        SortedSet<Long> acked;
        SortedSet<Long> doubtful;
        synchronized (this) {
            acked = new TreeSet<>(acknowledged);
            doubtful = new TreeSet<>(inDoubt);
        }
        List<NodeLedger> results = new ArrayList<>();
        for (ReplicationNode node : nodes) {
            results.add(LedgerRows.read(node, writer).compare(node.name(), acked, doubtful));
        }
        LedgerReport report = new LedgerReport(acked.size(), doubtful.size(), results);
        log.info("Ledger {}: {}", writer, report);
        return report;
    }

    /** Stops the background writer and closes the connection. */
    @Override
    public void close() {
        stopBackground();
        synchronized (this) {
            disconnect();
        }
    }

    private boolean ensureConnected() {
        if (connection != null) {
            return true;
        }
        Object endpoint;
        try {
            endpoint = dataSource != null ? "the application's DataSource" : target.get();
        } catch (RuntimeException e) {
            log.debug("Ledger {}: no target: {}", writer, e.getMessage());
            return false;
        }
        try {
            connection = dataSource != null ? dataSource.getConnection() : open((Endpoint) endpoint);
            connectedTo = endpoint;
            if (!prepared) {
                try (Statement s = connection.createStatement()) {
                    s.execute("CREATE DATABASE IF NOT EXISTS mha4j_ledger");
                    s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id BIGINT PRIMARY KEY,"
                            + " writer VARCHAR(64) NOT NULL, payload VARCHAR(255) NOT NULL,"
                            + " created TIMESTAMP(6) NOT NULL)");
                }
                prepared = true;
            }
            log.info("Ledger {}: writing to {}", writer, endpoint);
            return true;
        } catch (SQLException e) {
            log.debug("Ledger {}: cannot use {}: {}", writer, endpoint, e.getMessage());
            disconnect();
            return false;
        }
    }

    private Connection open(Endpoint endpoint) throws SQLException {
        String url = endpoint.jdbcUrl(connectTimeoutMillis, socketTimeoutMillis)
                + (localAddress == null ? "" : "&localSocketAddress=" + localAddress);
        return DriverManager.getConnection(url, credentials.user(), credentials.password());
    }

    private void disconnect() {
        if (connection != null) {
            TcpProxy.closeQuietly(connection);
        }
        connection = null;
        connectedTo = null;
    }

    /** Configures a {@link WriteLedger}. */
    public static final class Builder {

        private final Supplier<Endpoint> target;
        private final DataSource dataSource;
        private String writer = "ledger";
        private Credentials credentials = SandboxCredentials.APPLICATION;
        private long firstId = 1;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration socketTimeout = Duration.ofSeconds(5);
        private String localAddress;
        private int writesPerSecond;
        private Duration retryEvery;

        private Builder(Supplier<Endpoint> target, DataSource dataSource) {
            this.target = target;
            this.dataSource = dataSource;
        }

        /** The writer name stored with each row (letters, digits, '-', '_'; default "ledger"). */
        public Builder writer(String writer) {
            if (!WRITER_NAME.matcher(writer).matches()) {
                throw new IllegalArgumentException("Writer name must match " + WRITER_NAME + ": " + writer);
            }
            this.writer = writer;
            return this;
        }

        /** Who writes (default the sandbox application user, which {@code read_only} stops). */
        public Builder credentials(Credentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** The first id to write (default 1). */
        public Builder firstId(long firstId) {
            this.firstId = firstId;
            return this;
        }

        /** Connect and read timeouts for writes (default 2 s and 5 s): a hung master costs that much. */
        public Builder timeouts(Duration connect, Duration socket) {
            this.connectTimeout = Objects.requireNonNull(connect, "connect");
            this.socketTimeout = Objects.requireNonNull(socket, "socket");
            return this;
        }

        /**
         * The local address connections leave from (default: the system's choice), e.g. a
         * {@link NetworkLab#clientAddress()} so that the application keeps its server while a
         * manager on the default address is cut off.
         */
        public Builder localAddress(String localAddress) {
            this.localAddress = Objects.requireNonNull(localAddress, "localAddress");
            return this;
        }

        /**
         * Paces the background writer to {@code perSecond} writes a second, as an application with a
         * steady load writes (default 0: as fast as the master answers, which on loopback is
         * thousands a second).
         */
        public Builder writesPerSecond(int perSecond) {
            if (perSecond < 0) {
                throw new IllegalArgumentException("writesPerSecond must be 0 (unpaced) or more: " + perSecond);
            }
            this.writesPerSecond = perSecond;
            return this;
        }

        /**
         * While no server can be reached, the background writer tries again every {@code pause}
         * instead of after a pause growing from 10 ms to 500 ms — for a bench that times when writes
         * are possible again: with the growing pause, the end of an outage would be seen up to 500 ms
         * late, in steps of the schedule, whatever reached the master.
         */
        public Builder retryEvery(Duration pause) {
            if (pause.isNegative() || pause.isZero()) {
                throw new IllegalArgumentException("retryEvery must be positive: " + pause);
            }
            this.retryEvery = pause;
            return this;
        }

        public WriteLedger build() {
            return new WriteLedger(this);
        }
    }
}
