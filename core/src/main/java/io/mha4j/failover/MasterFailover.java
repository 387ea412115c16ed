package io.mha4j.failover;

import io.mha4j.DataCompensator;
import io.mha4j.FailoverHook;
import io.mha4j.MasterElector;
import io.mha4j.TopologyRewirer;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.gtid.GtidSet;
import io.mha4j.internal.concurrent.NamedDaemonThreads;
import io.mha4j.internal.failover.Cleanup;
import io.mha4j.internal.failover.ClusterRead;
import io.mha4j.internal.failover.Connector;
import io.mha4j.internal.failover.DeadMasterIsolation;
import io.mha4j.internal.failover.ErrantTransactions;
import io.mha4j.internal.failover.FailoverCheck;
import io.mha4j.internal.failover.FailoverRefusal;
import io.mha4j.internal.failover.FailoverRoles;
import io.mha4j.internal.failover.FailoverSetup;
import io.mha4j.internal.failover.HookChain;
import io.mha4j.internal.failover.MhaScriptHook;
import io.mha4j.internal.failover.NewMasterRecovery;
import io.mha4j.internal.failover.NewMasterRecovery.Promotion;
import io.mha4j.internal.failover.NoCompensation;
import io.mha4j.internal.failover.ReplicaRecovery;
import io.mha4j.internal.failover.Survivor;
import io.mha4j.internal.plugin.Plugins;
import io.mha4j.remote.RemoteShell;
import io.mha4j.remote.RemoteShells;
import io.mha4j.time.Scheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failover of a dead master, in MHA's phases:
 * <ol>
 *   <li><b>Check</b> — read every server once; refuse, changing nothing, when the master
 *       answers, another server is writable, no server may become master, or the anti-flap rule
 *       holds ({@code <app>.failover.complete} younger than {@code last_failover_minute});</li>
 *   <li><b>Isolate</b> — stop the replicas' IO threads, fence the dead master through the hooks
 *       (VIP away, {@code shutdown_script}), make it read-only should it answer;</li>
 *   <li><b>Recover the new master</b> — let every replica apply its relay log, find the latest,
 *       elect, catch the winner up from the latest, apply what only the dead master had, activate
 *       (VIP) and make it writable;</li>
 *   <li><b>Recover the replicas</b> — in parallel, by GTID;</li>
 *   <li><b>Clean up</b> — the rejoin statement for the old master, {@code --remove_dead_master_conf},
 *       {@code <app>.failover.complete} or {@code .failover.error}, and the report.</li>
 * </ol>
 *
 * <p>Past 400 lines because it holds, beside the phases, the run's report assembly, the outcome
 * files and a builder of a dozen options; the clean-up phase and the anti-flap rule move to
 * classes of their own when the failover is restructured (issue 14).
 *
 * <pre>{@code
 * FailoverReport report = MasterFailover.builder(config).build().run(config.server("server1").orElseThrow());
 * System.out.println(report.toText());
 * }</pre>
 */
public final class MasterFailover {
    private static final Logger log = LoggerFactory.getLogger(MasterFailover.class);

    private final ApplicationConfig config;
    /** The host's scheduler; null: each run makes a system one. */
    private final Scheduler time;

    private final RemoteShells shells;
    private final boolean ownsShells;
    private final Path workdir;
    private final MasterElector elector;
    private final DataCompensator compensator;
    private final TopologyRewirer rewirer;
    private final HookChain hooks;
    private final boolean ignoreLastFailover;
    private final Duration lastFailoverMinute;
    private final FailoverGuard.Wording wording;
    private final boolean recordOutcome;
    private final boolean removeDeadMasterConf;
    private final boolean deadMasterConfirmed;
    private final Map<String, String> unresponsive;
    private final Duration applyTimeout;

    private MasterFailover(Builder b) {
        this.config = b.config;
        this.time = b.time;
        this.workdir = b.workdir != null ? b.workdir : b.config.managerWorkdir();
        FailoverRoles roles = FailoverRoles.of(config, b.elector, b.designated, b.rewirer);
        this.elector = roles.elector();
        this.compensator = b.skipSaveMasterBinlog
                ? new NoCompensation()
                : b.compensator != null ? b.compensator : Plugins.dataCompensator(config);
        this.rewirer = roles.rewirer();
        List<FailoverHook> all = new ArrayList<>(b.firstHooks);
        all.addAll(b.builtInHooks ? defaultHooks(config) : List.of());
        all.addAll(b.hooks);
        this.hooks = new HookChain(all);
        // Last: a plugin that cannot be resolved above leaves no shells open.
        this.ownsShells = b.shells == null;
        this.shells = b.shells != null ? b.shells : RemoteShells.forApplication(b.config);
        this.ignoreLastFailover = b.ignoreLastFailover;
        this.lastFailoverMinute = b.lastFailoverMinute;
        this.wording = b.wording;
        this.recordOutcome = b.recordOutcome;
        this.removeDeadMasterConf = b.removeDeadMasterConf;
        this.deadMasterConfirmed = b.deadMasterConfirmed;
        this.unresponsive = Map.copyOf(b.unresponsive);
        this.applyTimeout = b.applyTimeout != null ? b.applyTimeout : config.value(Parameter.APPLY_TIMEOUT);
    }

    /** MHA's scripts, then the hooks {@code failover_hooks} names. */
    private static List<FailoverHook> defaultHooks(ApplicationConfig config) {
        List<FailoverHook> hooks = new ArrayList<>(List.of(new MhaScriptHook(config)));
        hooks.addAll(Plugins.failoverHooks(config));
        return hooks;
    }

    public static Builder builder(ApplicationConfig config) {
        return new Builder(config);
    }

    /** Runs the failover of {@code deadMaster}, one of the configuration's servers; never throws. */
    public FailoverReport run(ServerConfig deadMaster) {
        Objects.requireNonNull(deadMaster, "deadMaster");
        // Nothing is scheduled on a system scheduler made here (only its clock and pauses are used): no thread.
        Scheduler runTime = time != null ? time : Scheduler.system("mha4j-failover-" + config.name());
        Run run = new Run(deadMaster, runTime.clock());
        ExecutorService pool = Executors.newCachedThreadPool(new NamedDaemonThreads("mha4j-failover-" + config.name()));
        FailoverSetup setup = new FailoverSetup(
                config,
                runTime,
                Connector.jdbc(runTime.clock()),
                pool,
                shells,
                workdir,
                elector,
                compensator,
                rewirer,
                hooks,
                applyTimeout);
        log.info("Starting failover of {} (application {})", deadMaster.displayName(), config.name());
        try {
            run.attempt(setup);
        } finally {
            run.survivors.forEach(s -> s.connection().close());
            pool.shutdownNow();
            if (time == null) {
                runTime.close();
            }
            if (ownsShells) {
                shells.close();
            }
        }
        FailoverReport report = run.report();
        // A refusal by the anti-flap rule changes no file: the last failover's report is what it points at.
        if (run.blocked.isEmpty()) {
            record(report);
            keep(report);
        }
        log.info("\n{}", report.toText());
        hooks.report(run.context, report);
        return report;
    }

    /** The outcome's flag file, unless the manager writes it (a refusal by the anti-flap rule writes none). */
    private void record(FailoverReport report) {
        if (!recordOutcome) {
            return;
        }
        FailoverGuard guard = new FailoverGuard(workdir, config.name());
        if (report.outcome().promoted()) {
            guard.markComplete(report.endedAt());
        } else {
            guard.markError(
                    report.endedAt(),
                    "failover of " + report.deadMaster() + " " + report.outcome() + ": "
                            + String.join("; ", report.errors()));
        }
    }

    /** The last report, for machines: {@code <workdir>/<app>.failover_report.json}. */
    private void keep(FailoverReport report) {
        Path file = workdir.resolve(config.name() + ".failover_report.json");
        try {
            Files.writeString(file, report.toJson());
        } catch (IOException e) {
            log.warn("cannot write the failover report to {}: {}", file, e.getMessage());
        }
    }

    /** One failover's progress, becoming its report. */
    private final class Run {
        private final ServerConfig deadMaster;
        private final Clock clock;
        private final Instant startedAt;
        private final List<PhaseTiming> phases = new ArrayList<>();
        private final List<String> errors = new ArrayList<>();
        private final List<Survivor> survivors = new ArrayList<>();
        private FailoverContext context;
        private boolean changed;
        private Optional<Election> election = Optional.empty();
        private Optional<Compensation> compensation = Optional.empty();
        private Optional<PossibleLoss> possibleLoss = Optional.empty();
        private Optional<Survivor> newMaster = Optional.empty();
        private List<ReplicaOutcome> replicas = List.of();
        private ErrantTransactions errant = ErrantTransactions.NONE;
        private Optional<String> rejoin = Optional.empty();
        /** What the anti-flap rule said, when it refused this failover. */
        private Optional<FailoverGuard.Block> blocked = Optional.empty();

        Run(ServerConfig deadMaster, Clock clock) {
            this.deadMaster = deadMaster;
            this.clock = clock;
            this.startedAt = clock.instant();
            this.context = new FailoverContext(config, deadMaster, Optional.empty(), shells, workdir);
        }

        void attempt(FailoverSetup setup) {
            try {
                antiFlap();
                FailoverCheck check = new FailoverCheck(setup, unresponsive);
                ClusterRead read;
                try {
                    read = phase(
                            FailoverPhase.CHECK,
                            () -> check.run(deadMaster),
                            r -> r.unreachable().isEmpty()
                                    ? "ok"
                                    : "ok; " + r.unreachable().size() + " replica(s) left out (not readable)");
                } finally {
                    errant = check.errant();
                }
                survivors.addAll(read.survivors());
                DeadMasterIsolation isolation = new DeadMasterIsolation(setup, deadMasterConfirmed);
                Optional<RemoteShell> deadShell = phase(
                        FailoverPhase.ISOLATE,
                        () -> {
                            changed = true;
                            try {
                                return isolation.run(context, read.survivors());
                            } catch (FailoverRefusal e) {
                                changed = false; // phase 2 undid what it did
                                throw e;
                            }
                        },
                        r -> "ok",
                        isolation::steps);
                Promotion promotion = phase(
                        FailoverPhase.RECOVER_NEW_MASTER,
                        () -> {
                            try {
                                return new NewMasterRecovery(setup)
                                        .run(
                                                context,
                                                read.survivors(),
                                                read.errant(),
                                                check.election(),
                                                deadShell,
                                                elected -> context = elected);
                            } catch (NewMasterRecovery.NoPromotion e) {
                                election = e.election();
                                throw e;
                            }
                        },
                        p -> p.leftOut().isEmpty()
                                ? "ok"
                                : "ok; " + p.leftOut().size() + " replica(s) stopped answering and were left out");
                errant = promotion.errant();
                election = Optional.of(promotion.election());
                compensation = Optional.of(promotion.compensation());
                possibleLoss = promotion.possibleLoss();
                newMaster = Optional.of(promotion.newMaster());
                replicas = phase(
                        FailoverPhase.RECOVER_REPLICAS,
                        () -> new ReplicaRecovery(setup)
                                .run(
                                        context.withNewMaster(
                                                promotion.newMaster().config()),
                                        promotion,
                                        read.unreachable()),
                        ReplicaRecovery::status);
                phase(
                        FailoverPhase.CLEANUP,
                        () -> new Cleanup(setup, removeDeadMasterConf)
                                .run(isolation, deadMaster, promotion, statement -> rejoin = Optional.of(statement)));
            } catch (RuntimeException e) {
                errors.add(e.getMessage() == null ? e.toString() : e.getMessage());
                log.error("Failover of {} stopped: {}", deadMaster.displayName(), e.getMessage());
            }
        }

        private void antiFlap() {
            if (!recordOutcome) {
                return;
            }
            blocked = new FailoverGuard(workdir, config.name(), wording)
                    .block(clock.instant(), lastFailoverMinute, ignoreLastFailover);
            if (blocked.isPresent()) {
                throw new FailoverRefusal("anti-flap: " + blocked.get().message());
            }
        }

        private <T> T phase(FailoverPhase phase, Supplier<T> body) {
            return phase(phase, body, r -> "ok");
        }

        /** @param status the phase's status from its result: {@code ok} only when nothing went wrong */
        private <T> T phase(FailoverPhase phase, Supplier<T> body, Function<T, String> status) {
            return phase(phase, body, status, List::of);
        }

        /** @param steps where the phase's time went, read once it ended (also when it failed) */
        private <T> T phase(
                FailoverPhase phase, Supplier<T> body, Function<T, String> status, Supplier<List<TimedStep>> steps) {
            hooks.beforePhase(phase, context);
            log.info("* {}..", phase.title());
            Instant start = clock.instant();
            try {
                T result = body.get();
                phases.add(new PhaseTiming(
                        phase, Duration.between(start, clock.instant()), status.apply(result), steps.get()));
                return result;
            } catch (RuntimeException e) {
                phases.add(new PhaseTiming(
                        phase, Duration.between(start, clock.instant()), "failed: " + e.getMessage(), steps.get()));
                throw e;
            } finally {
                hooks.afterPhase(phase, context);
            }
        }

        FailoverReport report() {
            FailoverReport.Outcome outcome;
            if (newMaster.isPresent()) {
                // Transactions that may be lost need a human as much as a replica left behind does.
                outcome = errors.isEmpty()
                                && replicas.stream().allMatch(ReplicaOutcome::recovered)
                                && possibleLoss.isEmpty()
                        ? FailoverReport.Outcome.SUCCEEDED
                        : FailoverReport.Outcome.PARTIAL;
            } else {
                outcome = changed ? FailoverReport.Outcome.FAILED : FailoverReport.Outcome.REFUSED;
            }
            return new FailoverReport(
                    config.name(),
                    outcome,
                    deadMaster.displayName(),
                    newMaster.map(Survivor::name),
                    election.map(Election::reason).orElse(errors.isEmpty() ? "" : errors.get(0)),
                    election.map(Election::losers).orElse(Map.of()),
                    compensation,
                    phases,
                    replicas,
                    rejoin,
                    errors,
                    startedAt,
                    clock.instant(),
                    errantByName(),
                    possibleLoss);
        }

        /** The errant transactions by server display name, as the report names servers. */
        private Map<String, GtidSet> errantByName() {
            Map<String, GtidSet> byName = new LinkedHashMap<>();
            errant.byServer()
                    .forEach((block, gtids) -> byName.put(
                            config.server(block).map(ServerConfig::displayName).orElse(block), gtids));
            return byName;
        }
    }

    /** Configures a {@link MasterFailover}; defaults come from the configuration. */
    public static final class Builder {
        private final ApplicationConfig config;
        private Scheduler time;
        private RemoteShells shells;
        private Path workdir;
        private MasterElector elector;
        private DataCompensator compensator;
        private TopologyRewirer rewirer;
        private final List<FailoverHook> hooks = new ArrayList<>();
        private final List<FailoverHook> firstHooks = new ArrayList<>();
        private boolean builtInHooks = true;
        private boolean ignoreLastFailover;
        private Duration lastFailoverMinute = Duration.ofMinutes(480);
        private FailoverGuard.Wording wording = FailoverGuard.Wording.FAILOVER_API;
        private boolean recordOutcome = true;
        private boolean removeDeadMasterConf;
        private Duration applyTimeout;
        private ServerConfig designated;
        private boolean skipSaveMasterBinlog;
        private boolean deadMasterConfirmed;
        private Map<String, String> unresponsive = Map.of();

        private Builder(ApplicationConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * The failover's time: its clock (the report's times, the anti-flap rule) and where its waits
         * for servers pause. Default: the system's. A {@link io.mha4j.time.ManualScheduler} runs a
         * failover's waits and timeouts in virtual time. Not closed by the failover.
         */
        public Builder scheduler(Scheduler time) {
            this.time = Objects.requireNonNull(time);
            return this;
        }

        /** Shells to the database hosts (default: from {@code remote_shell}); not closed by the failover. */
        public Builder shells(RemoteShells shells) {
            this.shells = Objects.requireNonNull(shells);
            return this;
        }

        /** Where saved events and the outcome files go (default {@code manager_workdir}). */
        public Builder workdir(Path workdir) {
            this.workdir = Objects.requireNonNull(workdir);
            return this;
        }

        public Builder elector(MasterElector elector) {
            this.elector = Objects.requireNonNull(elector);
            return this;
        }

        /**
         * {@code --new_master_host}: this server becomes the new master if the elector's rules allow
         * it at all; otherwise the failover is refused. Never another server.
         */
        public Builder newMaster(ServerConfig server) {
            this.designated = Objects.requireNonNull(server);
            return this;
        }

        /** {@code --skip_save_master_binlog}: read nothing from the dead master or binlog servers. */
        public Builder skipSaveMasterBinlog(boolean skip) {
            this.skipSaveMasterBinlog = skip;
            return this;
        }

        /**
         * An operator confirmed that the dead master is down ({@code master_switch
         * --master_state=dead}): the failover does not require a fence for a master that may still
         * be alive or that no vantage point reaches (it says so in the log). Default no.
         */
        public Builder deadMasterConfirmed(boolean confirmed) {
            this.deadMasterConfirmed = confirmed;
            return this;
        }

        /**
         * Replicas (by block name) that did not answer the monitor within {@code replica_read_timeout}
         * just before this failover, with why: the check leaves them out at once instead of waiting
         * for them a second time; like any replica left out, they are rewired when they answer again.
         * The manager passes what its verdict saw.
         */
        public Builder unresponsive(Map<String, String> replicas) {
            this.unresponsive = Map.copyOf(replicas);
            return this;
        }

        public Builder compensator(DataCompensator compensator) {
            this.compensator = Objects.requireNonNull(compensator);
            return this;
        }

        public Builder rewirer(TopologyRewirer rewirer) {
            this.rewirer = Objects.requireNonNull(rewirer);
            return this;
        }

        /** Adds a hook after MHA's scripts and those {@code failover_hooks} names. */
        public Builder hook(FailoverHook hook) {
            hooks.add(Objects.requireNonNull(hook));
            return this;
        }

        /**
         * Adds a hook asked before MHA's scripts and every other hook: for a veto that must come
         * before any of them acts (the manager's lead, when several managers share the application).
         */
        public Builder hookFirst(FailoverHook hook) {
            firstHooks.add(Objects.requireNonNull(hook));
            return this;
        }

        /** Without MHA's scripts and {@code failover_hooks}: only the hooks added here. */
        public Builder withoutConfiguredHooks() {
            this.builtInHooks = false;
            return this;
        }

        /** {@code --ignore_last_failover}. */
        public Builder ignoreLastFailover(boolean ignore) {
            this.ignoreLastFailover = ignore;
            return this;
        }

        /** {@code --last_failover_minute} (480). */
        public Builder lastFailoverMinute(Duration window) {
            this.lastFailoverMinute = Objects.requireNonNull(window);
            return this;
        }

        /** Whom an anti-flap refusal speaks to (default: a Java host calling this builder). */
        public Builder wording(FailoverGuard.Wording wording) {
            this.wording = Objects.requireNonNull(wording);
            return this;
        }

        /**
         * Whether this failover applies the anti-flap rule and writes {@code <app>.failover.complete}
         * or {@code .failover.error} itself (default yes); the manager, which does both, says no.
         */
        public Builder recordOutcome(boolean record) {
            this.recordOutcome = record;
            return this;
        }

        /** {@code --remove_dead_master_conf}. */
        public Builder removeDeadMasterConf(boolean remove) {
            this.removeDeadMasterConf = remove;
            return this;
        }

        /** How long a replica may take to apply its relay log or catch up (default {@code apply_timeout}). */
        public Builder applyTimeout(Duration timeout) {
            this.applyTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public MasterFailover build() {
            try {
                Files.createDirectories(workdir != null ? workdir : config.managerWorkdir());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the failover's working directory", e);
            }
            return new MasterFailover(this);
        }
    }
}
