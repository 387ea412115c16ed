package io.mha4j.internal.guard;

import io.mha4j.config.ServerConfig;
import io.mha4j.guard.GuardAction;
import io.mha4j.guard.GuardEvent;
import io.mha4j.guard.GuardEvent.Kind;
import io.mha4j.guard.GuardedRole;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.ServerState;
import io.mha4j.server.SqlFailure;
import io.mha4j.time.Cancellable;
import io.mha4j.time.Scheduler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards one server on a {@link Scheduler}: probes it while it is away, and the moment it
 * answers SQL and is not a read-only replica of the current master, fences it before anything
 * else (unless a hook vetoes or fences it itself), then decides (on the {@code decisions}
 * executor, since a rejoin or saving transactions may take a while): rejoin, or park. While it
 * answers, it is read every ping interval: a human's rejoin is noticed, a server made writable
 * again is fenced again, a rejoin that fails is parked. One connection is one "life": when it
 * breaks, the next answer is a return and is fenced again.
 */
final class Watch {
    private static final Logger log = LoggerFactory.getLogger(Watch.class);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private enum Phase {
        AWAY,
        UNDECIDED,
        REJOINING,
        PARKED,
        LEFT_ALONE,
        DONE
    }

    /** What a watch works with; shared by the watches of one guard. */
    record Tools(
            ServerAccess access,
            Scheduler scheduler,
            Executor decisions,
            Supplier<ServerConfig> master,
            GuardHooks hooks,
            Consumer<GuardEvent> sink,
            WatchSettings settings) {}

    private final ServerConfig server;
    private final GuardedRole role;
    private final Tools t;
    private final Clock clock;
    private final String name;
    private final Map<String, Path> saved = new HashMap<>();
    private volatile Phase phase = Phase.AWAY;
    private volatile boolean busy;
    private volatile boolean closed;
    private volatile boolean ticking;
    private volatile ServerAccess.Link link;
    private Cancellable next;
    private String decidedAgainst = "";
    private Instant rejoinSince;
    /** A hook fenced this life of the server its own way: its read_only is the hook's business. */
    private boolean fencedByHook;

    Watch(ServerConfig server, GuardedRole role, Tools tools) {
        this.server = server;
        this.role = role;
        this.t = tools;
        this.clock = tools.scheduler().clock();
        this.name = server.displayName();
    }

    ServerConfig server() {
        return server;
    }

    GuardedRole role() {
        return role;
    }

    /** Whether the watch ended: the server replicates from the master. */
    boolean isDone() {
        return phase == Phase.DONE;
    }

    void start() {
        log.info(
                "{}: guarded ({}): probing every {} ms, every {} ms while its connection is refused",
                name,
                role == GuardedRole.OLD_MASTER ? "the old master" : "a replica the failover could not recover",
                t.settings().pingInterval().toMillis(),
                t.settings().refusedInterval().toMillis());
        schedule(Duration.ZERO);
    }

    /**
     * Stops watching. A connection in use (a read waiting on the server, a decision) is closed by
     * its user when it returns: closing it from here would wait for the driver's lock anyway.
     */
    synchronized void close() {
        closed = true;
        if (next != null) {
            next.cancel();
        }
        if (!busy && !ticking) {
            dropLink();
        }
    }

    private synchronized void schedule(Duration delay) {
        if (!closed && phase != Phase.DONE) {
            next = t.scheduler().schedule(this::tick, delay);
        }
    }

    private void tick() {
        if (closed || phase == Phase.DONE) {
            return;
        }
        ticking = true;
        Duration delay = t.settings().pingInterval();
        try {
            if (busy) {
                // A decision uses the connection; look again soon (it may end because the server went away).
                delay = t.settings().refusedInterval();
            } else if (link == null) {
                delay = probe();
            } else {
                delay = readAndHold();
            }
        } catch (RuntimeException e) {
            log.info(
                    "{}: lost its connection ({}); probing again",
                    name,
                    e instanceof SqlFailure f ? f.kind() : e.toString());
            dropLink();
            delay = Duration.ZERO;
        } finally {
            ticking = false;
            if (closed && !busy) {
                dropLink();
            }
            schedule(delay);
        }
    }

    /**
     * Reads the server, then waits on its connection for the rest of the ping interval: a
     * restart (the connection breaks) is noticed at once and the next answer is probed within
     * 20 ms, instead of at the next read up to a ping interval later.
     */
    private Duration readAndHold() {
        Instant start = clock.instant();
        check(link.read());
        ServerAccess.Link l = link;
        Duration rest = t.settings().pingInterval().minus(Duration.between(start, clock.instant()));
        if (l != null && !busy && phase != Phase.DONE && !rest.isNegative() && !rest.isZero()) {
            l.hold(rest);
        }
        Duration left = t.settings().pingInterval().minus(Duration.between(start, clock.instant()));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** One connection attempt; on an answer the server has returned. */
    private Duration probe() {
        try {
            link = t.access().open(server);
        } catch (SqlFailure e) {
            log.debug("{}: probe failed ({}): {}", name, e.kind(), e.getMessage());
            // Refused, or cut off at once (a server going down or coming up): probing again costs nothing.
            // No answer in time, or a refused login: a ping interval.
            return e.kind() == SqlFailure.Kind.TIMEOUT || e.kind() == SqlFailure.Kind.ACCESS_DENIED
                    ? t.settings().pingInterval()
                    : t.settings().refusedInterval();
        }
        Instant answered = clock.instant();
        log.info("{}: answers SQL again", name);
        returned(answered, link.read());
        // Straight on to reading and waiting on the connection, so that the next restart is seen at once;
        // after a failed fence (the connection was dropped) the next attempt waits a ping interval.
        return link != null ? Duration.ZERO : t.settings().pingInterval();
    }

    /** It answered (or was made writable again): fence it first, then decide. */
    private void returned(Instant answered, ServerState state) {
        ServerConfig master = t.master().get();
        if (GuardDecision.replicatesFrom(state, master, Optional.empty())) {
            rejoined("it replicates from " + master.displayName() + ", read-only: nothing to fence", master);
            return;
        }
        GuardHooks.Answer answer = t.hooks().returned(server, master);
        if (answer.action() == GuardAction.VETO) {
            phase = Phase.LEFT_ALONE;
            log.error(
                    "{}: answered again and is {}; hook {} VETOED fencing it: mha4j leaves it alone",
                    name,
                    state.isWritable() ? "WRITABLE" : "read-only",
                    answer.hook());
            emit(GuardEvent.of(
                    Kind.LEFT_ALONE,
                    server,
                    role,
                    master.displayName(),
                    clock.instant(),
                    "hook " + answer.hook() + " vetoed fencing; it is "
                            + (state.isWritable() ? "writable" : "read-only")));
            return;
        }
        if (answer.action() == GuardAction.FENCED_BY_HOOK) {
            fencedByHook = true;
            log.warn("{}: answered again; hook {} fenced it its own way", name, answer.hook());
            emit(GuardEvent.of(
                    Kind.FENCED_BY_HOOK,
                    server,
                    role,
                    master.displayName(),
                    clock.instant(),
                    "fenced by hook " + answer.hook()));
        } else if (!fence(answered, master)) {
            return;
        }
        phase = Phase.UNDECIDED;
        decide();
    }

    private boolean fence(Instant answered, ServerConfig master) {
        try {
            Fence.Result r = link.fence();
            Duration window = Duration.between(answered, r.readOnlyAt());
            log.warn(
                    "{}: answered again and was not a replica of {}: fenced ({}); refusing writes {} ms after its"
                            + " first answer, done in {} ms",
                    name,
                    master.displayName(),
                    String.join(", ", r.actions()),
                    window.toMillis(),
                    Duration.between(answered, clock.instant()).toMillis());
            emit(new GuardEvent(
                    Kind.FENCED,
                    server,
                    role,
                    master.displayName(),
                    clock.instant(),
                    "fenced: "
                            + String.join(", ", r.actions()) + "; refusing writes " + window.toMillis()
                            + " ms after it answered",
                    r.actions(),
                    Optional.of(window),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty()));
            return true;
        } catch (RuntimeException e) {
            log.error(
                    "{}: answered again but fencing it FAILED: {}; trying again at its next answer",
                    name,
                    e.getMessage());
            emit(GuardEvent.of(
                    Kind.FENCE_FAILED,
                    server,
                    role,
                    master.displayName(),
                    clock.instant(),
                    "fencing failed: " + e.getMessage()));
            dropLink();
            return false;
        }
    }

    /** Reads of a server that answers: a human's rejoin, a server made writable again, a rejoin's progress. */
    private void check(ServerState state) {
        ServerConfig master = t.master().get();
        if (GuardDecision.replicatesFrom(state, master, Optional.empty())) {
            rejoined(
                    phase == Phase.REJOINING
                            ? "rejoined: it replicates from " + master.displayName()
                            : "it replicates from " + master.displayName() + " now (rejoined by someone else)",
                    master);
            return;
        }
        if (phase == Phase.LEFT_ALONE) {
            return;
        }
        if (state.isWritable() && !fencedByHook) {
            log.warn("{}: WRITABLE again while guarded; fencing it again", name);
            returned(clock.instant(), state);
            return;
        }
        if (phase == Phase.REJOINING) {
            Optional<String> failed = state.replica().flatMap(Watch::replicationError);
            boolean late = Duration.between(rejoinSince, clock.instant())
                            .compareTo(t.settings().rejoinTimeout())
                    > 0;
            if (failed.isPresent() || late) {
                park(
                        master,
                        "the rejoin did not work ("
                                + failed.orElse("not replicating after "
                                        + t.settings().rejoinTimeout().toSeconds() + " s")
                                + "); it stays read-only",
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty());
            }
            return;
        }
        if (phase == Phase.UNDECIDED || !decidedAgainst.equals(master.block())) {
            decide();
        }
    }

    private static Optional<String> replicationError(ReplicaStatus r) {
        if (r.ioThread() == ReplicaStatus.IoThread.STOPPED && r.lastIoError().isPresent()) {
            return Optional.of("IO error " + r.lastIoError());
        }
        return !r.sqlThreadRunning() && r.lastSqlError().isPresent()
                ? Optional.of("SQL error " + r.lastSqlError())
                : Optional.empty();
    }

    /** Rejoin or park, off the scheduler's thread. */
    private void decide() {
        busy = true;
        try {
            t.decisions().execute(() -> {
                try {
                    decideNow();
                } catch (RuntimeException e) {
                    phase = Phase.UNDECIDED;
                    log.warn(
                            "{}: fenced; cannot decide about it yet ({}); trying again in {} ms",
                            name,
                            e.getMessage(),
                            t.settings().pingInterval().toMillis());
                } finally {
                    busy = false;
                    if (closed) {
                        dropLink();
                    }
                }
            });
        } catch (RuntimeException e) {
            busy = false;
            throw e;
        }
    }

    private void decideNow() {
        ServerConfig master = t.master().get();
        ServerState masterState = t.access().readMaster(master);
        ServerState state = link.read();
        GuardDecision d = GuardDecision.decide(role, t.settings().rejoinOldMaster(), state, master, masterState);
        decidedAgainst = master.block();
        switch (d.verdict()) {
            case REPLICATING -> rejoined(d.reason(), master);
            case REJOIN -> {
                log.info("{}: rejoining it to {}: {}", name, master.displayName(), d.reason());
                link.rejoin(role, master, state);
                rejoinSince = clock.instant();
                phase = Phase.REJOINING;
            }
            case PARK_SAFE -> {
                String statement = link.rejoinStatement(master, state);
                park(
                        master,
                        d.reason() + ". To rejoin it, run on it: " + statement,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(statement));
            }
            case PARK_BROKEN ->
                park(
                        master,
                        d.reason() + "; then rejoin it with: " + link.rejoinStatement(master, state),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty());
            case PARK_ERRANT -> {
                Path file = saved.computeIfAbsent(d.errant().toString(), k -> save(masterState));
                String statement = link.rejoinStatement(master, state);
                park(
                        master,
                        "it holds " + d.errant().count() + " transaction(s) that " + master.displayName()
                                + " lacks: " + d.errant() + ", saved in " + file
                                + ". It stays read-only and is never rejoined"
                                + " while it holds them. A human decides: apply them to " + master.displayName()
                                + " (the file is SQL for its client) or discard them (rebuild it from "
                                + master.displayName()
                                + "), then rejoin it with: " + statement,
                        Optional.of(d.errant().toString()),
                        Optional.of(file),
                        Optional.of(statement));
            }
        }
    }

    private Path save(ServerState masterState) {
        Path file = t.settings()
                .workdir()
                .resolve("errant_transactions_of_" + server.hostname() + "_" + server.port() + "_"
                        + STAMP.format(clock.instant()) + ".sql");
        link.saveTransactions(masterState.gtid().executed(), file);
        return file;
    }

    private void park(
            ServerConfig master,
            String detail,
            Optional<String> errant,
            Optional<Path> file,
            Optional<String> statement) {
        phase = Phase.PARKED;
        log.warn("{}: PARKED: {}", name, detail);
        emit(new GuardEvent(
                Kind.PARKED,
                server,
                role,
                master.displayName(),
                clock.instant(),
                detail,
                List.of(),
                Optional.empty(),
                errant,
                file,
                statement));
    }

    private void rejoined(String detail, ServerConfig master) {
        phase = Phase.DONE;
        log.info("{}: REJOINED: {}; no longer guarded", name, detail);
        emit(GuardEvent.of(Kind.REJOINED, server, role, master.displayName(), clock.instant(), detail));
        dropLink();
    }

    private void emit(GuardEvent e) {
        try {
            t.sink().accept(e);
        } catch (RuntimeException ex) {
            log.warn("{}: a guard listener failed on {} (ignored): {}", name, e.kind(), ex.toString());
        }
    }

    private synchronized void dropLink() {
        ServerAccess.Link l = link;
        link = null;
        fencedByHook = false;
        if (l != null) {
            l.close();
        }
    }
}
