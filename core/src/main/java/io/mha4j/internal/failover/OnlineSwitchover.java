package io.mha4j.internal.failover;

import io.mha4j.Mha4jException;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.Election;
import io.mha4j.failover.ElectionContext;
import io.mha4j.failover.FailoverContext;
import io.mha4j.failover.FailoverReport.Outcome;
import io.mha4j.failover.ReplicaOutcome;
import io.mha4j.failover.SwitchoverReport;
import io.mha4j.gtid.GtidSet;
import io.mha4j.internal.hook.MhaHookArguments;
import io.mha4j.internal.hook.MhaScript;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.LocalShell;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.server.GtidStart;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.ReplicationSource;
import io.mha4j.server.Row;
import io.mha4j.server.ServerConnection;
import io.mha4j.server.SqlStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MHA's online master switch ({@code masterha_master_switch --master_state=alive}): checks,
 * {@code master_ip_online_change_script --command=stop}, writes blocked on the original master
 * ({@code read_only=1}, then {@code FLUSH TABLES WITH READ LOCK} for sessions that read_only does
 * not stop), the new master waits until it executed every GTID the original master has, is
 * promoted, {@code --command=start}, the other replicas follow it by GTID, and with
 * {@code --orig_master_is_new_slave} the original master too. The original master is read-only
 * before the new one becomes writable, so the two are never writable at once; if the new master
 * does not catch up in time, the original master is made writable again and nothing else changed.
 */
public final class OnlineSwitchover {
    private static final Logger log = LoggerFactory.getLogger(OnlineSwitchover.class);
    /** MHA refuses a switch while a replica lags more than this. */
    static final long MAX_LAG_SECONDS = 30;

    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);

    /** The switch's settings. */
    public record Settings(
            Optional<ServerConfig> designated,
            boolean origMasterIsNewSlave,
            Duration runningUpdatesLimit,
            Duration catchUpTimeout) {}

    private final FailoverSetup setup;
    private final Settings settings;
    private final Progress progress;
    private final StepTimer steps;
    private final List<String> errors = new ArrayList<>();

    /**
     * The two moments that move traffic, told on the switch's thread (the caller keeps a listener
     * that throws from stopping the switch).
     */
    public interface Progress {
        /**
         * The checks passed: writes on {@code orig} are about to be stopped (the online-change
         * script's stop, the hooks' release, then {@code read_only=1}); nothing is yet.
         */
        default void blocking(ServerConfig orig, ServerConfig next) {}

        /** {@code next} is writable ({@code promote()} returned), the replicas not yet rewired. */
        default void promoted(ServerConfig orig, ServerConfig next) {}
    }

    public OnlineSwitchover(FailoverSetup setup, Settings settings) {
        this(setup, settings, new Progress() {});
    }

    public OnlineSwitchover(FailoverSetup setup, Settings settings, Progress progress) {
        this.setup = setup;
        this.settings = settings;
        this.progress = progress;
        this.steps = new StepTimer("online switch", setup.time()::nanoTime);
    }

    /** The checks alone ({@code --check_only}); an empty list means a switch would start. */
    public List<String> check(ServerConfig orig) {
        ClusterRead read = ClusterRead.of(setup.config().servers(), setup.connector(), setup.pool());
        try {
            return problems(orig, read).problems();
        } finally {
            read.survivors().forEach(s -> s.connection().close());
        }
    }

    public SwitchoverReport run(ServerConfig orig) {
        Instant started = setup.clock().instant();
        ClusterRead read = ClusterRead.of(setup.config().servers(), setup.connector(), setup.pool());
        Optional<Survivor> promoted = Optional.empty();
        Optional<Duration> blocked = Optional.empty();
        boolean touched = false;
        List<ReplicaOutcome> outcomes = List.of();
        Outcome outcome;
        try {
            Plan plan =
                    step("Checking the original master, the replicas and the new master", () -> problems(orig, read));
            if (!plan.problems().isEmpty()) {
                errors.addAll(plan.problems());
                outcome = Outcome.REFUSED;
            } else {
                Survivor origMaster = plan.orig();
                Survivor newMaster = plan.next();
                // Before anything stops writes here (the script's stop may already, a VIP's release
                // does for clients behind it, read_only does), so that a listener routing writes stops
                // sending them while the old master still takes them, rather than after they fail.
                progress.blocking(origMaster.config(), newMaster.config());
                step("master_ip_online_change_script --command=stop", () -> {
                    script("stop", origMaster.config(), newMaster.config());
                    return null;
                });
                FailoverContext context = new FailoverContext(
                        setup.config(), origMaster.config(), Optional.empty(), setup.shells(), setup.workdir());
                step("Failover hooks: releasing " + origMaster.name(), () -> {
                    setup.hooks().isolate(context, true);
                    return null;
                });
                Instant blockedAt = setup.clock().instant();
                touched = true;
                GtidSet last = step("Blocking writes on " + origMaster.name(), () -> blockWrites(origMaster));
                try {
                    step("Waiting until " + newMaster.name() + " has " + last, () -> {
                        ReplicaProgress.awaitExecuted(
                                setup.time(), newMaster, last, settings.catchUpTimeout(), "execute " + last);
                        return null;
                    });
                } catch (RuntimeException e) {
                    step("Making " + origMaster.name() + " writable again", () -> {
                        unblockWrites(origMaster);
                        return null;
                    });
                    throw e;
                }
                step("Failover hooks: activating " + newMaster.name(), () -> {
                    setup.hooks().activate(context.withNewMaster(newMaster.config()));
                    return null;
                });
                step("Promoting " + newMaster.name(), () -> {
                    setup.rewirer()
                            .promote(newMaster.connection(), !newMaster.config().skipResetSlave());
                    return null;
                });
                blocked = Optional.of(Duration.between(blockedAt, setup.clock().instant()));
                promoted = Optional.of(newMaster);
                log.info("Writes were blocked for {} ms", blocked.get().toMillis());
                // promote() returned after read_only=0: writes may go there now, before the replicas follow.
                progress.promoted(origMaster.config(), newMaster.config());
                outcome = Outcome.SUCCEEDED;
                try {
                    step("master_ip_online_change_script --command=start", () -> {
                        script("start", origMaster.config(), newMaster.config());
                        return null;
                    });
                } catch (RuntimeException e) {
                    errors.add(e.getMessage());
                    outcome = Outcome.PARTIAL;
                }
                outcomes = step("Rewiring the replicas", () -> rewire(read.survivors(), origMaster, newMaster));
                if (outcomes.stream().anyMatch(o -> !o.recovered())) {
                    outcome = Outcome.PARTIAL;
                }
            }
        } catch (RuntimeException e) {
            errors.add(e.getMessage() == null ? e.toString() : e.getMessage());
            log.error("Online switch of {} stopped: {}", orig.displayName(), e.getMessage());
            outcome = blocked.isPresent() ? Outcome.PARTIAL : touched ? Outcome.FAILED : Outcome.REFUSED;
        } finally {
            read.survivors().forEach(s -> s.connection().close());
        }
        return new SwitchoverReport(
                setup.config().name(),
                outcome,
                orig,
                promoted.map(Survivor::config),
                blocked,
                steps.list(),
                outcomes,
                errors,
                started,
                setup.clock().instant());
    }

    /** What the checks found, and the servers they chose. */
    private record Plan(Survivor orig, Survivor next, List<String> problems) {}

    private Plan problems(ServerConfig orig, ClusterRead read) {
        List<String> problems = new ArrayList<>();
        read.unreachable().forEach((s, why) -> problems.add(s.displayName() + " cannot be read: " + why));
        Optional<Survivor> origMaster = read.survivors().stream()
                .filter(s -> s.config().block().equals(orig.block()))
                .findFirst();
        if (origMaster.isEmpty()) {
            problems.add("the original master " + orig.displayName() + " cannot be read: an online switch needs it"
                    + " alive (use --master_state=dead for a dead master)");
            return new Plan(null, null, problems);
        }
        Survivor o = origMaster.get();
        if (o.state().isReplica() || !o.state().isWritable()) {
            problems.add(o.name() + " is not the current master (it is "
                    + (o.state().isReplica() ? "a replica" : "read-only") + ")");
        }
        List<Survivor> replicas = read.survivors().stream().filter(s -> s != o).toList();
        for (Survivor r : replicas) {
            Optional<ReplicaStatus> st = r.state().replica();
            if (st.isEmpty()
                    || st.get().sourcePort() != o.config().port()
                    || st.get().sourceServerId() != 0
                            && st.get().sourceServerId() != o.state().serverId()) {
                problems.add(r.name() + " does not replicate from " + o.name());
            } else if (!st.get().isReplicating()) {
                problems.add(r.name() + " is not replicating (IO " + st.get().ioThread() + ", SQL "
                        + (st.get().sqlThreadRunning() ? "running" : "stopped") + ")");
            } else if (st.get().secondsBehindSource().orElse(Long.MAX_VALUE) > MAX_LAG_SECONDS) {
                java.util.OptionalLong lag = st.get().secondsBehindSource();
                problems.add(r.name() + " lags "
                        + (lag.isPresent() ? lag.getAsLong() + " s" : "an unknown time (Seconds_Behind_Master is NULL)")
                        + " (more than " + MAX_LAG_SECONDS
                        + " s)");
            }
        }
        problems.addAll(runningUpdates(o));
        if (replicas.isEmpty()) {
            problems.add("there is no replica to switch to");
            return new Plan(o, null, problems);
        }
        // The master is alive to compare with: no transaction is errant here.
        Survivor latest = Candidates.latestOf(replicas, ErrantTransactions.NONE).orElse(replicas.get(0));
        java.util.Set<String> all =
                replicas.stream().map(r -> r.config().block()).collect(Collectors.toSet());
        Election e = setup.elect(
                o.config(),
                ElectionContext.Purpose.ONLINE_SWITCH,
                Candidates.of(replicas, latest, all),
                Optional.empty());
        if (e.winner().isEmpty()) {
            problems.add("no server may become the new master: " + e.reason() + " " + e.losers());
            return new Plan(o, null, problems);
        }
        Survivor next = replicas.stream()
                .filter(r -> r.config().block().equals(e.winner().get().block()))
                .findFirst()
                .orElseThrow();
        log.info("New master: {} ({})", next.name(), e.reason());
        return new Plan(o, next, problems);
    }

    /** MHA refuses while an update has run on the original master for {@code running_updates_limit} or longer. */
    private List<String> runningUpdates(Survivor orig) {
        long limit = settings.runningUpdatesLimit().toSeconds();
        List<Row> rows = orig.connection()
                .query(SqlStatement.of(
                        "SELECT ID, USER, TIME, INFO FROM information_schema.PROCESSLIST WHERE COMMAND = 'Query'"
                                + " AND ID <> CONNECTION_ID() AND TIME >= " + limit
                                + " AND INFO IS NOT NULL AND UPPER(LTRIM(INFO)) NOT LIKE 'SELECT%'"));
        return rows.stream()
                .map(r -> orig.name() + ": an update has run for " + r.text("TIME") + " s (>= " + limit
                        + " s, --running_updates_limit): id " + r.text("ID") + " user " + r.text("USER"))
                .toList();
    }

    private GtidSet blockWrites(Survivor orig) {
        ServerConnection c = orig.connection();
        c.execute(c.dialect().enableReadOnly());
        // read_only does not stop sessions with SUPER / READ_ONLY ADMIN; the global read lock does.
        c.execute(SqlStatement.of("FLUSH TABLES WITH READ LOCK"));
        GtidSet last = c.readState().gtid().executed();
        log.info("{}: writes blocked (read_only=1, global read lock); it has {}", orig.name(), last);
        return last;
    }

    private static void unblockWrites(Survivor orig) {
        ServerConnection c = orig.connection();
        c.execute(SqlStatement.of("UNLOCK TABLES"));
        c.execute(c.dialect().disableReadOnly());
        log.warn("{}: writable again: the switch was abandoned", orig.name());
    }

    private List<ReplicaOutcome> rewire(List<Survivor> all, Survivor orig, Survivor next) {
        ReplicationSource source = setup.sourceOf(next.config(), all);
        GtidSet target = next.connection().readState().gtid().executed();
        List<CompletableFuture<ReplicaOutcome>> jobs = new ArrayList<>();
        for (Survivor s : all) {
            if (s == next || s == orig) {
                continue;
            }
            jobs.add(
                    CompletableFuture.supplyAsync(() -> follow(s, source, target, GtidStart.REPLICATED), setup.pool()));
        }
        List<ReplicaOutcome> outcomes =
                new ArrayList<>(jobs.stream().map(CompletableFuture::join).toList());
        ServerConnection o = orig.connection();
        o.execute(SqlStatement.of("UNLOCK TABLES"));
        if (settings.origMasterIsNewSlave()) {
            outcomes.add(follow(orig, source, target, GtidStart.EVERYTHING_EXECUTED));
        } else {
            log.info("{}: left read-only and without replication (no --orig_master_is_new_slave)", orig.name());
        }
        return outcomes;
    }

    private ReplicaOutcome follow(Survivor s, ReplicationSource source, GtidSet target, GtidStart start) {
        try {
            setup.follow(s.connection(), source, start);
            ReplicaProgress.awaitExecuted(setup.time(), s, target, setup.applyTimeout(), "execute " + target);
            return new ReplicaOutcome(
                    s.name(),
                    s.config().hostname(),
                    true,
                    "Slave started, replicating from " + source.host() + ":" + source.port());
        } catch (RuntimeException e) {
            log.error("{}: not rewired: {}", s.name(), e.getMessage());
            return new ReplicaOutcome(s.name(), s.config().hostname(), false, e.getMessage());
        }
    }

    private void script(String command, ServerConfig orig, ServerConfig next) {
        Optional<String> line = setup.config().get(Parameter.MASTER_IP_ONLINE_CHANGE_SCRIPT);
        if (line.isEmpty()) {
            return;
        }
        MhaScript script = new MhaScript(Parameter.MASTER_IP_ONLINE_CHANGE_SCRIPT, line.get());
        RemoteCommand c =
                script.command(MhaHookArguments.onlineChange(command, orig, next, settings.origMasterIsNewSlave()));
        CommandResult r = LocalShell.INSTANCE.run(c, SCRIPT_TIMEOUT);
        if (!r.succeeded()) {
            throw new Mha4jException("master_ip_online_change_script --command=" + command + " exited " + r.exitCode()
                    + (r.firstErrorLine().isEmpty() ? "" : ": " + r.firstErrorLine()) + " (" + c + ")");
        }
    }

    private <T> T step(String name, Supplier<T> body) {
        return steps.time(name, body, r -> "ok");
    }
}
