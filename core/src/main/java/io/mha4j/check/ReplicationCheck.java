package io.mha4j.check;

import io.mha4j.FailoverHook;
import io.mha4j.Mha4jException;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Secret;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverContext;
import io.mha4j.internal.check.HookScriptCheck;
import io.mha4j.internal.check.ReplicationRules;
import io.mha4j.internal.check.ServerRead;
import io.mha4j.internal.check.TopologyDiscovery;
import io.mha4j.internal.concurrent.NamedDaemonThreads;
import io.mha4j.internal.monitor.HeartbeatEvidence;
import io.mha4j.internal.plugin.Plugins;
import io.mha4j.internal.sql.JdbcSqlSession;
import io.mha4j.remote.RemoteShell;
import io.mha4j.remote.RemoteShellException;
import io.mha4j.remote.RemoteShells;
import io.mha4j.server.ServerConnection;
import io.mha4j.server.ServerState;
import io.mha4j.server.SqlFailure;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * check_repl: reads every configured server in parallel, makes out the topology from what they
 * say, applies {@link ReplicationRules}, then checks what needs more than SQL state: that the
 * replication account can log in to the master, that binlog servers are reachable, that hook
 * scripts exist and answer {@code --command=status}, and (unless skipped) SSH.
 */
public final class ReplicationCheck {
    private static final Logger log = LoggerFactory.getLogger(ReplicationCheck.class);

    private final ApplicationConfig config;
    private final RemoteShells shells;
    private final Clock clock;
    private boolean skipSshCheck;
    /** The manager's working directory, as the hooks asked for their status see it; null: manager_workdir. */
    private Path workdir;

    private boolean hostToHostRoutes;
    private long secondsBehindMaster = 30;
    private boolean ignoreFailOnStart;
    private final HookScriptCheck scripts = new HookScriptCheck();

    public ReplicationCheck(ApplicationConfig config, RemoteShells shells, Clock clock) {
        this.config = config;
        this.shells = shells;
        this.clock = clock;
    }

    /**
     * Also tests SSH between every pair of hosts ({@code check_ssh}'s routes). Off by default:
     * mha4j's failover uses only the manager's route to each host, and on n hosts the pairs cost
     * n·(n−1) SSH logins (MHA skips them too when GTID auto-positioning is on).
     */
    public ReplicationCheck hostToHostRoutes(boolean test) {
        this.hostToHostRoutes = test;
        return this;
    }

    /** The manager's working directory, when not {@code manager_workdir} (a manager's {@code --workdir}). */
    public ReplicationCheck workdir(Path dir) {
        this.workdir = dir;
        return this;
    }

    /** Skips the SSH part, as MHA's {@code --skip_ssh_check}. */
    public ReplicationCheck skipSshCheck(boolean skip) {
        this.skipSshCheck = skip;
        return this;
    }

    /** A replica further behind than this is an error (MHA's {@code --seconds_behind_master}, default 30). */
    public ReplicationCheck secondsBehindMaster(long seconds) {
        this.secondsBehindMaster = seconds;
        return this;
    }

    /** As MHA's {@code --ignore_fail_on_start}: dead servers with {@code ignore_fail=1} are tolerated. */
    public ReplicationCheck ignoreFailOnStart(boolean ignore) {
        this.ignoreFailOnStart = ignore;
        return this;
    }

    /**
     * @throws io.mha4j.config.ConfigException if the configuration names a plugin that is not on the
     *     classpath: checked first, before any server is asked ({@code remote_shell} is the shells' concern)
     */
    public ReplicationHealth run() {
        Plugins.checkAllButRemoteShell(config);
        long start = System.nanoTime();
        List<Finding> findings = new ArrayList<>();
        Map<String, ServerConnection> connections = new ConcurrentHashMap<>();
        // SSH logins take longer than the SQL reads and need nothing from them: both run at once.
        Optional<CompletableFuture<SshCheckResult>> ssh = skipSshCheck
                ? Optional.empty()
                : Optional.of(CompletableFuture.supplyAsync(
                        this::sshCheck,
                        task -> new NamedDaemonThreads("mha4j-check-ssh")
                                .newThread(task)
                                .start()));
        try {
            List<ServerRead> reads = readAll(connections);
            TopologyDiscovery.Result discovered = TopologyDiscovery.discover(reads);
            findings.addAll(discovered.findings());
            if (discovered.topology().isPresent()) {
                Topology topology = discovered.topology().get();
                Optional<ServerState> masterAgain =
                        reread(connections.get(topology.master().block()));
                findings.addAll(ReplicationRules.evaluate(
                        config, topology, reads, masterAgain, secondsBehindMaster, ignoreFailOnStart));
                topology.masterState().ifPresent(m -> replicationLogin(topology, findings));
                binlogServers(findings);
                findings.addAll(scripts.check(config, topology.master()));
                hookStatus(topology.master(), findings);
            }
            ssh.ifPresent(check -> joined(check)
                    .failures()
                    .forEach(p -> findings.add(Finding.error(
                            FindingKind.SSH_FAILED,
                            null,
                            "SSH from " + (p.from().equals(SshPair.MANAGER) ? "the manager" : p.from()) + " to "
                                    + p.to() + " failed: " + p.detail()))));
            return new ReplicationHealth(discovered.topology(), findings, Duration.ofNanos(System.nanoTime() - start));
        } finally {
            // Also when the SQL part threw: the SSH check ends (within its own timeouts) before the caller may close
            // the shells it uses, rather than logging failures of shells closed under it.
            ssh.ifPresent(check -> check.handle((result, failure) -> null).join());
            connections.values().forEach(ServerConnection::close);
        }
    }

    /** The SSH check's result; what it threw, thrown as it was (not wrapped). */
    private static SshCheckResult joined(CompletableFuture<SshCheckResult> check) {
        try {
            return check.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private SshCheckResult sshCheck() {
        SshCheck check = new SshCheck(config, shells);
        return (hostToHostRoutes ? check : check.managerRoutesOnly()).run();
    }

    /** Each configured failover hook's status for the master (the VIP plugin: is the VIP there?). */
    private void hookStatus(ServerConfig master, List<Finding> findings) {
        for (FailoverHook hook : Plugins.failoverHooks(config)) {
            String name = hook.name();
            try {
                hook.status(
                        new FailoverContext(
                                config,
                                master,
                                Optional.empty(),
                                shells,
                                workdir != null ? workdir : config.managerWorkdir()),
                        master);
                findings.add(
                        Finding.info(FindingKind.TOPOLOGY, null, "Checking failover hook " + name + " status: OK."));
            } catch (RuntimeException e) {
                findings.add(Finding.error(
                        FindingKind.SCRIPT_STATUS_FAILED,
                        null,
                        "failover hook " + name + " is not ready: " + e.getMessage()));
            }
        }
    }

    private List<ServerRead> readAll(Map<String, ServerConnection> connections) {
        ExecutorService pool =
                Executors.newFixedThreadPool(config.servers().size(), new NamedDaemonThreads("mha4j-check-read"));
        try {
            List<CompletableFuture<ServerRead>> futures = config.servers().stream()
                    .map(s -> CompletableFuture.supplyAsync(() -> read(s, connections), pool))
                    .toList();
            return futures.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }
    }

    private ServerRead read(ServerConfig server, Map<String, ServerConnection> connections) {
        try {
            ServerConnection c = ServerConnection.open(server, clock);
            connections.put(server.block(), c);
            ServerState state = c.readState();
            log.debug("{}: read ({})", server.displayName(), state.version());
            return state.isReplica()
                    ? ServerRead.of(server, state, HeartbeatEvidence.read(c))
                    : ServerRead.of(server, state);
        } catch (Mha4jException e) {
            log.warn("{}: cannot be read: {}", server.displayName(), e.getMessage());
            return ServerRead.failed(server, e.getMessage());
        }
    }

    private static Optional<ServerState> reread(ServerConnection master) {
        if (master == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(master.readState());
        } catch (SqlFailure e) {
            return Optional.empty();
        }
    }

    /** The replication account from the configuration, or (as MHA) the one the replicas use. */
    private void replicationLogin(Topology topology, List<Finding> findings) {
        ServerConfig master = topology.master();
        Optional<String> user = master.replUser()
                .or(() -> topology.replicas().stream()
                        .flatMap(r -> topology.state(r).flatMap(ServerState::replica).stream())
                        .map(r -> r.sourceUser())
                        .filter(u -> !u.isEmpty())
                        .findFirst());
        if (user.isEmpty()) {
            findings.add(Finding.warning(
                    FindingKind.REPLICATION_LOGIN_FAILED,
                    master.block(),
                    "repl_user is not set and no replica shows one: the replication login was not checked"));
            return;
        }
        Secret password = master.replPassword().orElse(Secret.empty());
        try (JdbcSqlSession s = JdbcSqlSession.open(
                master.displayName(),
                master.address(),
                master.port(),
                user.get(),
                password,
                master.sqlConnectTimeout(),
                master.sqlReadTimeout())) {
            s.query("SELECT 1");
            findings.add(Finding.info(
                    FindingKind.TOPOLOGY,
                    master.block(),
                    "Replication user " + user.get() + " can log in to the master " + master.displayName()));
        } catch (SqlFailure e) {
            findings.add(Finding.error(
                    FindingKind.REPLICATION_LOGIN_FAILED,
                    master.block(),
                    "replication user "
                            + user.get() + " cannot log in to the master " + master.displayName() + ": "
                            + e.getMessage()
                            + (master.replPassword().isEmpty() ? " (repl_password is not set)" : "")));
        }
    }

    private void binlogServers(List<Finding> findings) {
        for (ServerConfig b : config.binlogServers()) {
            try {
                RemoteShell shell = shells.shellFor(b);
                boolean found = b.masterBinlogDirs().stream()
                        .anyMatch(d -> shell.stat(d).map(f -> f.directory()).orElse(false));
                if (found) {
                    findings.add(Finding.info(
                            FindingKind.TOPOLOGY,
                            b.block(),
                            "Binlog server " + b.displayName() + " is reachable; master_binlog_dir exists"));
                } else {
                    findings.add(Finding.error(
                            FindingKind.BINLOG_SERVER_UNREACHABLE,
                            b.block(),
                            "binlog server " + b.displayName() + ": none of " + b.masterBinlogDirs()
                                    + " is a directory"));
                }
            } catch (RemoteShellException e) {
                findings.add(Finding.error(
                        FindingKind.BINLOG_SERVER_UNREACHABLE,
                        b.block(),
                        "binlog server " + b.displayName() + " is unreachable over SSH: " + e.getMessage()));
            }
        }
    }
}
