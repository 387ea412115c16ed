package io.mha4j.datasource;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.manager.ManagerEvent;
import io.mha4j.manager.ManagerListener;
import io.mha4j.manager.MhaManager;
import io.mha4j.server.ReplicaReading;
import io.mha4j.time.Cancellable;
import io.mha4j.time.Scheduler;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two {@link DataSource}s that follow the topology an in-process {@link MhaManager} sees: {@link
 * #writer()} hands out connections to the current master, {@link #reader()} to the replicas whose
 * replication runs within {@link DataSourceSettings#readLagLimit()} (round robin), and to the master
 * when none does. Each server has its own HikariCP pool.
 *
 * <pre>{@code
 * TopologyDataSources db = TopologyDataSources.builder(app)
 *         .settings(DataSourceSettings.builder().credentials("orders", Secret.of(pw)).build())
 *         .build();
 * MhaManager mha = db.bind(MhaManager.builder(app).workdir(dir)).build();
 * mha.start();
 * DataSource writes = db.writer(), reads = db.reader();
 * }</pre>
 *
 * <p>How it follows the manager's events:
 *
 * <ul>
 *   <li>{@link ManagerEvent.MonitoringStarted}: the writer goes to its master, the reader to its
 *       replicas; a server in neither (a guarded old master) loses its pool.
 *   <li>{@link ManagerEvent.FailoverStarted}: the master is being replaced. The writer stops handing
 *       out connections: {@code getConnection()} waits for the new master up to {@link
 *       DataSourceSettings#connectionTimeout()}, then throws a {@link SQLTransientConnectionException}
 *       naming the master being replaced (waiting, because a failover usually takes about a second,
 *       and the application's write then succeeds instead of failing; bounded, because it may take
 *       longer or fail). The old master's idle connections are evicted at once, and callers waiting
 *       in its pool are sent to wait for the new master instead.
 *   <li>{@link ManagerEvent.MasterChanged}: the writer moves to the new master, and the old master's
 *       pool is closed, aborting the connections still borrowed from it: no write reaches the old
 *       master through these data sources after the switch.
 *   <li>{@link ManagerEvent.FailoverBlocked}, or {@link ManagerEvent.FailoverEnded} with no new
 *       master: nothing was promoted; the writer resumes on the master it had.
 * </ul>
 *
 * <p>An online switch ({@link io.mha4j.failover.MasterSwitchover}) is not run by the manager and
 * publishes no event; {@code docs/datasource.md} lists the topology sources that exist and those
 * that do not yet. Replicas are read every {@link DataSourceSettings#lagCheckInterval()} on a
 * thread of their own; a replica whose connection fails leaves the reads until it reads well again.
 *
 * <p>Past 400 lines on purpose: the topology (master, replicas, pools, readings, the writer's
 * callers inside a pool) is one state behind one lock, and the writer, the reader, the events and
 * the lag reading each change it whole; split, each part would take that lock from outside.
 */
public final class TopologyDataSources implements ManagerListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TopologyDataSources.class);

    private final String application;
    private final DataSourceSettings settings;
    private final Function<ServerConfig, ServerPool> opener;
    private final ReplicaProbe probe;
    private final Scheduler scheduler;
    private final boolean ownsScheduler;
    private final DataSource writer = new Writer();
    private final DataSource reader = new Reader();

    // Guarded by this: the topology, read and changed whole.
    private final Map<String, ServerPool> pools = new HashMap<>();
    private final Map<String, ReplicaReading> readings = new HashMap<>();
    private ServerConfig master;
    /** Why the master is being replaced while a failover runs; null otherwise. */
    private String replacing;

    private List<ServerConfig> replicas = List.of();
    /** Writer connections being taken from a pool now, so that a dead master's pool can give them up. */
    private final Set<Borrow> borrowing = new HashSet<>();

    private int nextReplica;
    private Cancellable lagCheck;
    private boolean closed;

    private TopologyDataSources(Builder b) {
        this.application = b.config.name();
        this.settings = b.settings;
        this.opener = b.pools != null ? b.pools : s -> new HikariServerPool(application, s, settings);
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = ownsScheduler ? Scheduler.system("mha4j-datasource-" + application) : b.scheduler;
        this.probe = b.probe != null ? b.probe : ReplicaProbe.overServerConnection(scheduler.clock());
    }

    public static Builder builder(ApplicationConfig config) {
        return new Builder(config);
    }

    /** Adds these data sources to the manager's listeners; returns the builder. */
    public MhaManager.Builder bind(MhaManager.Builder manager) {
        return manager.listener(this);
    }

    /** Connections to the current master (see the class comment for what happens during a failover). */
    public DataSource writer() {
        return writer;
    }

    /** Connections to a replica within the lag limit, or to the master when there is none. */
    public DataSource reader() {
        return reader;
    }

    /** Where the writer sends connections now: empty before monitoring began and while a failover runs. */
    public synchronized Optional<ServerConfig> writerTarget() {
        return replacing == null ? Optional.ofNullable(master) : Optional.empty();
    }

    /** The replicas that take reads now. */
    public synchronized List<ServerConfig> readTargets() {
        return replicas.stream().filter(r -> readable(r.block())).toList();
    }

    @Override
    public void onEvent(ManagerEvent event) {
        if (event instanceof ManagerEvent.MonitoringStarted m) {
            monitoring(m.master(), m.replicas());
        } else if (event instanceof ManagerEvent.FailoverStarted f) {
            failoverStarted(f.deadMaster(), f.verdict().reason());
        } else if (event instanceof ManagerEvent.MasterChanged c) {
            masterChanged(c.oldMaster(), c.newMaster());
        } else if (event instanceof ManagerEvent.FailoverBlocked b) {
            nothingPromoted(b.deadMaster(), "was refused: " + b.reason());
        } else if (event instanceof ManagerEvent.FailoverEnded e
                && e.newMaster().isEmpty()) {
            nothingPromoted(e.deadMaster(), "ended " + e.report().outcome() + " with no new master");
        }
    }

    private void monitoring(ServerConfig monitored, List<ServerConfig> monitoredReplicas) {
        List<ServerPool> retired = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            if (master == null || !master.block().equals(monitored.block())) {
                // The manager's start-up check found it the one writable server.
                if (master != null) {
                    retired.add(pools.remove(master.block()));
                }
                log.info("{}: writer now on it (the manager monitors it as the master)", monitored.displayName());
                master = monitored;
            }
            replacing = null;
            pools.computeIfAbsent(master.block(), b -> opener.apply(monitored));
            replicas = monitoredReplicas.stream()
                    .filter(r -> !r.block().equals(monitored.block()))
                    .toList();
            replicas.forEach(r -> pools.computeIfAbsent(r.block(), b -> opener.apply(r)));
            Set<String> kept = replicas.stream().map(ServerConfig::block).collect(Collectors.toSet());
            kept.add(master.block());
            readings.keySet().retainAll(kept);
            for (String block : List.copyOf(pools.keySet())) {
                if (!kept.contains(block)) {
                    log.info("{}: pool closed (neither master nor monitored replica)", block);
                    retired.add(pools.remove(block));
                }
            }
            if (lagCheck == null) {
                lagCheck = scheduler.schedule(this::checkLag, Duration.ZERO);
            }
            notifyAll();
        }
        closeAll(retired);
    }

    private void failoverStarted(ServerConfig dead, String reason) {
        ServerPool deadPool;
        synchronized (this) {
            if (closed || master == null || !master.block().equals(dead.block())) {
                return;
            }
            replacing = "failover of " + dead.displayName() + " started (" + reason + ")";
            deadPool = pools.get(dead.block());
            giveUp(deadPool);
        }
        log.warn(
                "{}: writer paused, its idle connections evicted: failover started ({}); writer connections wait"
                        + " up to {} ms for the new master",
                dead.displayName(),
                reason,
                settings.connectionTimeout().toMillis());
        if (deadPool != null) {
            deadPool.evict();
        }
    }

    private void masterChanged(ServerConfig old, ServerConfig promoted) {
        List<ServerPool> retired = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            // Safe to write to at once: MasterChanged is published by the manager's PhaseRelay before
            // phase 4 begins, and phase 3 (MasterFailover's RECOVER_NEW_MASTER, NewMasterRecovery)
            // returns only after the rewirer's promote() turned read_only off on the new master.
            pools.computeIfAbsent(promoted.block(), b -> opener.apply(promoted));
            for (ServerConfig demoted : new ServerConfig[] {old, master}) {
                if (demoted != null
                        && !demoted.block().equals(promoted.block())
                        && pools.containsKey(demoted.block())) {
                    ServerPool pool = pools.remove(demoted.block());
                    giveUp(pool);
                    retired.add(pool);
                    readings.remove(demoted.block());
                }
            }
            master = promoted;
            replacing = null;
            // The other replicas keep taking reads while they are rewired (their lag is read on);
            // the next MonitoringStarted gives the new list.
            replicas = replicas.stream()
                    .filter(r ->
                            !r.block().equals(promoted.block()) && !r.block().equals(old.block()))
                    .toList();
            readings.remove(promoted.block());
            notifyAll();
        }
        log.info(
                "{}: writer now on it (new master after the failover of {}); {} closed",
                promoted.displayName(),
                old.displayName(),
                retired.isEmpty() ? "no pool" : "the old master's pool");
        closeAll(retired);
    }

    private void nothingPromoted(ServerConfig dead, String why) {
        synchronized (this) {
            if (replacing == null || master == null || !master.block().equals(dead.block())) {
                return;
            }
            replacing = null;
            notifyAll();
        }
        log.warn("{}: writer resumed on it: the failover {}", dead.displayName(), why);
    }

    private void checkLag() {
        try {
            List<ServerConfig> toRead;
            synchronized (this) {
                if (closed) {
                    return;
                }
                toRead = replicas;
            }
            for (ServerConfig replica : toRead) {
                record(replica, probe.read(replica));
            }
        } finally {
            synchronized (this) {
                if (!closed) {
                    lagCheck = scheduler.schedule(this::checkLag, settings.lagCheckInterval());
                }
            }
        }
    }

    /** Keeps a replica's reading and logs when it enters or leaves the reads. */
    private void record(ServerConfig replica, ReplicaReading reading) {
        boolean was;
        synchronized (this) {
            if (replicas.stream().noneMatch(r -> r.block().equals(replica.block()))) {
                return; // left the topology while it was read
            }
            was = readable(replica.block());
            if (reading.sourceLost() && replacing != null && was) {
                // Every replica lost the dead master; what each applied is all there is to read
                // until the failover rewires it, and the manager's verdict already says the source is gone.
                return;
            }
            readings.put(replica.block(), reading);
        }
        Optional<String> refusal = reading.refusal(settings.readLagLimit());
        if (was && refusal.isPresent()) {
            log.warn("{}: out of the reads ({})", replica.displayName(), refusal.get());
        } else if (!was && refusal.isEmpty()) {
            log.info(
                    "{}: takes reads (lag {} s)",
                    replica.displayName(),
                    reading.lag().orElseThrow().toSeconds());
        }
    }

    private boolean readable(String block) {
        ReplicaReading r = readings.get(block);
        return r != null && r.refusal(settings.readLagLimit()).isEmpty();
    }

    private ServerPool writerPool() throws SQLException {
        long deadline = System.nanoTime() + settings.connectionTimeout().toNanos();
        synchronized (this) {
            while (!closed && (master == null || replacing != null)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SQLTransientConnectionException(
                            application + ": no writer connection: "
                                    + (master == null
                                            ? "no master known yet (the manager is not monitoring)"
                                            : replacing)
                                    + ", and no new master within "
                                    + settings.connectionTimeout().toMillis() + " ms",
                            "08001");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLTransientConnectionException(
                            application + ": interrupted while waiting for the new master", "08001", e);
                }
            }
            if (closed) {
                throw new SQLNonTransientConnectionException(application + ": the data sources are closed", "08003");
            }
            return pools.get(master.block());
        }
    }

    /** A replica's pool, or the master's when no replica takes reads; null when neither can be used. */
    private synchronized ServerPool readerPool() throws SQLException {
        if (closed) {
            throw new SQLNonTransientConnectionException(application + ": the data sources are closed", "08003");
        }
        List<ServerConfig> readable = readTargets();
        if (!readable.isEmpty()) {
            return pools.get(
                    readable.get(Math.floorMod(nextReplica++, readable.size())).block());
        }
        if (master != null && replacing == null) {
            return pools.get(master.block());
        }
        throw new SQLTransientConnectionException(
                application + ": no reader connection: no replica within "
                        + settings.readLagLimit().toSeconds() + " s of lag, and "
                        + (master == null ? "no master known yet" : replacing),
                "08001");
    }

    private synchronized boolean isMaster(ServerConfig server) {
        return master != null && master.block().equals(server.block());
    }

    private void markBroken(ServerConfig replica, SQLException e) {
        record(replica, ReplicaReading.broken("connection failed: " + e.getMessage()));
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("closing a connection to a demoted master: {}", e.toString());
        }
    }

    private static void closeAll(List<ServerPool> retired) {
        for (ServerPool pool : retired) {
            if (pool == null) {
                continue;
            }
            try {
                pool.close();
            } catch (RuntimeException e) {
                log.warn("{}: closing its pool failed: {}", pool.server().displayName(), e.toString());
            }
        }
    }

    /** Closes every pool (aborting borrowed connections) and stops reading the replicas. */
    @Override
    public void close() {
        List<ServerPool> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = List.copyOf(pools.values());
            pools.clear();
            if (lagCheck != null) {
                lagCheck.cancel();
            }
            notifyAll();
        }
        if (ownsScheduler) {
            scheduler.close();
        }
        closeAll(all);
    }

    /**
     * Interrupts the writer's callers waiting in {@code pool}'s {@code getConnection()}: HikariCP
     * would keep them there until its connection timeout though the master is known dead, and the
     * outage the application sees would be that timeout rather than the failover. Guarded by this.
     */
    private void giveUp(ServerPool pool) {
        for (Borrow b : borrowing) {
            if (b.pool == pool && !b.givenUp) {
                b.givenUp = true;
                b.thread.interrupt();
            }
        }
    }

    /** One caller of the writer inside a pool's {@code getConnection()}; fields guarded by the data sources. */
    private static final class Borrow {
        final Thread thread = Thread.currentThread();
        final ServerPool pool;
        boolean givenUp;

        Borrow(ServerPool pool) {
            this.pool = pool;
        }
    }

    private final class Writer extends RoutingDataSource {
        @Override
        public Connection getConnection() throws SQLException {
            // A second attempt only when the first was given up: its pool's master died meanwhile.
            for (int attempt = 1; ; attempt++) {
                Borrow borrow = new Borrow(writerPool());
                synchronized (TopologyDataSources.this) {
                    borrowing.add(borrow);
                }
                Connection connection = null;
                SQLException failure = null;
                try {
                    connection = borrow.pool.getConnection();
                } catch (SQLException e) {
                    failure = e;
                }
                boolean givenUp;
                synchronized (TopologyDataSources.this) {
                    borrowing.remove(borrow);
                    givenUp = borrow.givenUp;
                }
                if (!givenUp) {
                    if (failure != null) {
                        throw failure;
                    }
                    return connection;
                }
                // Our interrupt, not the caller's: once removed from borrowing, no other comes.
                Thread.interrupted();
                if (connection != null) {
                    closeQuietly(connection);
                }
                if (attempt == 2) {
                    throw new SQLTransientConnectionException(
                            application + ": the master changed twice while a writer connection was taken", "08001");
                }
            }
        }

        @Override
        public String toString() {
            return application + " writer";
        }
    }

    private final class Reader extends RoutingDataSource {
        @Override
        public Connection getConnection() throws SQLException {
            // Each failed replica leaves the reads, so this ends at the master or an error.
            while (true) {
                ServerPool pool = readerPool();
                try {
                    return pool.getConnection();
                } catch (SQLException e) {
                    if (isMaster(pool.server())) {
                        throw e;
                    }
                    markBroken(pool.server(), e);
                }
            }
        }

        @Override
        public String toString() {
            return application + " reader";
        }
    }

    /** Configures {@link TopologyDataSources}; settings default to {@link DataSourceSettings#DEFAULTS}. */
    public static final class Builder {
        private final ApplicationConfig config;
        private DataSourceSettings settings = DataSourceSettings.DEFAULTS;
        private Function<ServerConfig, ServerPool> pools;
        private ReplicaProbe probe;
        private Scheduler scheduler;

        private Builder(ApplicationConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        public Builder settings(DataSourceSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        Builder pools(Function<ServerConfig, ServerPool> pools) {
            this.pools = pools;
            return this;
        }

        Builder probe(ReplicaProbe probe) {
            this.probe = probe;
            return this;
        }

        Builder scheduler(Scheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /** Opens nothing yet: the pools open when the manager names the servers. */
        public TopologyDataSources build() {
            return new TopologyDataSources(this);
        }
    }
}
