package io.mha4j.internal.monitor;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.internal.concurrent.NamedDaemonThreads;
import io.mha4j.internal.hook.MhaHookArguments;
import io.mha4j.internal.hook.MhaScript;
import io.mha4j.internal.sql.JdbcSqlSession;
import io.mha4j.internal.sql.SessionConnection;
import io.mha4j.monitor.Evidence;
import io.mha4j.monitor.MonitorProbes;
import io.mha4j.monitor.PingOutcome;
import io.mha4j.monitor.ReplicaSample;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.LocalShell;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShellException;
import io.mha4j.remote.RemoteShells;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real probes: the master pinged over JDBC (connect timeout {@code sql_connect_timeout},
 * read timeout the ping interval, as MHA bounds each ping by {@code ping_interval}), replicas
 * read over JDBC, {@code true} run over the application's remote shell with
 * {@code ssh_connection_timeout}, and {@code secondary_check_script} run on this machine with
 * MHA's arguments. While the master answers, its host's shell is kept ready for a failover.
 */
public final class StandardProbes implements MonitorProbes {
    private static final Logger log = LoggerFactory.getLogger(StandardProbes.class);

    /** MHA waits for the script without a limit; mha4j kills it after this and takes it as inconclusive. */
    static final Duration SECONDARY_CHECK_TIMEOUT = Duration.ofSeconds(30);
    /** After a failed attempt to get the master's host ready, the next one waits this long. */
    static final Duration WARM_RETRY = Duration.ofSeconds(10);

    private final ApplicationConfig config;
    private final ServerConfig master;
    private final RemoteShells shells;
    private final SqlPing ping;
    private final ReplicaReader replicas;
    private final Clock clock;
    private final ExecutorService warming;
    private final AtomicBoolean warmingNow = new AtomicBoolean();
    private volatile Instant nextWarming = Instant.MIN;
    private volatile String lastWarmFailure = "";

    /**
     * @param shells where SSH to the master's host is tried; the caller closes them
     */
    public StandardProbes(
            ApplicationConfig config, ServerConfig master, Duration pingInterval, RemoteShells shells, Clock clock) {
        this.config = config;
        this.master = master;
        this.shells = shells;
        this.clock = clock;
        this.warming = Executors.newSingleThreadExecutor(new NamedDaemonThreads("mha4j-ready-" + master.block()));
        this.ping = new SqlPing(
                master.displayName(),
                config.pingType(),
                () -> JdbcSqlSession.open(
                        master.displayName(),
                        master.address(),
                        master.port(),
                        master.user(),
                        master.password(),
                        master.sqlConnectTimeout(),
                        pingInterval),
                clock);
        Duration replicaRead = clamp(pingInterval, Duration.ofSeconds(1), master.sqlReadTimeout());
        this.replicas = new ReplicaReader(r -> SessionConnection.over(
                r,
                JdbcSqlSession.open(
                        r.displayName(),
                        r.address(),
                        r.port(),
                        r.user(),
                        r.password(),
                        r.sqlConnectTimeout(),
                        replicaRead),
                clock));
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }

    /** Pings; after a ping that reached the master, keeps its host {@linkplain #keepReady() ready} for a failover. */
    @Override
    public PingOutcome ping() {
        PingOutcome outcome = ping.ping();
        if (outcome.ok()) {
            keepReady();
        }
        return outcome;
    }

    /**
     * Keeps the master's host connected and its shell warm ({@link io.mha4j.remote.RemoteShell#prepare}),
     * off the ping's thread, while the master is healthy: the failover's SSH steps then pay neither a
     * connection nor the remote user's login shell. The shells are the manager's, which the failover
     * uses too. Cheap once ready; after a failure, tried again {@link #WARM_RETRY} later.
     */
    void keepReady() {
        if (clock.instant().isBefore(nextWarming) || !warmingNow.compareAndSet(false, true)) {
            return;
        }
        try {
            warming.execute(() -> {
                try {
                    String how = shells.shellFor(master)
                            .prepare(master.sshConnectionTimeout().plusSeconds(30));
                    log.debug("{}: its host is ready for a failover: {}", master.displayName(), how);
                    lastWarmFailure = "";
                } catch (RuntimeException e) {
                    nextWarming = clock.instant().plus(WARM_RETRY);
                    if (!String.valueOf(e.getMessage()).equals(lastWarmFailure)) {
                        log.warn(
                                "{}: cannot keep an SSH connection to its host ready for a failover (trying again"
                                        + " every {} s): {}",
                                master.displayName(),
                                WARM_RETRY.toSeconds(),
                                e.getMessage());
                    }
                    lastWarmFailure = String.valueOf(e.getMessage());
                } finally {
                    warmingNow.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            warmingNow.set(false);
        }
    }

    @Override
    public ReplicaSample readReplica(ServerConfig replica) {
        return replicas.read(replica);
    }

    /** Only whether sshd answers: a refused key or an unknown host key still proves the host is up. */
    @Override
    public Optional<Boolean> sshReachable() {
        String host = master.sshHost();
        try {
            shells.shellFor(master).run(RemoteCommand.of("true").repeatable(), master.sshConnectionTimeout());
            log.info("{}: SSH to {} is reachable", master.displayName(), host);
            return Optional.of(true);
        } catch (RemoteShellException e) {
            switch (e.kind()) {
                case UNREACHABLE, TIMEOUT -> {
                    log.warn("{}: SSH to {} is NOT reachable: {}", master.displayName(), host, e.getMessage());
                    return Optional.of(false);
                }
                case AUTHENTICATION_REFUSED, HOST_KEY_UNKNOWN, HOST_KEY_CHANGED -> {
                    log.warn(
                            "{}: sshd on {} answers but refuses us, so the host is up: {}",
                            master.displayName(),
                            host,
                            e.getMessage());
                    return Optional.of(true);
                }
                default -> {
                    log.warn(
                            "{}: cannot tell whether SSH to {} is reachable: {}",
                            master.displayName(),
                            host,
                            e.getMessage());
                    return Optional.empty();
                }
            }
        }
    }

    @Override
    public OptionalInt secondaryCheck() {
        Optional<String> script = config.secondaryCheckScript();
        if (script.isEmpty()) {
            return OptionalInt.empty();
        }
        RemoteCommand command = new MhaScript(Parameter.SECONDARY_CHECK_SCRIPT, script.get())
                .command(MhaHookArguments.secondaryCheck(master, config.pingType()));
        log.info("{}: executing secondary network check script: {}", master.displayName(), command);
        try {
            CommandResult r = LocalShell.INSTANCE.run(command, SECONDARY_CHECK_TIMEOUT);
            String output = r.stdout().strip().replace('\n', ' ');
            switch (r.exitCode()) {
                case 0 ->
                    log.info(
                            "{}: master is not reachable from all other monitoring servers; failover"
                                    + " should start ({})",
                            master.displayName(),
                            output);
                case 2 ->
                    log.warn(
                            "{}: secondary_check_script exit 2: at least one of monitoring servers is not"
                                    + " reachable from this script ({})",
                            master.displayName(),
                            output);
                case 3 ->
                    log.warn(
                            "{}: secondary_check_script exit 3: master is reachable from at least one of"
                                    + " other monitoring servers ({})",
                            master.displayName(),
                            output);
                default ->
                    log.error(
                            "{}: secondary_check_script exit {}: unknown error ({} {})",
                            master.displayName(),
                            r.exitCode(),
                            output,
                            r.firstErrorLine());
            }
            return OptionalInt.of(r.exitCode());
        } catch (RemoteShellException e) {
            log.error("{}: secondary_check_script did not finish: {}", master.displayName(), e.getMessage());
            return OptionalInt.of(Evidence.SECONDARY_CHECK_DID_NOT_FINISH);
        }
    }

    /**
     * Stops; a preparation under way is interrupted and awaited for up to {@code ssh_connection_timeout}
     * (the bound of a connection attempt, which an interrupt does not end), so that no warm shell is
     * started after the monitor has stopped and its owner closed the shells.
     */
    @Override
    public void close() {
        warming.shutdownNow();
        try {
            if (!warming.awaitTermination(master.sshConnectionTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn(
                        "{}: getting its host ready for a failover did not end within {} ms of the monitor's close",
                        master.displayName(),
                        master.sshConnectionTimeout().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ping.close();
        replicas.close();
    }
}
