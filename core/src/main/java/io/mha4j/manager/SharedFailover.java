package io.mha4j.manager;

import io.mha4j.FailoverHook;
import io.mha4j.Mha4jException;
import io.mha4j.check.FindingKind;
import io.mha4j.check.ReplicationHealth;
import io.mha4j.check.Topology;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.coordination.Coordination;
import io.mha4j.coordination.FailoverRecord;
import io.mha4j.coordination.ManagerView;
import io.mha4j.failover.FailoverContext;
import io.mha4j.failover.FailoverGuard;
import io.mha4j.failover.FailoverPhase;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.FailoverVetoException;
import io.mha4j.monitor.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's rules for a failover when it shares its application with other managers
 * ({@code coordination}): the other managers must agree that the master is down unless its death is
 * conclusive; the failover is recorded for all of them before each change, fenced by the lead; the
 * anti-flap rule reads that shared record too; and an unfinished failover another manager left is
 * settled from what the servers say, never by a second failover on top of it. With {@code
 * coordination=local} every rule passes at once: one manager, no shared record.
 */
final class SharedFailover {
    private static final Logger log = LoggerFactory.getLogger(SharedFailover.class);
    /** How often a wait on the other managers looks again. */
    static final Duration POLL = Duration.ofMillis(200);
    /** How long a manager cut off from the others waits for its connection before it monitors again. */
    static final Duration CUT_OFF_WAIT = Duration.ofSeconds(10);
    /** How long a standby waits for the leader's failover of a master it saw die before it checks again. */
    static final Duration LEADER_WAIT = Duration.ofSeconds(30);
    /** How the note of a manager cut off from the others begins. */
    static final String CUT_OFF = "cut off from the other managers: ";

    /** What the manager does after a dead-master verdict. */
    enum Next {
        /** Fail the master over: this manager leads, nothing unfinished, the others agree. */
        FAIL_OVER,
        /** Nothing changed: monitor the same topology again. */
        MONITOR_AGAIN,
        /** The topology may have changed (the leader's failover, an unfinished one, this manager's lead): check. */
        CHECK_AGAIN
    }

    /** Waits up to a while for a stop or {@code wake}; true when the manager was asked to stop. */
    @FunctionalInterface
    interface Waits {
        boolean stopWithin(Duration d, CompletableFuture<?> wake);
    }

    private final ApplicationConfig config;
    private final Coordination coordination;
    private final Clock clock;
    private final Consumer<ManagerEvent> events;
    private final Waits waits;
    /** Whether the running failover's hook stopped it because this manager lost the lead. */
    private volatile boolean vetoedForLostLead;
    /** How long the leader waits for the other managers' monitors to see the master down too. */
    private final Duration voteWait;
    /** How old a manager's last published ping may be for its view to count. */
    private final Duration staleView;

    SharedFailover(
            ApplicationConfig config,
            Coordination coordination,
            Clock clock,
            Consumer<ManagerEvent> events,
            Waits waits) {
        this.config = config;
        this.coordination = coordination;
        this.clock = clock;
        this.events = events;
        this.waits = waits;
        // The others run the same monitor on the same interval: two pings and a margin bring their view.
        this.voteWait = Duration.ofSeconds(config.value(Parameter.PING_INTERVAL))
                .multipliedBy(2)
                .plusSeconds(1);
        Duration fivePings =
                Duration.ofSeconds(config.value(Parameter.PING_INTERVAL)).multipliedBy(5);
        this.staleView = fivePings.compareTo(Duration.ofSeconds(30)) > 0 ? fivePings : Duration.ofSeconds(30);
    }

    /**
     * Why the other managers do not let this one fail {@code verdict}'s master over, or empty when
     * they do: a majority of the managers taking part (this one included) must see it down, unless
     * the death is conclusive ({@link io.mha4j.monitor.Evidence#refusedAndConfirmed()}). A manager
     * whose last published ping is older than 30 s (or five pings) is not counted; a manager cut off
     * from the others counts nothing and refuses. Waits up to two pings for their monitors.
     */
    Optional<String> disagreement(Verdict verdict) {
        if (!coordination.connected()) {
            // the views of a manager cut off are none: no majority can be counted
            return Optional.of("this manager is cut off from the other managers");
        }
        if (verdict.evidence().refusedAndConfirmed()) {
            return Optional.empty();
        }
        String block = verdict.server().block();
        Instant deadline = clock.instant().plus(voteWait);
        while (true) {
            Instant now = clock.instant();
            List<ManagerView> others = coordination.views().stream()
                    .filter(v -> !v.manager().equals(coordination.id()))
                    // a manager whose monitor stopped publishing is no vantage point (hosts' clocks differ: generous)
                    .filter(v -> Duration.between(v.lastPing(), now).compareTo(staleView) < 0)
                    .toList();
            long agree = 1 + others.stream().filter(v -> v.seesDown(block)).count();
            int managers = others.size() + 1;
            if (agree * 2 > managers) {
                if (!others.isEmpty()) {
                    log.info(
                            "{} of {} managers see master {} down: a majority; failing over",
                            agree,
                            managers,
                            verdict.master());
                }
                return Optional.empty();
            }
            if (!clock.instant().isBefore(deadline) || waits.stopWithin(POLL, new CompletableFuture<>())) {
                return Optional.of("only " + agree + " of " + managers + " managers see master " + verdict.master()
                        + " down ("
                        + String.join(
                                "; ", others.stream().map(ManagerView::describe).toList())
                        + "): not failing over a master other managers still reach");
            }
        }
    }

    /**
     * What to do about a dead master: cut off from the other managers, alert and monitor again
     * (nobody may fail over); standing by, wait for the leader's failover — or for the lead, and then
     * check the servers again, which finds the master dead if it died while the leader went; leading,
     * settle an unfinished failover first, then ask the others to agree.
     *
     * @param master the dead master, as configured
     */
    Next decide(Verdict dead, ServerConfig master, MonitoringNote note) {
        if (!coordination.connected()) {
            String why = "this manager is cut off from the other managers (" + coordination.describe()
                    + "): nobody may fail over while it is; monitoring and alerting go on";
            log.error("Master {} is dead ({}), and NOT failed over: {}", dead.master(), dead.reason(), why);
            note.write(
                    "monitors master " + dead.master(),
                    List.of(CUT_OFF + "master " + dead.master() + " is dead and not failed over (" + dead.reason()
                            + ")"));
            events.accept(new ManagerEvent.FailoverWithheld(
                    clock.instant(), master, ManagerEvent.FailoverWithheld.Reason.CUT_OFF, why));
            Instant until = clock.instant().plus(CUT_OFF_WAIT);
            while (!coordination.connected()
                    && clock.instant().isBefore(until)
                    && !waits.stopWithin(Duration.ofSeconds(1), new CompletableFuture<>())) {
                // waits for the connection, a while, or a stop
            }
            return Next.MONITOR_AGAIN;
        }
        if (!coordination.isLeader()) {
            String why = "this manager stands by; the leader decides (" + coordination.describe() + ")";
            log.warn("Master {} is dead ({}); {}", dead.master(), dead.reason(), why);
            events.accept(new ManagerEvent.FailoverWithheld(
                    clock.instant(), master, ManagerEvent.FailoverWithheld.Reason.STANDING_BY, why));
            long epoch = epoch();
            Instant until = clock.instant().plus(LEADER_WAIT);
            while (!coordination.isLeader()
                    && epoch() == epoch
                    && clock.instant().isBefore(until)
                    && !waits.stopWithin(Duration.ofSeconds(1), coordination.leading())) {
                // waits for the leader's failover to begin, the lead, a while, or a stop
            }
            return Next.CHECK_AGAIN;
        }
        Optional<FailoverRecord> left = unfinished();
        if (left.isPresent()) {
            log.warn(
                    "Master {} is dead, and an unfinished {} comes first",
                    dead.master(),
                    left.get().describe());
            return Next.CHECK_AGAIN;
        }
        Optional<String> disagreement = disagreement(dead);
        if (disagreement.isPresent()) {
            log.warn("Master {} is dead for this manager, but {}", dead.master(), disagreement.get());
            events.accept(new ManagerEvent.FailoverWithheld(
                    clock.instant(), master, ManagerEvent.FailoverWithheld.Reason.DISAGREEMENT, disagreement.get()));
            return Next.MONITOR_AGAIN;
        }
        return Next.FAIL_OVER;
    }

    /**
     * A master that died while no manager led (the leader went with it, or stopped mid-failover): the
     * check fails only on that master, dead, and it is the master the last leader was watching when
     * it went (a leader that stops cleanly says so: after planned maintenance a manager does not fail
     * over a master stopped on purpose). A lone manager refuses to start then (MHA's rule: a human
     * fails over); the leader of several monitors it, so that its own verdict — and the others' votes
     * — decide the failover.
     */
    Optional<Topology> diedWhileNobodyLed(ReplicationHealth health, boolean leading) {
        Optional<Topology> t = health.topology();
        if (!coordination.shared()
                || !leading
                || t.isEmpty()
                || t.get().masterState().isPresent()) {
            return Optional.empty();
        }
        String master = t.get().master().block();
        boolean onlyTheMaster = health.errors().stream()
                .allMatch(f -> f.kind() == FindingKind.MASTER_UNREACHABLE
                        || (f.kind() == FindingKind.IO_THREAD_NOT_RUNNING
                                && !f.server().equals(Optional.of(master))));
        if (!onlyTheMaster || !coordination.lastWatched().equals(Optional.of(master))) {
            return Optional.empty();
        }
        log.warn(
                "Master {} is not alive and nothing else is wrong: it died while watched and no manager led {};"
                        + " this manager leads now and monitors it, to confirm its death and fail it over",
                t.get().master().displayName(),
                config.name());
        return t;
    }

    /** Which failover the shared record is at (0 before the first). */
    long epoch() {
        return coordination.lastFailover().map(FailoverRecord::epoch).orElse(0L);
    }

    /** What check_status adds about the managers: this one's role, then each manager's view. */
    List<String> roles() {
        if (!coordination.shared()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        lines.add(
                coordination.isLeader()
                        ? "this manager leads (" + coordination.describe() + ")"
                        : MonitoringNote.STANDING_BY + "another manager leads (" + coordination.describe() + ")");
        coordination.views().forEach(v -> lines.add("manager " + v.describe()));
        return lines;
    }

    /** The last failover's record when it was left unfinished and no human acknowledged it. */
    Optional<FailoverRecord> unfinished() {
        return coordination
                .lastFailover()
                .filter(FailoverRecord::unfinished)
                .filter(r -> r.acknowledged().isEmpty());
    }

    /**
     * Settles an unfinished failover another manager left ({@code record}) from what the servers say
     * now ({@code found}, the start-up check's topology, whose master {@code serves} or was found
     * dead): a serving master ends the record — completed
     * when it is a new one, abandoned when it is the old one — and monitoring goes on; a master still
     * dead, with nothing changed on the survivors yet (the record stopped before {@link
     * FailoverPhase#RECOVER_NEW_MASTER}), supersedes it: this manager monitors the dead master and
     * fails it over itself. Anything else is the refusal to go on, saying what a human must do.
     */
    Optional<String> settle(FailoverRecord record, Optional<Topology> found, boolean serves, String firstError) {
        Instant now = clock.instant();
        Optional<Topology> serving = found.filter(t -> serves);
        boolean untouched = record.phase().orElse(FailoverPhase.CHECK).compareTo(FailoverPhase.RECOVER_NEW_MASTER) < 0;
        FailoverRecord ended;
        if (serving.isPresent()) {
            String master = serving.get().master().block();
            boolean oldMaster = master.equals(record.deadMaster());
            ended = record.ended(
                    oldMaster ? FailoverRecord.State.ABANDONED : FailoverRecord.State.COMPLETED_BY_SUCCESSOR,
                    oldMaster ? Optional.empty() : Optional.of(master),
                    now);
            if (oldMaster && record.phase().isPresent()) {
                log.warn(
                        "{} serves again after an unfinished failover reached {}: its isolation may have been"
                                + " undone; check its virtual IP and fencing",
                        master,
                        record.phase().get().title());
            }
        } else if (found.isPresent() && found.get().master().block().equals(record.deadMaster()) && untouched) {
            ended = record.ended(FailoverRecord.State.SUPERSEDED, Optional.empty(), now);
        } else {
            return Optional.of("An unfinished " + record.describe() + " (its manager no longer leads), and the servers"
                    + " do not form one topology now (" + firstError + "). Not starting a second failover on top of"
                    + " it. A human must finish it: " + humanStep(record) + "; then run acknowledge_failover --conf=<"
                    + config.name() + "'s file> --reason=… and start the managers again.");
        }
        if (coordination.record(ended)) {
            log.warn("An unfinished {}: the servers show it {}; recorded", record.describe(), ended.state());
        }
        return Optional.empty();
    }

    private String humanStep(FailoverRecord r) {
        Optional<ServerConfig> dead = config.server(r.deadMaster());
        String deadAt = dead.map(s -> s.hostname() + ":" + s.port()).orElse(r.deadMaster());
        FailoverPhase reached = r.phase().orElse(FailoverPhase.CHECK);
        if (reached.compareTo(FailoverPhase.RECOVER_NEW_MASTER) < 0) {
            return "nothing was changed on the surviving servers: fail over the dead master " + deadAt
                    + " by hand (mha4j master_switch --master_state=dead --dead_master_host=" + deadAt.split(":")[0]
                    + ") or start it again";
        }
        String next = r.newMaster().orElse("the elected master");
        if (reached == FailoverPhase.RECOVER_NEW_MASTER) {
            return next + " was being given the dead master's last transactions: check that it has every"
                    + " transaction the replicas have (gtid_current_pos), then point the replicas at it";
        }
        return next + " is the new master: point every replica that does not replicate from it yet at it"
                + " (CHANGE MASTER TO MASTER_HOST=…, MASTER_USE_GTID=slave_pos; START SLAVE)";
    }

    /**
     * The shared side of the anti-flap rule, for whichever manager leads: the last failover recorded
     * by any manager failed, or promoted a master within {@code last_failover_minute} — unless a human
     * acknowledged it; {@code --ignore_last_failover} acknowledges it.
     */
    Optional<FailoverGuard.Block> antiFlap(
            ManagerOptions options, Optional<String> waiver, FailoverGuard files, FailoverGuard.Wording wording) {
        Instant now = clock.instant();
        Optional<FailoverRecord> last =
                coordination.lastFailover().filter(r -> r.acknowledged().isEmpty());
        if (last.isEmpty()) {
            return Optional.empty();
        }
        if (options.ignoreLastFailover()) {
            try {
                coordination.acknowledge(
                        new FailoverRecord.Acknowledgement(now, coordination.id(), "--ignore_last_failover"));
                return Optional.empty();
            } catch (Mha4jException e) {
                // not acknowledged (a failover still running, ZooKeeper not reached…): the rule holds
                return Optional.of(new FailoverGuard.Block(
                        FailoverGuard.Block.Kind.LAST_FAILOVER_FAILED,
                        files.errorFile(),
                        Optional.of(last.get().updated()),
                        "--ignore_last_failover could not acknowledge the managers' shared record: " + e.getMessage()));
            }
        }
        FailoverRecord r = last.get();
        String where = "the managers' shared record (" + r.describe() + ")";
        if (r.state() == FailoverRecord.State.FAILED) {
            return Optional.of(new FailoverGuard.Block(
                    FailoverGuard.Block.Kind.LAST_FAILOVER_FAILED,
                    files.errorFile(),
                    Optional.of(r.updated()),
                    "The last failover failed, says " + where + ". Check the logs of " + r.manager()
                            + ", fix the problems, and " + wording.howToAcknowledge() + "."));
        }
        boolean recent =
                r.state().promoted() && Duration.between(r.updated(), now).compareTo(options.lastFailoverMinute()) < 0;
        if (recent && waiver.isPresent()) {
            log.warn("The last failover was recent, says {}; the anti-flap rule is waived: {}", where, waiver.get());
            return Optional.empty();
        }
        if (recent) {
            return Optional.of(new FailoverGuard.Block(
                    FailoverGuard.Block.Kind.TOO_EARLY,
                    files.completeFile(),
                    Optional.of(r.updated()),
                    "Last failover was done at " + r.updated() + ", says " + where
                            + ". Current time is too early to do failover again: " + wording.howToAcknowledge()
                            + ", or " + wording.option("use --ignore_last_failover", "ignoreLastFailover(true)")
                            + "."));
        }
        return Optional.empty();
    }

    /** The record of a failover of {@code dead} that begins now; empty when this manager may not write it (fenced). */
    Optional<AtomicReference<FailoverRecord>> begin(ServerConfig dead) {
        vetoedForLostLead = false;
        FailoverRecord begun =
                FailoverRecord.begin(coordination.lastFailover(), coordination.id(), dead.block(), clock.instant());
        return coordination.record(begun) ? Optional.of(new AtomicReference<>(begun)) : Optional.empty();
    }

    /**
     * A hook that writes the record before each phase, and stops the failover there when this
     * manager no longer leads or the record cannot be written, and again before the new master is
     * made writable: a manager cut off stops before its next change.
     */
    FailoverHook recording(AtomicReference<FailoverRecord> record) {
        return new FailoverHook() {
            @Override
            public String name() {
                return "coordination";
            }

            @Override
            public void beforePhase(FailoverPhase phase, FailoverContext context) {
                FailoverRecord next =
                        record.get().at(phase, context.newMaster().map(ServerConfig::block), clock.instant());
                if (!coordination.isLeader() || !coordination.record(next)) {
                    vetoedForLostLead = true;
                    throw new FailoverVetoException(
                            name(),
                            "this manager no longer leads " + config.name() + " (" + coordination.describe()
                                    + "): stopping before " + phase.title() + "; the manager that leads now decides");
                }
                record.set(next);
            }

            /** Each replica pointed at the new master is a change: a manager that lost the lead stops before it. */
            @Override
            public void beforeRewire(FailoverContext context, ServerConfig replica) {
                if (!coordination.isLeader()) {
                    vetoedForLostLead = true;
                    throw new FailoverVetoException(
                            name(),
                            "this manager no longer leads " + config.name() + " (" + coordination.describe()
                                    + "): not rewiring " + replica.displayName()
                                    + "; the manager that leads now decides");
                }
            }

            /** The last change before the new master takes writes: a manager that lost the lead stops short of it. */
            @Override
            public void activate(FailoverContext context) {
                if (!coordination.isLeader()) {
                    vetoedForLostLead = true;
                    throw new FailoverVetoException(
                            name(),
                            "this manager no longer leads " + config.name() + " (" + coordination.describe()
                                    + "): not making "
                                    + context.requireNewMaster().displayName()
                                    + " writable; the manager that leads now decides");
                }
            }
        };
    }

    /**
     * Whether the running failover was stopped because this manager lost the lead (even if it leads
     * again now): not its failure to flag; the record stays as the last phase left it, for the settle.
     */
    boolean lostLead() {
        return vetoedForLostLead || !coordination.isLeader();
    }

    /**
     * Records how the failover ended ({@code report}, empty when it threw; {@code elected} the new
     * master's block); a manager that lost the lead leaves it to the next (it finds it unfinished).
     */
    void end(AtomicReference<FailoverRecord> record, Optional<FailoverReport> report, Optional<String> elected) {
        FailoverRecord.State state = report.map(r -> switch (r.outcome()) {
                    case SUCCEEDED -> FailoverRecord.State.SUCCEEDED;
                    case PARTIAL -> FailoverRecord.State.PARTIAL;
                    case REFUSED -> FailoverRecord.State.REFUSED;
                    case FAILED -> FailoverRecord.State.FAILED;
                })
                .orElse(FailoverRecord.State.FAILED);
        FailoverRecord ended = record.get().ended(state, elected, clock.instant());
        if (!coordination.record(ended)) {
            log.warn(
                    "Could not record the end of {} (this manager no longer leads): the manager that leads next"
                            + " finds it unfinished and checks the servers",
                    ended.describe());
        }
    }
}
