package io.mha4j.internal.failover;

import io.mha4j.Mha4jException;
import io.mha4j.config.ServerConfig;
import io.mha4j.internal.monitor.HeartbeatEvidence;
import io.mha4j.monitor.ReplicaSample;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShell;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.ServerConnection;
import io.mha4j.server.SqlFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase 2's question before anything irreversible: may the dead master still be alive? Asked
 * from every vantage point the failover has — SQL (which also makes it read-only if it answers),
 * SSH to its host, and the replicas' view of it — and answered as a {@link State}.
 *
 * <p>Where SQL times out and SSH does not answer, replicas still connected to it are watched
 * until each either hears something (it lives: a partition between the manager and the master),
 * gives up on it ({@code slave_net_timeout}), or stays silent for longer than its heartbeat
 * period allows a live master ({@link HeartbeatEvidence}) — at most until the replicas' own
 * {@code slave_net_timeout}, after which a replica of a silent master shows itself disconnected.
 */
final class DeadMasterProbe {
    private static final Logger log = LoggerFactory.getLogger(DeadMasterProbe.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration DEFAULT_NET_TIMEOUT = Duration.ofSeconds(60);

    /** What phase 2 concluded about the dead master. */
    enum State {
        /** Nothing listens on its port: its mysqld is gone. */
        GONE,
        /** It answered SQL again and was made read-only: it takes no more writes. */
        READ_ONLY,
        /**
         * Neither SQL nor SSH answers and no replica hears it: gone for everyone we can see (a
         * powered-off host must be failed over, MHA's issue #156; should it return, the old
         * master's guard fences it).
         */
        UNREACHABLE,
        /**
         * SQL does not answer, yet its host answers SSH (a hung or frozen mysqld) or a replica
         * still hears it: it may take writes again, so only a fence makes a failover safe.
         */
        MAY_BE_ALIVE
    }

    /** The conclusion, why, and a shell on its host when SSH answers. */
    record Result(State state, String reason, Optional<RemoteShell> shell) {}

    private final FailoverSetup setup;

    DeadMasterProbe(FailoverSetup setup) {
        this.setup = setup;
    }

    /** Asks SQL, SSH and the replicas at once, each a step of {@code steps}; then, if need be, listens to the replicas. */
    Result run(ServerConfig dead, List<Survivor> survivors, StepTimer steps) {
        CompletableFuture<Ssh> ssh = CompletableFuture.supplyAsync(
                () -> steps.time("ssh", () -> reachable(dead), Ssh::detail), setup.pool());
        CompletableFuture<Optional<SqlFailure>> sql = CompletableFuture.supplyAsync(
                () -> steps.time(
                        "sql",
                        () -> readOnlyIfAnswering(dead),
                        f -> f.map(e -> "no answer: " + e.getMessage()).orElse("answered; made read-only")),
                setup.pool());
        List<Ear> ears = steps.time(
                "replicas", () -> ears(dead, survivors), e -> e.size() + " of " + survivors.size() + " read");
        Optional<SqlFailure> sqlFailure = sql.join();
        Optional<RemoteShell> shell = ssh.join().shell();
        if (sqlFailure.isEmpty()) {
            return new Result(State.READ_ONLY, "it answered SQL and was made read-only", shell);
        }
        SqlFailure f = sqlFailure.get();
        if (f.kind() == SqlFailure.Kind.CONNECTION_REFUSED) {
            return new Result(State.GONE, "nothing listens on its port (connection refused)", shell);
        }
        String sqlSays = "SQL does not answer (" + f.getMessage() + ")";
        if (shell.isPresent()) {
            return new Result(
                    State.MAY_BE_ALIVE,
                    sqlSays + ", but its host answers SSH: a hung or frozen mysqld" + " may resume and take writes",
                    shell);
        }
        Optional<String> heard = steps.time("listen", () -> listen(ears), who -> who.orElse("no replica hears it"));
        return heard.map(who -> new Result(
                        State.MAY_BE_ALIVE,
                        sqlSays + " and SSH does not answer, but " + who + ": a partition may hide a live master",
                        shell))
                .orElseGet(() -> new Result(
                        State.UNREACHABLE,
                        sqlSays + ", SSH does not answer and no replica hears" + " it: gone for everyone mha4j can see",
                        shell));
    }

    /** A survivor that replicated from the dead master, and its first sample. */
    private record Ear(Survivor survivor, ReplicaSample first, long firstNanos) {}

    /** The survivors that replicate from the dead master (all of them if none can be matched), sampled now. */
    private List<Ear> ears(ServerConfig dead, List<Survivor> survivors) {
        List<Survivor> own =
                survivors.stream().filter(s -> Candidates.sourceIs(s, dead)).toList();
        List<CompletableFuture<Optional<Ear>>> reads = (own.isEmpty() ? survivors : own)
                .stream()
                        .map(s -> CompletableFuture.supplyAsync(
                                () -> sample(s)
                                        .map(x -> new Ear(s, x, setup.time().nanoTime())),
                                setup.pool()))
                        .toList();
        return reads.stream()
                .map(CompletableFuture::join)
                .flatMap(Optional::stream)
                .toList();
    }

    /**
     * Watches the replicas still connected: empty when none hears the master any more, else who
     * does (or cannot tell by the deadline).
     */
    private Optional<String> listen(List<Ear> ears) {
        List<Ear> open =
                new ArrayList<>(ears.stream().filter(e -> connected(e.first())).toList());
        Duration limit = open.stream()
                .map(e -> e.first().heartbeat().netTimeout().orElse(DEFAULT_NET_TIMEOUT))
                .max(Duration::compareTo)
                .orElse(Duration.ZERO)
                .plusSeconds(2);
        long deadline = setup.time().nanoTime() + limit.toNanos();
        while (!open.isEmpty()) {
            for (Ear e : List.copyOf(open)) {
                Optional<ReplicaSample> now = sample(e.survivor());
                if (now.isEmpty() || !connected(now.get())) {
                    log.info(
                            "{}: no longer connected to the dead master",
                            e.survivor().name());
                    open.remove(e);
                } else if (!now.get().unchangedSince(e.first())) {
                    return Optional.of(e.survivor().name() + " still receives from it ("
                            + now.get().describe() + ")");
                } else if (overdue(e, now.get(), setup.time().nanoTime())) {
                    log.info(
                            "{}: heard nothing from the dead master for longer than its heartbeat period allows ({})",
                            e.survivor().name(),
                            now.get().describe());
                    open.remove(e);
                }
            }
            if (open.isEmpty()) {
                return Optional.empty();
            }
            if (setup.time().nanoTime() - deadline > 0) {
                return Optional.of(open.get(0).survivor().name() + " still shows a connection that its heartbeats"
                        + " cannot judge (" + open.get(0).first().describe() + ")");
            }
            try {
                setup.time().sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Mha4jException("interrupted while listening to the replicas for the dead master", e);
            }
        }
        return Optional.empty();
    }

    private static boolean overdue(Ear e, ReplicaSample now, long atNanos) {
        Duration silent = Duration.ofNanos(atNanos - e.firstNanos());
        return now.receivedHeartbeats().isPresent()
                && now.heartbeatPeriod()
                        .filter(p -> silent.compareTo(HeartbeatEvidence.silenceProof(p)) >= 0)
                        .isPresent();
    }

    private static boolean connected(ReplicaSample s) {
        return s.ioThread() == ReplicaStatus.IoThread.RUNNING;
    }

    /**
     * Empty when the survivor cannot be read now, within {@code replica_read_timeout}: a frozen
     * replica gives no opinion, and does not hold the failover.
     */
    private Optional<ReplicaSample> sample(Survivor s) {
        try {
            ServerConnection c = s.connection();
            return Optional.of(s.bounded(
                    Survivor.readTimeout(setup.config()),
                    () -> new ReplicaSample(s.name(), c.readState().replica(), HeartbeatEvidence.read(c))));
        } catch (RuntimeException e) {
            log.warn("{}: cannot be read while judging the dead master: {}", s.name(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Whether its host answers over SSH: {@code true} run there, on the connection and warm shell the
     * monitor kept (connected now if it did not), so the compensation that follows finds them ready.
     * Where the monitor left no warm shell, the transport may start one beside this probe, which
     * does not wait for it: the probe pays the login shell once over an exec channel, and the
     * compensation's commands find the warm shell open (see {@link RemoteShell#connect}).
     */
    private Ssh reachable(ServerConfig dead) {
        try {
            RemoteShell shell = setup.shells().shellFor(dead);
            String how = shell.connect(dead.sshConnectionTimeout());
            // A connection kept from the monitor may be dead without anyone knowing yet (a powered-off host): no
            // longer than a new connection would take to fail.
            if (shell.run(RemoteCommand.of("true").repeatable(), dead.sshConnectionTimeout())
                    .succeeded()) {
                log.info("{}: its host answers over SSH ({}; {})", dead.displayName(), shell.target(), how);
                return new Ssh(Optional.of(shell), "answered: " + how);
            }
            log.warn("{}: its host answered SSH but could not run a command", dead.displayName());
            return new Ssh(Optional.empty(), "connected, but could not run a command");
        } catch (RuntimeException e) {
            log.warn("{}: its host does not answer over SSH: {}", dead.displayName(), e.getMessage());
            return new Ssh(Optional.empty(), "no answer: " + e.getMessage());
        }
    }

    /** What the SSH probe found: a shell on the dead master's host if it answered, and what it saw. */
    private record Ssh(Optional<RemoteShell> shell, String detail) {}

    /**
     * Makes the dead master read-only should it answer; empty when it did, else why not. Every
     * step is bounded by {@code sql_connect_timeout}: a hung server that accepts a login may
     * block {@code SET GLOBAL read_only} on its running transactions.
     */
    Optional<SqlFailure> readOnlyIfAnswering(ServerConfig dead) {
        Duration bound = dead.sqlConnectTimeout();
        try (ServerConnection c = setup.connector().open(dead, Optional.of(bound))) {
            c.withReadTimeout(bound, () -> {
                c.execute(c.dialect().enableReadOnly());
                return null;
            });
            log.warn("{}: answered SQL again; made it read-only so that it takes no more writes", dead.displayName());
            return Optional.empty();
        } catch (SqlFailure e) {
            log.info("{}: does not answer SQL: {}", dead.displayName(), e.getMessage());
            return Optional.of(e);
        } catch (RuntimeException e) {
            log.info("{}: does not answer SQL: {}", dead.displayName(), e.getMessage());
            return Optional.of(new SqlFailure(
                    dead.displayName(), null, SqlFailure.Kind.OTHER, 0, null, String.valueOf(e.getMessage()), e));
        }
    }
}
