package io.mha4j.manager;

import io.mha4j.FailoverHook;
import io.mha4j.Mha4jException;
import io.mha4j.check.Finding;
import io.mha4j.check.ReplicationHealth;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ConfigException;
import io.mha4j.config.Origin;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.coordination.Coordination;
import io.mha4j.coordination.FailoverRecord;
import io.mha4j.failover.FailoverGuard;
import io.mha4j.internal.plugin.Plugins;
import io.mha4j.monitor.MonitorListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager as one object for a Java host: it finds the master among the live servers (no name
 * needed), monitors it, fails over when it dies, guards the old master, monitors the new
 * topology, and goes on until {@link #close()} — what {@code mha4j manager} does, on a thread of
 * its own, telling a {@link ManagerListener} each step as a typed {@link ManagerEvent}.
 *
 * <pre>{@code
 * MhaManager mha = MhaManager.builder(MhaConfigReader.read(Path.of("/etc/mha/app1.cnf")))
 *         .workdir(Path.of("/var/lib/orders/mha"))
 *         .listener(e -> { if (e instanceof ManagerEvent.MasterChanged m) writer.moveTo(m.newMaster()); })
 *         .build();
 * mha.start();
 * ServerConfig master = mha.awaitMonitoring(Duration.ofSeconds(30));   // throws with the first check error
 * ...
 * mha.close();                                                         // never cuts a running failover
 * }</pre>
 *
 * <p>Run one manager per application: two managers (two instances of one service, say) would
 * both fail over, and the lock that stops that is a file on one host.
 */
public final class MhaManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MhaManager.class);

    private final ApplicationConfig config;
    private final Path workdir;
    private final Clock clock;
    private final Duration closeTimeout;
    private final List<ManagerListener> listeners;
    private final Executor eventExecutor;
    private final ExecutorService ownedExecutor;
    private final Supervisor supervisor;
    private final Thread thread;
    /** NEW, then RUNNING (start) or CLOSED (close before start); a manager runs once. */
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    /** Set once Stopped was published: nothing is published after it. Guarded by {@code this}. */
    private boolean stopped;

    private volatile Thread eventThread;
    private final CompletableFuture<ServerConfig> monitoring = new CompletableFuture<>();
    private final CompletableFuture<ManagerEvent.Stopped> termination = new CompletableFuture<>();
    private volatile ServerConfig currentMaster;
    private volatile ReplicationHealth lastCheck;
    /** Whether the running failover published its MasterChanged. */
    private volatile boolean masterChangedPublished;

    private MhaManager(Builder b, ApplicationConfig config, Path workdir) {
        this.config = config;
        this.workdir = workdir;
        this.clock = b.clock;
        this.closeTimeout = b.closeTimeout;
        this.listeners = List.copyOf(b.listeners);
        if (b.eventExecutor != null) {
            this.ownedExecutor = null;
            this.eventExecutor = b.eventExecutor;
        } else {
            ThreadFactory events = daemon("mha4j-events-" + config.name());
            this.ownedExecutor = Executors.newSingleThreadExecutor(r -> {
                Thread t = events.newThread(r);
                eventThread = t;
                return t;
            });
            this.eventExecutor = ownedExecutor;
            // The event thread ends with the last event, however close() ended.
            termination.whenComplete((s, e) -> ownedExecutor.shutdown());
        }
        PhaseRelay relay = new PhaseRelay(
                this::publish, clock, s -> config.server(s.block()).orElse(s));
        List<FailoverHook> hooks = List.copyOf(b.hooks);
        FailoverAction failover = b.failover != null
                ? b.failover
                : FailoverAction.standard(f -> {
                    f.hook(relay);
                    hooks.forEach(f::hook);
                    return f;
                });
        Supervisor.Builder sb = Supervisor.builder(config)
                .options(b.options.withWorkdir(workdir))
                .clock(clock)
                .failover(failover)
                .events(this::publish)
                .wording(FailoverGuard.Wording.MANAGER_API)
                .guardListener(e -> publish(new ManagerEvent.GuardActed(clock.instant(), e)));
        b.monitorListeners.forEach(sb::listener);
        if (b.startupCheck != null) {
            sb.startupCheck(b.startupCheck);
        }
        if (b.monitors != null) {
            sb.monitors(b.monitors);
        }
        this.supervisor = sb.build();
        this.thread = daemon("mha4j-manager-" + config.name()).newThread(this::runSupervisor);
    }

    public static Builder builder(ApplicationConfig config) {
        return new Builder(config);
    }

    private enum State {
        NEW,
        RUNNING,
        CLOSED
    }

    /**
     * Starts the manager on its own (daemon) thread and returns at once.
     *
     * @throws IllegalStateException when started or closed before: a manager runs once
     */
    public void start() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("the manager of " + config.name() + " was "
                    + (state.get() == State.RUNNING ? "started" : "closed") + " before: a manager runs once");
        }
        thread.start();
    }

    /**
     * Waits until monitoring began, and returns the master the start-up check found.
     *
     * @throws Mha4jException when the manager ended first (its first check error, by server and
     *     cause), or when monitoring has not begun within {@code timeout}
     */
    public ServerConfig awaitMonitoring(Duration timeout) {
        try {
            return monitoring.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Mha4jException m
                    ? m
                    : new Mha4jException(e.getCause().toString(), e);
        } catch (TimeoutException e) {
            throw new Mha4jException(config.name() + ": not monitoring after " + timeout.toSeconds() + " s"
                    + Optional.ofNullable(lastCheck)
                            .flatMap(MhaManager::firstError)
                            .map(f -> "; the last check: " + f)
                            .orElse(""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Mha4jException("interrupted while waiting for " + config.name() + "'s manager to monitor", e);
        }
    }

    /** The master monitored now, or last (empty before the first start-up check passed). */
    public Optional<ServerConfig> currentMaster() {
        return Optional.ofNullable(currentMaster);
    }

    /** Completes with the last event, once every listener had it. */
    public CompletableFuture<ManagerEvent.Stopped> termination() {
        return termination.copy();
    }

    /**
     * Blocks until the manager ended (for a {@code main}: its exit code is MHA's).
     *
     * @throws IllegalStateException on the event thread, where it would wait for itself
     */
    public ManagerEvent.Stopped awaitTermination() {
        if (Thread.currentThread() == eventThread) {
            throw new IllegalStateException("awaitTermination() from a listener would wait for itself");
        }
        return termination.join();
    }

    /**
     * Clears the anti-flap block (a recent or failed failover) on purpose, as {@code mha4j
     * acknowledge} does; the reason is logged and kept beside the flags, and in the managers' shared
     * failover record when there is one ({@code coordination}).
     *
     * @return the flag files removed
     */
    public List<Path> acknowledgeFailover(String who, String reason) {
        Instant now = clock.instant();
        // the shared record first: if it refuses (a failover still running) the flag files stay as they are
        try (Coordination coordination = Coordination.of(config)) {
            coordination.acknowledge(new FailoverRecord.Acknowledgement(now, who, reason));
        }
        return new FailoverGuard(workdir, config.name(), FailoverGuard.Wording.MANAGER_API)
                .acknowledge(now, who, reason);
    }

    /** Asks the manager to end; returns at once. Any thread, any number of times. */
    public void stop() {
        supervisor.stop();
    }

    /**
     * Stops the manager and waits until it ended and every listener had {@link
     * ManagerEvent.Stopped} — up to the close timeout (by default 15 minutes, for a failover that
     * is running: it is never interrupted, and a JVM that exits cuts it wherever it is). Called
     * from a listener or a hook, it only asks the manager to stop, since waiting there would wait
     * for itself. A manager closed before it was started never runs.
     */
    @Override
    public void close() {
        if (state.compareAndSet(State.NEW, State.CLOSED)) {
            publish(new ManagerEvent.Stopped(clock.instant(), 0, "closed before it was started"));
            return;
        }
        stop();
        if (Thread.currentThread() == eventThread || Thread.currentThread() == thread) {
            return;
        }
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        try {
            termination.get(closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (TimeoutException e) {
            log.error(
                    "{}: the manager has not ended {} s after it was asked to ({}); not waiting longer",
                    config.name(),
                    closeTimeout.toSeconds(),
                    thread.isAlive() ? "a failover is still running" : "a listener has not returned from an event");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runSupervisor() {
        try {
            supervisor.run();
        } catch (RuntimeException | Error e) {
            log.error("{}: the manager ended with an unexpected error", config.name(), e);
        }
    }

    /**
     * Called by the manager's threads (its own, the monitor's, the guard's, the failover's); one at
     * a time, so that listeners get the events in the order they were published, and nothing after
     * {@link ManagerEvent.Stopped} (a guard or a monitor still finishing a tick as they close).
     * What waiters read (the current master, the check) is set before the event is queued; they are
     * woken after it, so that what they do next is told after it.
     */
    private synchronized void publish(ManagerEvent event) {
        if (stopped) {
            log.debug("{}: {} after the manager stopped; not told", config.name(), event);
            return;
        }
        if (event instanceof ManagerEvent.FailoverStarted) {
            masterChangedPublished = false;
        } else if (event instanceof ManagerEvent.MasterChanged m) {
            masterChangedPublished = true;
            currentMaster = m.newMaster();
        } else if (event instanceof ManagerEvent.FailoverEnded f
                && f.newMaster().isPresent()
                && !masterChangedPublished) {
            // A failover action without the phase relay (a host's own) still tells who took over.
            publish(new ManagerEvent.MasterChanged(
                    f.at(), f.deadMaster(), f.newMaster().get()));
        } else if (event instanceof ManagerEvent.Checked c) {
            lastCheck = c.health();
        } else if (event instanceof ManagerEvent.MonitoringStarted m) {
            currentMaster = m.master();
        } else if (event instanceof ManagerEvent.Stopped s) {
            stopped = true;
            monitoring.completeExceptionally(new Mha4jException(config.name() + ": the manager ended before"
                    + " monitoring (" + s.summary() + ")"
                    + Optional.ofNullable(lastCheck)
                            .flatMap(MhaManager::firstError)
                            .map(f -> ": " + f)
                            .orElse("")));
        }
        try {
            eventExecutor.execute(() -> deliver(event));
        } catch (RuntimeException e) {
            log.warn("{}: could not hand {} to the listeners: {}", config.name(), event, e.toString());
            if (event instanceof ManagerEvent.Stopped s) {
                termination.complete(s);
            }
        }
        if (event instanceof ManagerEvent.MonitoringStarted m) {
            monitoring.complete(m.master());
        }
    }

    private void deliver(ManagerEvent event) {
        try {
            for (ManagerListener l : listeners) {
                try {
                    l.onEvent(event);
                } catch (RuntimeException e) {
                    log.warn(
                            "{}: listener {} failed on {}; ignored",
                            config.name(),
                            l.getClass().getName(),
                            event,
                            e);
                }
            }
        } finally {
            if (event instanceof ManagerEvent.Stopped s) {
                termination.complete(s);
            }
        }
    }

    private static Optional<String> firstError(ReplicationHealth health) {
        return health.errors().stream().map(Finding::message).findFirst();
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Configures an {@link MhaManager}; the manager's options default to {@link ManagerOptions#DEFAULTS}. */
    public static final class Builder {
        private final ApplicationConfig config;
        private Path workdir;
        private ManagerOptions options = ManagerOptions.DEFAULTS;
        private Clock clock = Clock.systemUTC();
        private Duration closeTimeout = Duration.ofMinutes(15);
        private FailoverAction failover;
        private final List<ManagerListener> listeners = new ArrayList<>();
        private final List<MonitorListener> monitorListeners = new ArrayList<>();
        private final List<FailoverHook> hooks = new ArrayList<>();
        private Executor eventExecutor;
        private Function<ApplicationConfig, ReplicationHealth> startupCheck;
        private Monitors monitors;

        private Builder(ApplicationConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * Where the manager keeps its lock, anti-flap flags, saved binary logs and reports. Required
         * unless {@code manager_workdir} is set in the configuration: they must survive restarts,
         * so no temporary directory is chosen for you.
         */
        public Builder workdir(Path dir) {
            this.workdir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** Receives every {@link ManagerEvent}; see {@link ManagerListener} for the threading. */
        public Builder listener(ManagerListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Receives every ping and verdict, on the monitor's thread (metrics); must return quickly. */
        public Builder monitorListener(MonitorListener listener) {
            monitorListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Takes part in every failover, after the hooks {@code failover_hooks} names. */
        public Builder hook(FailoverHook hook) {
            hooks.add(Objects.requireNonNull(hook, "hook"));
            return this;
        }

        /**
         * Replaces the failover (default {@link FailoverAction#standard}); the hooks given here and
         * the phase events are then not used (MasterChanged still comes, from the report).
         */
        public Builder failover(FailoverAction failover) {
            this.failover = Objects.requireNonNull(failover, "failover");
            return this;
        }

        /** Every option the command line sets, at once: call it before the methods that change one. */
        public Builder options(ManagerOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Fails over even within {@code last_failover_minute} of the last failover, clearing its flags. */
        public Builder ignoreLastFailover(boolean ignore) {
            this.options = options.withIgnoreLastFailover(ignore);
            return this;
        }

        /**
         * When the start-up check fails, checks again after {@code wait} instead of ending (default
         * zero: end, and {@link #awaitMonitoring} throws the first error).
         */
        public Builder retryChecksEvery(Duration wait) {
            this.options = options.withWaitOnMonitorError(wait);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How long {@link #close()} waits for the manager to end (default 15 minutes: a failover
         * that is running is never interrupted, and may take up to {@code apply_timeout}).
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Delivers events (tests: {@code Runnable::run}, delivery on the publishing thread). */
        Builder eventExecutor(Executor executor) {
            this.eventExecutor = executor;
            return this;
        }

        Builder startupCheck(Function<ApplicationConfig, ReplicationHealth> check) {
            this.startupCheck = check;
            return this;
        }

        Builder monitors(Monitors monitors) {
            this.monitors = monitors;
            return this;
        }

        /**
         * Checks the configuration (every plugin name, the working directory) and connects to nothing.
         *
         * @throws ConfigException naming the parameter, when a plugin is unknown or no working
         *     directory was given
         * @throws UncheckedIOException when the working directory cannot be created
         */
        public MhaManager build() {
            Path dir = workdir != null ? workdir : options.workdir().orElse(null);
            if (dir == null && config.origin(Parameter.MANAGER_WORKDIR).kind() != Origin.Kind.BUILT_IN) {
                dir = config.managerWorkdir();
            }
            if (dir == null) {
                throw ConfigException.inCode(
                        "server default",
                        Parameter.MANAGER_WORKDIR.name(),
                        "application "
                                + config.name()
                                + " has no working directory: call MhaManager.Builder.workdir(Path) or set"
                                + " manager_workdir. Its anti-flap flags, saved binary logs and reports must survive restarts,"
                                + " so mha4j does not choose /var/tmp or java.io.tmpdir for you");
            }
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the manager's working directory " + dir, e);
            }
            Plugins.checkAllButRemoteShell(config);
            return new MhaManager(this, config, dir);
        }
    }
}
