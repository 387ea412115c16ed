package io.mha4j.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sandbox server: a {@code mariadbd} on 127.0.0.1 with its own datadir, port and
 * {@code server_id} (= its 1-based index), and the controls a failover test needs.
 *
 * <p>Restart semantics: {@link #start()} after {@link #kill()} or {@link #stop()} runs the
 * same binary on the same datadir, port and options. By default every start is
 * {@code read_only=ON} (a restarted old master must not come up writable behind a failover's
 * back); a cluster built with {@code startsReadOnly(false)} starts its servers as most
 * production configurations do, writable, so that a restart of an old master is writable until
 * something fences it. {@code --skip-slave-start} is
 * {@code --skip-slave-start} is deliberately <em>not</em> given: a replica resumes replicating
 * from its saved configuration, as a production replica does. By GTID that is crash-safe
 * ({@code gtid_slave_pos} is an InnoDB table); by file/position it is not (see
 * {@link Positioning#FILE_POSITION}).
 *
 * <p>SQL helpers connect as the admin user for each call, with a 5 s connect and 30 s socket
 * timeout, so a paused node makes them fail rather than hang. Failures are
 * {@link SandboxException}s naming the node, with passwords masked.
 */
public final class SandboxNode implements ReplicationNode {

    private static final Logger log = LoggerFactory.getLogger(SandboxNode.class);
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(60);
    private static final int MAX_SOCKET_PATH = 107;

    private final int index;
    private final Path dir;
    private final ServerBinaries binaries;
    private final Flavor flavor;
    private final SandboxCredentials credentials;
    private final List<String> serverOptions;
    private final boolean startsReadOnly;
    private List<String> oneOffOptions = List.of();
    private final Duration startupTimeout;
    private final NodePlacement placement;
    private final JdbcClient sql;
    private volatile int port;
    private volatile ServerProcess process;

    SandboxNode(
            int index,
            Path dir,
            ServerBinaries binaries,
            Flavor flavor,
            SandboxCredentials credentials,
            List<String> serverOptions,
            boolean startsReadOnly,
            Duration startupTimeout,
            NodePlacement placement) {
        this.index = index;
        this.placement = placement;
        this.dir = dir;
        this.binaries = binaries;
        this.flavor = flavor;
        this.credentials = credentials;
        this.serverOptions = List.copyOf(serverOptions);
        this.startsReadOnly = startsReadOnly;
        this.startupTimeout = startupTimeout;
        this.sql = new JdbcClient(name(), this::endpoint, credentials);
        if (unixSocket().toString().length() > MAX_SOCKET_PATH) {
            throw new SandboxException(name() + ": socket path " + unixSocket() + " is longer than Unix allows ("
                    + MAX_SOCKET_PATH + "); choose a shorter sandbox baseDir");
        }
    }

    public String name() {
        return "node" + index;
    }

    /** The 1-based position in the cluster. */
    public int index() {
        return index;
    }

    /** Where the server is reached: 127.0.0.1 unless the cluster was given a {@link NodePlacement}. */
    public String host() {
        return placement.host(index);
    }

    /** The server build this node runs. */
    ServerBinaries binaries() {
        return binaries;
    }

    /** The TCP port, fixed at the first start and kept across restarts. */
    public int port() {
        return port;
    }

    public Endpoint endpoint() {
        return new Endpoint(host(), port);
    }

    /** Equal to {@link #index()}. */
    public long serverId() {
        return index;
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    public Path errorLog() {
        return dir.resolve("mariadbd.err");
    }

    /**
     * The server's Unix socket. It reaches the server from this machine whatever its network
     * namespace or partition, e.g. for an observer that must keep watching a cut-off node.
     */
    public Path unixSocket() {
        return dir.resolve("mariadbd.sock");
    }

    /** A Connector/J URL with 5 s connect and 30 s socket timeouts and no TLS. */
    public String jdbcUrl() {
        return sql.jdbcUrl();
    }

    /**
     * The operating-system pid of the running server.
     *
     * @throws SandboxException if the node is not running
     */
    public long pid() {
        return running().pid();
    }

    /** Whether the server process is alive (a paused server is alive). */
    public boolean isRunning() {
        ServerProcess p = process;
        return p != null && p.isAlive();
    }

    /** Whether the server is alive but stopped by {@link #pause()}. */
    public boolean isPaused() {
        ServerProcess p = process;
        return p != null && p.isPaused();
    }

    /** A new connection as the admin user; the caller closes it. */
    public Connection connect() {
        return sql.connect(credentials.admin());
    }

    /** A new connection as {@code user}; the caller closes it. */
    public Connection connect(Credentials user) {
        return sql.connect(user);
    }

    /** Runs each statement in order on one admin connection (autocommit). */
    public void execute(String... statements) {
        sql.execute(statements);
    }

    /** The rows of a query as column label to text value (SQL NULL is {@code null}), in order. */
    public List<Map<String, String>> query(String query) {
        return sql.query(query);
    }

    /** The replica status row ({@code Slave_IO_Running}, ...), or empty if no replication is configured. */
    public Optional<Map<String, String>> replicaStatus() {
        return query(flavor.replicaStatus()).stream().findFirst();
    }

    /** {@code STOP SLAVE IO_THREAD}: the replica stops fetching and lags from now on. */
    public void stopReplicaIoThread() {
        execute(flavor.stopReplicaIoThread());
        log.info("{}: replica IO thread stopped", name());
    }

    /** {@code STOP SLAVE SQL_THREAD}: the replica keeps fetching but applies nothing. */
    public void stopReplicaSqlThread() {
        execute(flavor.stopReplicaSqlThread());
        log.info("{}: replica SQL thread stopped", name());
    }

    /** {@code START SLAVE}: starts whichever replica threads are stopped. */
    public void startReplica() {
        execute(flavor.startReplica());
        log.info("{}: replica threads started", name());
    }

    /**
     * Makes this node a read-only replica of {@code master} by GTID, whatever it was before
     * (a former master included: its own binary log counts as applied). A test convenience
     * for the state after a failover, not a failover.
     */
    public void changeMasterTo(SandboxNode master) {
        execute(
                flavor.stopReplica(),
                "SET GLOBAL read_only=ON",
                flavor.repointByGtid(master.endpoint(), credentials.replication()),
                flavor.startReplica());
        log.info("{}: now replicates from {} ({}) by GTID", name(), master.name(), master.endpoint());
    }

    void replicateFrom(SandboxNode master, Positioning positioning) {
        String changeMaster;
        if (positioning == Positioning.GTID) {
            changeMaster = flavor.changeMasterByGtid(master.endpoint(), credentials.replication());
        } else {
            Map<String, String> coordinates =
                    master.query(flavor.masterStatus()).get(0);
            changeMaster = flavor.changeMasterByFile(
                    master.endpoint(),
                    credentials.replication(),
                    coordinates.get("File"),
                    Long.parseLong(coordinates.get("Position")));
        }
        execute(changeMaster, flavor.startReplica());
        log.info("{}: replicates from {} ({}) by {}", name(), master.name(), master.endpoint(), positioning);
    }

    /** Waits until both replica threads report running. */
    void awaitReplicaRunning(Duration timeout) {
        try {
            Awaitility.await(name() + " replica threads running")
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20))
                    .pollInSameThread()
                    .until(() -> replicaStatus()
                            .filter(s ->
                                    "Yes".equals(s.get("Slave_IO_Running")) && "Yes".equals(s.get("Slave_SQL_Running")))
                            .isPresent());
        } catch (ConditionTimeoutException e) {
            throw new SandboxException(
                    name() + ": replica threads not running after " + timeout + ": "
                            + replicaStatus().map(Object::toString).orElse("no replica status"),
                    e);
        }
    }

    /** SIGKILL and wait for the exit: a crash with no chance to flush or say goodbye. */
    public synchronized void kill() {
        running().kill();
        log.info("{}: killed (SIGKILL)", name());
    }

    /** SIGTERM and wait for a clean shutdown (SIGKILL after 60 s). */
    public synchronized void stop() {
        running().terminate(STOP_PATIENCE);
        log.info("{}: stopped (SIGTERM)", name());
    }

    /** SIGSTOP: connections stay open and the port accepts, but nothing answers. */
    public synchronized void pause() {
        running().pause();
        log.info("{}: paused (SIGSTOP)", name());
    }

    /** SIGCONT after {@link #pause()}. */
    public synchronized void resume() {
        running().resume();
        log.info("{}: resumed (SIGCONT)", name());
    }

    /** Peak resident memory ({@code VmHWM}) of the running server. */
    public long peakRssBytes() {
        return running().peakRssBytes();
    }

    /**
     * Starts the stopped or killed server again on the same datadir, port and options, and
     * waits until it accepts connections. It comes up read-only (writable in a cluster that does
     * not {@linkplain SandboxCluster.Builder#startsReadOnly start read-only}); a replica resumes
     * replicating.
     *
     * @throws SandboxException if it is running, its port is taken, or it does not come up
     */
    public synchronized void start() {
        startWith();
    }

    /**
     * Starts the stopped or killed server like {@link #start()}, with extra server options for
     * this start only (later ones win, e.g. {@code --skip-log-bin}); the next {@link #start()}
     * uses the cluster's options again. For tests of a server whose settings differ.
     */
    public synchronized void startWith(String... extraOptions) {
        oneOffOptions = List.of(extraOptions);
        if (port == 0) {
            throw new SandboxException(name() + " was never started by its cluster");
        }
        if (!startOn(port)) {
            throw new SandboxException(name() + ": port " + port + " is now taken by another process;"
                    + " cannot restart on the same port");
        }
    }

    /**
     * Launches the server on {@code candidatePort} and waits until it accepts connections.
     *
     * @return false if the port was taken (the server exited with "Address already in use")
     */
    synchronized boolean startOn(int candidatePort) {
        if (isRunning()) {
            throw new SandboxException(name() + " is already running (pid " + process.pid() + ")");
        }
        long logOffset = DirectoryTree.size(errorLog());
        port = candidatePort;
        long started = System.nanoTime();
        ServerProcess p = ServerProcess.launch(name(), command(), dir.resolve("mariadbd.out"));
        process = p;
        recordPid(p.pid());
        try {
            Awaitility.await(name() + " accepting connections")
                    .atMost(startupTimeout)
                    .pollDelay(Duration.ofMillis(20))
                    .pollInterval(Duration.ofMillis(20))
                    .pollInSameThread()
                    .ignoreExceptions()
                    .failFast(name() + " exited", () -> !p.isAlive())
                    .until(this::acceptsConnections);
        } catch (TerminalFailureException e) {
            String newLog = DirectoryTree.readFrom(errorLog(), logOffset);
            if (newLog.contains("Address already in use")) {
                log.info("{}: port {} was taken meanwhile", name(), candidatePort);
                return false;
            }
            throw new SandboxException(name() + ": mariadbd exited with code " + p.exitCode()
                    + " during startup; error log " + errorLog() + " ends:\n" + DirectoryTree.tail(errorLog(), 25));
        } catch (ConditionTimeoutException e) {
            p.kill();
            throw new SandboxException(name() + ": not accepting connections on " + endpoint() + " within "
                    + startupTimeout + "; error log " + errorLog() + " ends:\n" + DirectoryTree.tail(errorLog(), 25));
        }
        log.info(
                "{}: up on {} (pid {}) in {} ms",
                name(),
                endpoint(),
                p.pid(),
                (System.nanoTime() - started) / 1_000_000);
        return true;
    }

    /**
     * Whether this node's server answers on its port. Asks which datadir answers: when two nodes
     * starting in parallel were given the same free port, the one that lost it must not take its
     * sibling's answer for its own (it then tells one server to replicate twice); it keeps waiting
     * until its own server exits with the port taken, and tries another.
     */
    private boolean acceptsConnections() throws SQLException {
        try (Connection c = DriverManager.getConnection(
                        endpoint().jdbcUrl(1_000, 2_000),
                        credentials.admin().user(),
                        credentials.admin().password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT @@GLOBAL.datadir")) {
            return rs.next()
                    && Path.of(rs.getString(1))
                            .toAbsolutePath()
                            .normalize()
                            .equals(dataDir().toAbsolutePath().normalize());
        }
    }

    private List<String> command() {
        List<String> command = new ArrayList<>(placement.launchPrefix(index));
        command.addAll(List.of(
                binaries.server().toString(),
                "--no-defaults",
                "--basedir=" + binaries.baseDir(),
                "--datadir=" + dataDir(),
                "--tmpdir=" + dir.resolve("tmp"),
                "--user=" + System.getProperty("user.name"),
                "--port=" + port,
                "--bind-address=" + placement.bindAddress(index),
                "--socket=" + unixSocket(),
                "--pid-file=" + dir.resolve("mariadbd.pid"),
                "--log-error=" + errorLog(),
                "--server-id=" + index,
                "--report-host=" + host(),
                "--report-port=" + port,
                "--read-only=" + (startsReadOnly ? "ON" : "OFF"),
                "--skip-name-resolve",
                "--performance-schema=OFF",
                "--innodb-buffer-pool-size=16M",
                "--innodb-log-file-size=8M"));
        command.addAll(flavor.nodeOptions(dir));
        command.addAll(flavor.replicationOptions());
        command.addAll(serverOptions);
        command.addAll(oneOffOptions);
        return command;
    }

    /**
     * Records the pid at once for the {@link StaleSandboxReaper}: the server writes its own
     * pid file only after initialising, and a JVM killed before then would leave an orphan.
     */
    private void recordPid(long pid) {
        try {
            Files.writeString(dir.resolve(StaleSandboxReaper.PID_FILE), Long.toString(pid));
        } catch (IOException e) {
            throw new SandboxException(name() + ": cannot record pid " + pid + " in " + dir, e);
        }
    }

    /** Copies the template datadir (and adds what the flavour needs) for this node's first start. */
    void prepare(Path template) {
        try {
            Files.createDirectories(dir.resolve("tmp"));
            DirectoryTree.copy(template, dataDir());
        } catch (IOException e) {
            throw new SandboxException(name() + ": cannot copy template datadir " + template + " to " + dataDir(), e);
        }
        try {
            flavor.prepareNode(dir);
        } catch (IOException e) {
            throw new SandboxException(name() + ": cannot prepare " + dir, e);
        }
    }

    /** Kills the server if it runs; for {@code close()}, so never throws for a dead node. */
    synchronized void destroy() {
        ServerProcess p = process;
        if (p != null && p.isAlive()) {
            p.kill();
        }
    }

    private ServerProcess running() {
        ServerProcess p = process;
        if (p == null || !p.isAlive()) {
            throw new SandboxException(name() + " is not running");
        }
        return p;
    }

    @Override
    public String toString() {
        return name() + "(" + endpoint() + ")";
    }
}
