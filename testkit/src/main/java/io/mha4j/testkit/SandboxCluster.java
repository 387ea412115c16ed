package io.mha4j.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replication cluster of real servers on 127.0.0.1 for failover tests: node1 is the
 * writable master, nodes 2..N are read-only replicas of it.
 *
 * <pre>{@code
 * try (SandboxCluster cluster = SandboxCluster.builder().nodes(3).start()) {
 *     cluster.master().execute("CREATE DATABASE shop");
 *     cluster.awaitReplicasCaughtUp(Duration.ofSeconds(10));
 *     cluster.master().kill();
 *     // ... let the failover under test promote a replica ...
 * }
 * }</pre>
 *
 * <p>Every node starts {@code read_only=ON} (or, with {@link Builder#startsReadOnly
 * startsReadOnly(false)}, writable, and the cluster makes the replicas read-only at run time, as
 * a DBA's setup does); the cluster then switches node1 to writable. The
 * cluster remembers no roles: {@link #master()} and {@link #replicas()} ask the servers, so
 * they stay true after a failover rearranged them.
 *
 * <p>{@link #close()} kills every server and deletes the cluster's directory; a JVM shutdown
 * hook does the same for clusters left open, and because a SIGKILLed JVM runs no hook, every
 * {@link Builder#start()} first reaps directories (and servers) whose owning JVM is gone.
 */
public final class SandboxCluster implements ReplicationCluster {

    /** Where clusters, template datadirs and unpacked server distributions live unless told otherwise. */
    static final Path DEFAULT_BASE_DIR = Path.of(System.getProperty("java.io.tmpdir"), "mha4j-sandbox");

    private static final Logger log = LoggerFactory.getLogger(SandboxCluster.class);
    private static final int PORT_ATTEMPTS = 5;
    /** Every port given to a node of this JVM. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final List<SandboxNode> nodes;
    private final Positioning positioning;
    private final ServerBinaries binaries;
    private final Flavor flavor;
    private final List<TcpProxy> proxies = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private SandboxCluster(
            Path directory, List<SandboxNode> nodes, Positioning positioning, ServerBinaries binaries, Flavor flavor) {
        this.directory = directory;
        this.nodes = List.copyOf(nodes);
        this.positioning = positioning;
        this.binaries = binaries;
        this.flavor = flavor;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The node with 1-based {@code index}.
     *
     * @throws IllegalArgumentException outside 1..N
     */
    public SandboxNode node(int index) {
        if (index < 1 || index > nodes.size()) {
            throw new IllegalArgumentException("No node" + index + " in a cluster of " + nodes.size());
        }
        return nodes.get(index - 1);
    }

    /**
     * Writes an MHA application file for this sandbox, as a DBA would: {@code [server default]} with
     * the sandbox's admin and replication accounts, then {@code serverDefault}'s lines (e.g. {@code
     * "manager_workdir=/tmp/m"}); one {@code [serverN]} block per node with its host, port and binary
     * logs' directory.
     *
     * @return {@code file}
     */
    public Path writeApplicationFile(Path file, String... serverDefault) throws IOException {
        StringBuilder sb = new StringBuilder("[server default]\n")
                .append("user=")
                .append(SandboxCredentials.ADMIN.user())
                .append("\npassword=")
                .append(SandboxCredentials.ADMIN.password())
                .append("\nrepl_user=")
                .append(SandboxCredentials.REPLICATION.user())
                .append("\nrepl_password=")
                .append(SandboxCredentials.REPLICATION.password())
                .append('\n');
        for (String line : serverDefault) {
            sb.append(line).append('\n');
        }
        for (SandboxNode n : nodes) {
            sb.append(String.format(
                    "[server%d]%nhostname=%s%nport=%d%nmaster_binlog_dir=%s%n",
                    n.index(), n.host(), n.port(), n.dataDir()));
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Files.writeString(file, sb.toString());
    }

    /** All nodes, node1 first, running or not. */
    public List<SandboxNode> nodes() {
        return nodes;
    }

    /**
     * The node acting as master now: the only running, unpaused node with
     * {@code read_only=OFF} and no replication configured. Nodes that cannot be asked are not
     * candidates.
     *
     * @throws SandboxException if no node or several nodes qualify, naming them
     */
    public SandboxNode master() {
        List<SandboxNode> masters = new ArrayList<>();
        List<String> notMaster = new ArrayList<>();
        for (SandboxNode node : nodes) {
            String why = whyNotMaster(node);
            if (why == null) {
                masters.add(node);
            } else {
                notMaster.add(node.name() + ": " + why);
            }
        }
        if (masters.size() != 1) {
            throw new SandboxException((masters.isEmpty() ? "No master" : "Several masters " + masters) + " in sandbox "
                    + directory + "; " + String.join("; ", notMaster));
        }
        return masters.get(0);
    }

    private static String whyNotMaster(SandboxNode node) {
        if (!node.isRunning()) {
            return "not running";
        }
        if (node.isPaused()) {
            return "paused";
        }
        try {
            if (node.isReadOnly()) {
                return "read_only";
            }
            return node.replicaStatus()
                    .map(s -> "replicates from " + s.get("Master_Host") + ":" + s.get("Master_Port"))
                    .orElse(null);
        } catch (SandboxException e) {
            return "cannot be asked (" + e.getMessage() + ")";
        }
    }

    /** The running, unpaused nodes other than {@link #master()}. */
    public List<SandboxNode> replicas() {
        SandboxNode master = master();
        return nodes.stream()
                .filter(n -> n != master && n.isRunning() && !n.isPaused())
                .toList();
    }

    /**
     * Waits until every node in {@link #replicas()} has applied everything in the master's
     * binary log at the time of the call (compared per GTID domain, numerically).
     *
     * @throws SandboxException on timeout, with each lagging replica's position and threads
     */
    public void awaitReplicasCaughtUp(Duration timeout) {
        SandboxNode master = master();
        awaitCaughtUp(master, replicas(), timeout);
    }

    /**
     * Waits until each of {@code replicas} has applied everything in {@code master}'s binary log
     * at the time of the call, whoever else is writable: for a check after a failover, when the
     * caller knows which node a manager made master and {@link #master()} may see several.
     *
     * @throws SandboxException on timeout, with each lagging replica's position and threads
     */
    public void awaitCaughtUp(SandboxNode master, Collection<SandboxNode> replicas, Duration timeout) {
        String target = master.queryForString(flavor.masterPositionQuery());
        try {
            Awaitility.await("replicas caught up with " + master.name())
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20))
                    .pollInSameThread()
                    .ignoreExceptions()
                    .until(() -> replicas.stream().allMatch(r -> flavor.hasApplied(r, target)));
        } catch (ConditionTimeoutException e) {
            String lagging = replicas.stream().map(r -> describeLag(r, target)).collect(Collectors.joining("; "));
            throw new SandboxException(
                    "Replicas not caught up with " + master.name() + " (" + target + ") within " + timeout + ": "
                            + lagging,
                    e);
        }
        log.debug("Replicas {} caught up with {} at {}", replicas, master.name(), target);
    }

    private String describeLag(SandboxNode replica, String target) {
        try {
            if (flavor.hasApplied(replica, target)) {
                return replica.name() + " caught up";
            }
            Map<String, String> status = replica.replicaStatus().orElse(Map.of());
            return replica.name() + " at " + replica.queryForString("SELECT @@GLOBAL.gtid_slave_pos")
                    + " IO=" + status.get("Slave_IO_Running") + " SQL=" + status.get("Slave_SQL_Running")
                    + " error=" + status.get("Last_Error") + status.get("Last_IO_Error");
        } catch (SandboxException e) {
            return replica.name() + " cannot be asked: " + e.getMessage();
        }
    }

    /** The users every node has. */
    public SandboxCredentials credentials() {
        return SandboxCredentials.DEFAULT;
    }

    public Positioning positioning() {
        return positioning;
    }

    public ServerBinaries binaries() {
        return binaries;
    }

    /** This cluster's own directory (deleted by {@link #close()}). */
    public Path directory() {
        return directory;
    }

    /** A {@link TcpProxy} in front of {@code node}, closed with the cluster. */
    public TcpProxy proxyTo(SandboxNode node) {
        TcpProxy proxy = new TcpProxy(node.host(), node.port());
        proxies.add(proxy);
        return proxy;
    }

    /** Kills every server and proxy and deletes the cluster's directory. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        proxies.forEach(TcpProxy::close);
        for (SandboxNode node : nodes) {
            try {
                node.destroy();
            } catch (RuntimeException e) {
                log.warn("{}: cannot kill: {}", node.name(), e.toString());
            }
        }
        try {
            DirectoryTree.delete(directory);
        } catch (IOException e) {
            log.warn("Cannot delete sandbox {}: {}", directory, e.toString());
        }
        OpenSandboxes.unregister(this);
        log.info("Sandbox {} closed", directory);
    }

    private void boot(Path template, Duration startupTimeout, NodePlacement placement) {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService starter = Executors.newFixedThreadPool(nodes.size(), r -> {
            Thread t = new Thread(r, "mha4j-sandbox-start-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            CompletableFuture.allOf(nodes.stream()
                            .map(n -> CompletableFuture.runAsync(() -> firstStart(n, template, placement), starter))
                            .toArray(CompletableFuture[]::new))
                    .join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } finally {
            starter.shutdownNow();
        }
        SandboxNode master = nodes.get(0);
        master.execute("SET GLOBAL read_only=OFF");
        for (SandboxNode replica : nodes.subList(1, nodes.size())) {
            replica.execute("SET GLOBAL read_only=ON");
            replica.replicateFrom(master, positioning);
        }
        for (SandboxNode replica : nodes.subList(1, nodes.size())) {
            replica.awaitReplicaRunning(startupTimeout);
        }
    }

    private static void firstStart(SandboxNode node, Path template, NodePlacement placement) {
        node.prepare(template);
        if (placement.port().isPresent()) {
            if (node.startOn(placement.port().getAsInt())) {
                return;
            }
            throw new SandboxException(node.name() + ": port "
                    + placement.port().getAsInt() + " of its placement was taken before the server could bind it");
        }
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            if (node.startOn(freePort())) {
                return;
            }
        }
        throw new SandboxException(node.name() + ": every one of " + PORT_ATTEMPTS + " free ports was taken"
                + " before the server could bind it");
    }

    /**
     * A port free on 127.0.0.1 now, and never handed to another node of this JVM before (the
     * system may give one port to two nodes starting in parallel); a server may still lose it to
     * a racing process, and then tries another.
     */
    private static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new SandboxException("Cannot find a free port on 127.0.0.1", e);
            }
        }
        throw new SandboxException("No port on 127.0.0.1 that no node of this JVM had (100 attempts)");
    }

    @Override
    public String toString() {
        return "SandboxCluster" + nodes;
    }

    /** Configures and starts a {@link SandboxCluster}. */
    public static final class Builder {

        private int nodes = 3;
        private Positioning positioning = Positioning.GTID;
        private final List<String> serverOptions = new ArrayList<>();
        private boolean startsReadOnly = true;
        private ServerBinaries binaries;
        private Path baseDir = DEFAULT_BASE_DIR;
        private Duration startupTimeout = Duration.ofSeconds(30);
        private NodePlacement placement = NodePlacement.LOOPBACK;

        private Builder() {}

        /** How many servers (default 3): node1 is the master, the rest replicate from it. */
        public Builder nodes(int nodes) {
            if (nodes < 1) {
                throw new IllegalArgumentException("A cluster needs at least one node, not " + nodes);
            }
            this.nodes = nodes;
            return this;
        }

        /** How replicas are first pointed at node1 (default {@link Positioning#GTID}). */
        public Builder positioning(Positioning positioning) {
            this.positioning = Objects.requireNonNull(positioning, "positioning");
            return this;
        }

        /** Extra server options for every node, e.g. {@code --slave-net-timeout=5}; they come last and win. */
        public Builder serverOptions(String... options) {
            this.serverOptions.addAll(List.of(options));
            return this;
        }

        /**
         * Whether servers start {@code read_only=ON} (default yes, every start). With {@code false}
         * they start as most production {@code my.cnf} files have them, writable: the cluster makes
         * the replicas read-only at run time, and a server that restarts (an old master after a
         * failover, say) comes up writable until something fences it.
         */
        public Builder startsReadOnly(boolean startsReadOnly) {
            this.startsReadOnly = startsReadOnly;
            return this;
        }

        /** The server to run (default {@link ServerBinaries#locate()}). */
        public Builder binaries(ServerBinaries binaries) {
            this.binaries = Objects.requireNonNull(binaries, "binaries");
            return this;
        }

        /**
         * The sandbox root holding the template cache and one directory per cluster; stale
         * clusters under it are reaped (default {@code ${java.io.tmpdir}/mha4j-sandbox}). Keep
         * it short: Unix socket paths inside it are limited to 107 bytes.
         */
        public Builder baseDir(Path baseDir) {
            this.baseDir = Objects.requireNonNull(baseDir, "baseDir").toAbsolutePath();
            return this;
        }

        /** Where the servers run and are reached (default {@link NodePlacement#LOOPBACK}). */
        public Builder placement(NodePlacement placement) {
            this.placement = Objects.requireNonNull(placement, "placement");
            return this;
        }

        /** How long one server may take to accept connections (default 30 s). */
        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
            return this;
        }

        /**
         * Starts the servers in parallel and sets up replication.
         *
         * @throws SandboxException if the server cannot be found or a node does not come up;
         *     whatever was started is then closed
         */
        public SandboxCluster start() {
            long started = System.nanoTime();
            ServerBinaries server = binaries != null ? binaries : ServerBinaries.locate();
            Flavor flavor = server.flavor();
            prepareBaseDir();
            Path template = TemplateDataDir.obtain(
                    server, flavor, SandboxCredentials.DEFAULT, placement.clientHosts(), baseDir);
            Path directory = createClusterDirectory();
            List<SandboxNode> members = new ArrayList<>();
            try {
                for (int i = 1; i <= nodes; i++) {
                    members.add(new SandboxNode(
                            i,
                            directory.resolve("node" + i),
                            server,
                            flavor,
                            SandboxCredentials.DEFAULT,
                            serverOptions,
                            startsReadOnly,
                            startupTimeout,
                            placement));
                }
            } catch (RuntimeException e) {
                deleteQuietly(directory);
                throw e;
            }
            SandboxCluster cluster = new SandboxCluster(directory, members, positioning, server, flavor);
            OpenSandboxes.register(cluster);
            try {
                cluster.boot(template, startupTimeout, placement);
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            log.info(
                    "Sandbox of {} node(s) ({}) up in {} ms: {}",
                    nodes,
                    positioning,
                    (System.nanoTime() - started) / 1_000_000,
                    cluster.nodes);
            return cluster;
        }

        private void prepareBaseDir() {
            try {
                Files.createDirectories(baseDir);
            } catch (IOException e) {
                throw new SandboxException("Cannot create sandbox base directory " + baseDir, e);
            }
            StaleSandboxReaper.reap(baseDir);
        }

        private Path createClusterDirectory() {
            try {
                return Owner.createOwnedDirectory(baseDir, "cluster-");
            } catch (IOException e) {
                throw new SandboxException("Cannot create a sandbox directory in " + baseDir, e);
            }
        }

        private static void deleteQuietly(Path directory) {
            try {
                DirectoryTree.delete(directory);
            } catch (IOException e) {
                log.warn("Cannot delete {}: {}", directory, e.toString());
            }
        }
    }
}
