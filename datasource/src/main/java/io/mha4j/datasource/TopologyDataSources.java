package io.mha4j.datasource;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.MasterSwitchover;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two {@link DataSource}s that follow the topology an in-process {@link MhaManager} or {@link
 * MasterSwitchover} tells them, or that they discover by themselves from the servers: {@link
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
 * <p>An online switch in this process ({@link #bind(MasterSwitchover.Builder)}) tells the same way:
 * {@link ManagerEvent.SwitchoverStarted} pauses the writer as {@code FailoverStarted} does, before
 * anything stops writes on the original master; {@link ManagerEvent.MasterChanged} moves it once the new
 * master is writable; {@link ManagerEvent.SwitchoverEnded} with no new master resumes it.
 *
 * <p>A switch or failover run by another process tells nothing here: {@link
 * Builder#discoverTopology()} makes the data sources read every server every {@link
 * DataSourceSettings#discoveryInterval()} instead, and follow no events. The master is the one server
 * that answers, takes writes and replicates from nobody, and is neither a master the writer left (an
 * old master back, writable and unfenced) nor, while a server cannot be read, a server never seen as a
 * replica that no other replicates from; with none or several, the writer pauses as during a failover
 * and never guesses ({@link DiscoveredTopology#of(List, DiscoveredTopology.History)} says why). {@code
 * docs/datasource.md} lists the sources and what each guarantees.
 *
 * <p>Replicas are read every {@link DataSourceSettings#lagCheckInterval()} on a thread of their own
 * (with discovery, in its rounds); a replica whose connection fails leaves the reads until it reads
 * well again.
 *
 * <p>Past 400 lines on purpose: the topology (master, replicas, pools, readings, the writer's
 * callers inside a pool) is one state behind one lock, and the writer, the reader, the events, the
 * lag reading and discovery each change it whole; split, each part would take that lock from outside.
 */
public final class TopologyDataSources implements ManagerListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TopologyDataSources.class);

    private final String application;
    private final List<ServerConfig> servers;
    private final DataSourceSettings settings;
    /** Reads the servers when the data sources discover the topology themselves; null: they follow events. */
    private final TopologyProbe discovery;

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

    /**
     * When each replica's reading last let it take reads, on the scheduler's {@link Scheduler#nanoTime()}:
     * a replica that then only lost its source keeps that reading until {@code readLagLimit} has passed.
     */
    private final Map<String, Long> goodAt = new HashMap<>();
    /**
     * Counts the writer's pauses: a round of discovery that began before the last pause read the
     * servers before what paused it (a write refused for read_only), so it may not resume the writer.
     */
    private long pauses;
    /**
     * Discovery only: the servers the writer moved away from and that no round has seen replicating
     * since; none of them is trusted as the master again (an old master back, writable and unfenced).
     */
    private final Set<String> demoted = new HashSet<>();
    /** Discovery only: the servers some round saw replicating, which a promotion may have made masters. */
    private final Set<String> seenAsReplica = new HashSet<>();

    private int nextReplica;
    /** The next lag check, or with discovery the next round of reads. */
    private Cancellable poll;

    private boolean closed;
    /** A round of discovery was asked for at once and has not begun yet. */
    private final AtomicBoolean roundAsked = new AtomicBoolean();

    private TopologyDataSources(Builder b) {
        this.application = b.config.name();
        this.servers = b.config.servers();
        this.settings = b.settings;
        this.opener = b.pools != null
                ? b.pools
                : s -> new HikariServerPool(application, s, settings, () -> refusedForReadOnly(s));
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = ownsScheduler ? Scheduler.system("mha4j-datasource-" + application) : b.scheduler;
        this.probe = b.probe != null ? b.probe : ReplicaProbe.overServerConnection(scheduler.clock());
        this.discovery = !b.discover
                ? null
                : b.topologyProbe != null
                        ? b.topologyProbe
                        : new ServerSightings(application, scheduler.clock(), settings.connectionTimeout());
    }

    public static Builder builder(ApplicationConfig config) {
        return new Builder(config);
    }

    /** Adds these data sources to the manager's listeners; returns the builder. */
    public MhaManager.Builder bind(MhaManager.Builder manager) {
        requireEvents();
        return manager.listener(this);
    }

    /**
     * Adds these data sources to the switch's listeners; returns the builder. A switch run by another
     * process ({@code master_switch}) is seen only by {@link Builder#discoverTopology()}. A switch tells
     * only what it changes: bound to it alone, the data sources know no master before its first {@code
     * MasterChanged}. Bind them to a manager too, or tell them the master with a {@link
     * ManagerEvent.MonitoringStarted} through {@link #onEvent}.
     */
    public MasterSwitchover.Builder bind(MasterSwitchover.Builder switchover) {
        requireEvents();
        return switchover.listener(this);
    }

    /** Two sources would each move the writer on their own view; one decides. */
    private void requireEvents() {
        if (discovery != null) {
            throw new IllegalStateException(
                    application + ": these data sources discover the topology from the servers and follow no events");
        }
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
        requireEvents();
        if (event instanceof ManagerEvent.MonitoringStarted m) {
            monitoring(m.master(), m.replicas(), "the manager monitors it as the master");
        } else if (event instanceof ManagerEvent.FailoverStarted f) {
            pause(
                    f.deadMaster(),
                    "failover of " + f.deadMaster().displayName() + " started ("
                            + f.verdict().reason() + ")");
        } else if (event instanceof ManagerEvent.SwitchoverStarted w) {
            pause(
                    w.origMaster(),
                    "online switch from " + w.origMaster().displayName() + " to "
                            + w.newMaster().displayName() + " started");
        } else if (event instanceof ManagerEvent.MasterChanged c) {
            masterChanged(
                    c.oldMaster(),
                    c.newMaster(),
                    "the new master after " + c.oldMaster().displayName());
        } else if (event instanceof ManagerEvent.FailoverBlocked b) {
            nothingPromoted(b.deadMaster(), "the failover was refused: " + b.reason());
        } else if (event instanceof ManagerEvent.FailoverEnded e
                && e.newMaster().isEmpty()) {
            nothingPromoted(e.deadMaster(), "the failover ended " + e.report().outcome() + " with no new master");
        } else if (event instanceof ManagerEvent.SwitchoverEnded e
                && e.newMaster().isEmpty()) {
            nothingPromoted(
                    e.origMaster(), "the online switch ended " + e.report().outcome() + " with no new master");
        } else if (event instanceof ManagerEvent.Stopped s) {
            stopped(s);
        }
    }

    /**
     * The manager ended. Mid-failover (a failover that threw ends the manager with no {@code
     * FailoverEnded}) the writer stays paused: the old master was judged dead and may have been
     * partly failed over, and nobody will say which server is the master now. Resuming there could
     * send writes to a server that a half-done failover already replaced; paused, the application
     * gets errors until a manager monitors again ({@code MonitoringStarted}) or it closes these.
     */
    private void stopped(ManagerEvent.Stopped s) {
        String why;
        synchronized (this) {
            if (closed || replacing == null) {
                return;
            }
            why = replacing;
            replacing = why + "; then the manager stopped (" + s.summary() + ") with no new master: the writer stays"
                    + " paused until a manager monitors again";
        }
        log.error(
                "{}: the manager stopped ({}) while the writer was paused ({}): it stays paused, nothing will tell a"
                        + " new master",
                application,
                s.summary(),
                why);
    }

    private void monitoring(ServerConfig monitored, List<ServerConfig> monitoredReplicas, String how) {
        List<ServerPool> retired = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            if (master == null || !master.block().equals(monitored.block())) {
                // The manager's start-up check, or a round of discovery, found it the one writable server.
                if (master != null) {
                    retired.add(pools.remove(master.block()));
                }
                log.info("{}: writer now on it ({})", monitored.displayName(), how);
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
            goodAt.keySet().retainAll(kept);
            for (String block : List.copyOf(pools.keySet())) {
                if (!kept.contains(block)) {
                    log.info("{}: pool closed (neither master nor monitored replica)", block);
                    retired.add(pools.remove(block));
                }
            }
            if (poll == null && discovery == null) {
                poll = scheduler.schedule(this::checkLag, Duration.ZERO);
            }
            notifyAll();
        }
        closeAll(retired);
    }

    /**
     * The master {@code leaving} is being replaced, {@code why}: the writer stops handing out its
     * connections, evicts the idle ones and sends the callers waiting in its pool to wait for the new
     * master. Its borrowed connections stay until the new master is known (a write on one either
     * lands before the master refuses writes, or fails).
     */
    private void pause(ServerConfig leaving, String why) {
        ServerPool leavingPool;
        synchronized (this) {
            if (closed || master == null || !master.block().equals(leaving.block())) {
                return;
            }
            replacing = why;
            pauses++;
            leavingPool = pools.get(leaving.block());
            giveUp(leavingPool);
        }
        log.warn(
                "{}: writer paused, its idle connections evicted: {}; writer connections wait up to {} ms for the"
                        + " new master",
                leaving.displayName(),
                why,
                settings.connectionTimeout().toMillis());
        if (leavingPool != null) {
            leavingPool.evict();
        }
    }

    private void masterChanged(ServerConfig old, ServerConfig promoted, String how) {
        List<ServerPool> retired = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            // Safe to write to at once: MasterChanged is published by the manager's PhaseRelay before
            // phase 4 begins, and phase 3 (MasterFailover's RECOVER_NEW_MASTER, NewMasterRecovery)
            // returns only after the rewirer's promote() turned read_only off on the new master; an
            // online switch publishes it after that same promote(); discovery saw it writable.
            pools.computeIfAbsent(promoted.block(), b -> opener.apply(promoted));
            for (ServerConfig leaving : new ServerConfig[] {old, master}) {
                if (leaving != null
                        && !leaving.block().equals(promoted.block())
                        && pools.containsKey(leaving.block())) {
                    ServerPool pool = pools.remove(leaving.block());
                    giveUp(pool);
                    retired.add(pool);
                    readings.remove(leaving.block());
                    goodAt.remove(leaving.block());
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
            goodAt.remove(promoted.block());
            notifyAll();
        }
        log.info(
                "{}: writer now on it ({}); {} closed",
                promoted.displayName(),
                how,
                retired.isEmpty() ? "no pool" : "the old master's pool");
        closeAll(retired);
    }

    private void nothingPromoted(ServerConfig kept, String why) {
        synchronized (this) {
            if (replacing == null || master == null || !master.block().equals(kept.block())) {
                return;
            }
            replacing = null;
            notifyAll();
        }
        log.warn("{}: writer resumed on it: {}", kept.displayName(), why);
    }

    private synchronized void startDiscovery() {
        poll = scheduler.schedule(this::discover, Duration.ZERO);
    }

    /** One round of the self-discovering source: read every server, then follow what the rule decides. */
    private void discover() {
        try {
            DiscoveredTopology.History history;
            long generation;
            synchronized (this) {
                if (closed) {
                    return;
                }
                history = new DiscoveredTopology.History(master, demoted, seenAsReplica);
                generation = pauses;
            }
            List<Sighting> round = discovery.read(servers);
            discovered(DiscoveredTopology.of(round, history), generation);
            Set<String> replicating = DiscoveredTopology.seenAsReplica(round);
            synchronized (this) {
                seenAsReplica.addAll(replicating);
                // Replicating, it is fenced from the application's writes by being a replica.
                demoted.removeAll(replicating);
            }
        } catch (RuntimeException e) {
            log.warn("{}: discovering the topology failed: {}", application, e.toString());
        } finally {
            synchronized (this) {
                if (!closed) {
                    // Paused, the application's writes wait for the next round: read four times as often.
                    poll = scheduler.schedule(
                            this::discover,
                            master == null || replacing != null
                                    ? settings.discoveryInterval().dividedBy(4)
                                    : settings.discoveryInterval());
                }
            }
        }
    }

    /**
     * A statement on {@code server} was refused because it is read-only (on the application's thread):
     * with discovery, when it is the master, the writer pauses at once and a round of reads starts
     * instead of at the next interval, which confirms the pause or resumes. A master demoted by
     * another process is usually first seen by the application's own writes, and every write until
     * the round ends would be refused too. Following events, the events decide: nothing.
     */
    void refusedForReadOnly(ServerConfig server) {
        if (discovery == null || !roundAsked.compareAndSet(false, true)) {
            return;
        }
        pause(server, "a write there was refused for read_only; reading every server now");
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        scheduler.schedule(this::roundNow, Duration.ZERO);
    }

    /** On the scheduler's one thread, so no round runs meanwhile: the next one becomes this one. */
    private void roundNow() {
        roundAsked.set(false);
        synchronized (this) {
            if (closed) {
                return;
            }
            if (poll != null) {
                poll.cancel();
            }
        }
        discover();
    }

    /**
     * On the discovery thread only, which alone changes the master then: the one read here is still it
     * when acted on. {@code generation} is the count of pauses when the round began.
     */
    private void discovered(DiscoveredTopology seen, long generation) {
        ServerConfig known;
        boolean paused;
        synchronized (this) {
            known = master;
            paused = replacing != null;
            if (paused && pauses != generation) {
                // Paused after this round read the servers (a write refused for read_only on a master it
                // read writable): its reads predate what paused the writer. The round that pause asked
                // for decides.
                log.debug("{}: a round begun before the writer paused ignored ({})", application, seen.seen());
                return;
            }
        }
        if (seen.master().isPresent()) {
            ServerConfig found = seen.master().get();
            if (known != null && !known.block().equals(found.block())) {
                synchronized (this) {
                    demoted.add(known.block());
                    seenAsReplica.remove(known.block());
                }
                masterChanged(known, found, "discovered: " + seen.seen());
            } else if (paused && known != null) {
                log.warn("{}: writer resumed on it: the master again ({})", found.displayName(), seen.seen());
            }
            monitoring(found, seen.replicas(), "discovered: " + seen.seen());
        } else if (known != null) {
            String why = "no master: " + seen.noMaster().orElseThrow() + " (" + seen.seen() + ")";
            if (!paused) {
                pause(known, why);
            } else {
                synchronized (this) {
                    replacing = why; // what a caller that waits in vain is told
                }
            }
            replicas(seen.replicas());
        } else {
            synchronized (this) {
                // No master yet: the reason goes to the callers that wait in vain (master stays null).
                replacing = "no master: " + seen.noMaster().orElseThrow() + " (" + seen.seen() + ")";
            }
        }
        seen.readings().forEach(this::record);
    }

    /** While no master is known: the replicas of the last one keep their pools and take reads. */
    private void replicas(List<ServerConfig> seen) {
        synchronized (this) {
            if (closed) {
                return;
            }
            replicas = List.copyOf(seen);
            replicas.forEach(r -> pools.computeIfAbsent(r.block(), b -> opener.apply(r)));
        }
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
                    poll = scheduler.schedule(this::checkLag, settings.lagCheckInterval());
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
            long now = scheduler.nanoTime();
            Long good = goodAt.get(replica.block());
            if (reading.sourceLost()
                    && was
                    && good != null
                    && now - good <= settings.readLagLimit().toNanos()) {
                // Its receiver lost the master (after a kill -9 at once, seconds before the failover
                // starts) and its applier runs: what it applied is all there is to read until a failover
                // rewires it. Kept only while the reading that let it in is within the lag limit's age:
                // past that its data may be older than the limit allows, and a master that is not
                // coming back must not leave stale replicas serving forever.
                return;
            }
            readings.put(replica.block(), reading);
            if (reading.refusal(settings.readLagLimit()).isEmpty()) {
                goodAt.put(replica.block(), now);
            }
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

    /**
     * The master's pool, waiting while there is none, with the caller registered as borrowing from it
     * in the same lock that chose it: a pause between the choice and the registration would not see
     * the caller, who would then borrow from a master being replaced.
     */
    private Borrow writerBorrow() throws SQLException {
        // Real time, not the scheduler's: this is a wait on this object's monitor, which only real time ends.
        long deadline = System.nanoTime() + settings.connectionTimeout().toNanos();
        synchronized (this) {
            while (!closed && (master == null || replacing != null)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SQLTransientConnectionException(
                            application + ": no writer connection: "
                                    + (master == null
                                            ? discovery == null
                                                    ? "no master known yet (the manager is not monitoring)"
                                                    : "no master discovered yet"
                                                            + (replacing == null ? "" : ": " + replacing)
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
            Borrow borrow = new Borrow(pools.get(master.block()));
            borrowing.add(borrow);
            return borrow;
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
            if (poll != null) {
                poll.cancel();
            }
            notifyAll();
        }
        if (ownsScheduler) {
            scheduler.close();
        }
        if (discovery instanceof ServerSightings sightings) {
            sightings.close();
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
                Borrow borrow = writerBorrow();
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
        private boolean discover;
        private TopologyProbe topologyProbe;

        private Builder(ApplicationConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        public Builder settings(DataSourceSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Learns the topology by itself, reading every server's {@code read_only} and replication
         * every {@link DataSourceSettings#discoveryInterval()} (as MHA's {@code user}), instead of
         * following a manager's or a switch's events: for a topology changed by another process (the
         * {@code master_switch} command, a manager elsewhere). The master is the one server that
         * answers, takes writes and replicates from nobody, and is no old master back; with none or
         * several the writer waits, as during a failover, and never guesses. {@code docs/datasource.md}
         * says what window remains.
         */
        public Builder discoverTopology() {
            this.discover = true;
            return this;
        }

        Builder topologyProbe(TopologyProbe probe) {
            this.discover = true;
            this.topologyProbe = probe;
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

        /**
         * Opens nothing yet: the pools open when the manager names the servers, or with discovery
         * after its first round of reads, which starts now.
         */
        public TopologyDataSources build() {
            if (settings.user().isEmpty()) {
                // MHA's user is an administrator: SUPER (READ_ONLY ADMIN) writes through read_only, the
                // fence that refuses a write on a demoted master and shows the demotion to the writer.
                log.warn(
                        "{}: no application account (DataSourceSettings.credentials): the pools connect as MHA's"
                                + " user, an administrator whose writes read_only does not refuse; a write on a"
                                + " connection borrowed before a switch may then land on the demoted master",
                        config.name());
            }
            TopologyDataSources db = new TopologyDataSources(this);
            if (discover) {
                db.startDiscovery();
            }
            return db;
        }
    }
}
