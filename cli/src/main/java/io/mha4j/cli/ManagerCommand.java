package io.mha4j.cli;

import io.mha4j.cli.http.HealthEndpoints;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ConfigException;
import io.mha4j.config.MhaConfigReader;
import io.mha4j.manager.ManagerListener;
import io.mha4j.manager.ManagerOptions;
import io.mha4j.manager.ManagerOptions.AfterFailover;
import io.mha4j.manager.StopRequest;
import io.mha4j.manager.Supervisor;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code manager}, as {@code masterha_manager}: checks, monitors, fails over; then stays up,
 * guarding the old master (fenced the moment it answers again) and monitoring the new topology.
 * {@code --exit_after_failover} exits after one failover as MHA does, leaving the old master
 * unguarded. Runs in the foreground; a service manager or {@code nohup … &} daemonizes it, as in
 * MHA's tutorial. SIGTERM (what {@code stop} sends) ends it cleanly.
 *
 * <p>mha4j: {@code --conf} repeats, or names a directory of {@code .cnf} files, to manage several
 * applications in one process, each isolated ({@link ManagerGroup}). A file whose configuration is
 * bad is reported (file, line, parameter) and that application alone is not started; the command then
 * exits 1 at the end, however the others ended. SIGTERM stops every application of the process.
 *
 * <p>mha4j: {@code --http=HOST:PORT} answers HAProxy's health checks for every application of the
 * process ({@link HealthEndpoints}, docs/haproxy.md) for as long as the process runs.
 */
@Command(
        name = "manager",
        mixinStandardHelpOptions = true,
        description = "Monitor the master and fail over when it dies (masterha_manager).")
class ManagerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ManagerCommand.class);
    private static final Duration SHUTDOWN_PATIENCE = Duration.ofSeconds(15);

    @Spec
    CommandSpec spec;

    @Mixin
    ApplicationFiles conf;

    @Mixin
    WorkdirOptions workdir;

    @Option(
            names = {"--manager_log", "--log_output"},
            paramLabel = "FILE",
            description = "overrides manager_log")
    Path managerLog;

    @Option(names = "--ignore_fail_on_start")
    boolean ignoreFailOnStart;

    @Option(names = {"--skip_ssh_check", "--skip_check_ssh"})
    boolean skipSshCheck;

    @Option(names = "--wait_on_monitor_error", paramLabel = "SECONDS", defaultValue = "0")
    int waitOnMonitorError;

    @Option(names = "--wait_on_failover_error", paramLabel = "SECONDS", defaultValue = "0")
    int waitOnFailoverError;

    @Option(names = "--ignore_last_failover")
    boolean ignoreLastFailover;

    @Option(names = "--last_failover_minute", paramLabel = "MINUTES", defaultValue = "480")
    int lastFailoverMinute;

    @Option(names = "--remove_dead_master_conf")
    boolean removeDeadMasterConf;

    @Option(names = "--seconds_behind_master", paramLabel = "SECONDS", defaultValue = "30")
    long secondsBehindMaster;

    @Option(names = "--check_only", description = "run the start-up checks and exit")
    boolean checkOnly;

    @Option(names = "--monitor_only", description = "monitor, never fail over")
    boolean monitorOnly;

    @Option(
            names = "--exit_after_failover",
            description = "mha4j: exit after one failover, as MHA does (for scripts"
                    + " that wait for the manager to exit); the old master is then NOT guarded")
    boolean exitAfterFailover;

    @Option(
            names = "--keep_monitoring",
            hidden = true,
            description = "accepted: staying up after a failover is the default now (see --exit_after_failover)")
    boolean keepMonitoring;

    @Option(
            names = {"--interactive"},
            paramLabel = "0|1",
            hidden = true,
            description = "accepted for MHA compatibility; the manager never prompts")
    int interactive;

    @Option(
            names = {"--ignore_binlog_server_error", "--check_repl_health"},
            hidden = true,
            description = "accepted for MHA compatibility")
    boolean ignoredFlags;

    @Option(
            names = "--http",
            paramLabel = "HOST:PORT",
            description = "mha4j: answer HTTP health checks (GET /master/<block>, /replica/<block>) on HOST:PORT,"
                    + " or PORT alone on 127.0.0.1; docs/haproxy.md")
    String http;

    @Override
    public Integer call() {
        if (keepMonitoring && exitAfterFailover) {
            throw new ParameterException(
                    spec.commandLine(), "--keep_monitoring and --exit_after_failover contradict each other");
        }
        InetSocketAddress httpAddress = null;
        if (http != null) {
            try {
                httpAddress = HealthEndpoints.address(http);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        List<Path> files = conf.files();
        Map<Path, ApplicationConfig> configs = new LinkedHashMap<>();
        for (Path file : files) {
            try {
                configs.put(file, conf.global.readChecked(file));
            } catch (RuntimeException e) {
                if (files.size() == 1) {
                    throw e;
                }
                // One application's bad file (or its init_conf_load_script) must not keep the others from being
                // managed: it alone is refused.
                spec.commandLine()
                        .getErr()
                        .println("[error] " + (e instanceof ConfigException ? e.getMessage() : e.toString())
                                + " (application " + MhaConfigReader.applicationName(file)
                                + " not started; the others are)");
            }
        }
        spec.commandLine().getErr().flush();
        if (configs.isEmpty()) {
            return 1;
        }
        ManagerLog.configure(configs.values().stream()
                .map(c -> new ManagerLog.Route(
                        c.name(),
                        Optional.ofNullable(managerLog)
                                .or(c::managerLog)
                                .map(f -> f.toAbsolutePath().normalize()),
                        c.logLevel()))
                .toList());
        ManagerOptions options = options();
        HealthEndpoints endpoints = null;
        if (httpAddress != null) {
            // Bound before any manager starts: a port in use fails the command at once, not in the middle of a
            // failover.
            endpoints = HealthEndpoints.start(httpAddress, List.copyOf(configs.values()), Clock.systemUTC());
            log.info(
                    "health endpoints on http://{}:{}/",
                    httpAddress.getHostString(),
                    endpoints.address().getPort());
        }
        HealthEndpoints health = endpoints;
        ManagerGroup group = new ManagerGroup(configs.values().stream()
                .map(c -> supervised(
                        c,
                        options,
                        new StopRequest(workdir.resolve(c), c.name()),
                        health == null ? e -> {} : health.listener(c.name())))
                .toList());
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    group.stop();
                    try {
                        finished.await(SHUTDOWN_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "mha4j-manager-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            int code = group.run();
            return configs.size() < files.size() ? ManagerGroup.worse(code, 1) : code;
        } finally {
            if (health != null) {
                health.close();
            }
            finished.countDown();
        }
    }

    private ManagerOptions options() {
        return ManagerOptions.builder()
                .workdir(workdir.workdir)
                .ignoreLastFailover(ignoreLastFailover)
                .lastFailoverMinute(Duration.ofMinutes(lastFailoverMinute))
                .removeDeadMasterConf(removeDeadMasterConf)
                .waitOnMonitorError(Duration.ofSeconds(waitOnMonitorError))
                .waitOnFailoverError(Duration.ofSeconds(waitOnFailoverError))
                .ignoreFailOnStart(ignoreFailOnStart)
                .skipSshCheck(skipSshCheck)
                .secondsBehindMaster(secondsBehindMaster)
                .checkOnly(checkOnly)
                .monitorOnly(monitorOnly)
                .afterFailover(exitAfterFailover ? AfterFailover.EXIT : AfterFailover.STAY)
                .build();
    }

    /**
     * One application's {@link Supervisor}, built on its own thread when the group runs it: whatever
     * building it throws, and every thread it starts, is that application's.
     */
    private static ManagerGroup.Member supervised(
            ApplicationConfig config, ManagerOptions options, StopRequest stopRequest, ManagerListener events) {
        CompletableFuture<Void> stopRequested = new CompletableFuture<>();
        return new ManagerGroup.Member() {
            @Override
            public String application() {
                return config.name();
            }

            @Override
            public Supervisor.Result run() {
                config.warnings().forEach(log::warn);
                Supervisor supervisor = Supervisor.builder(config)
                        .options(options)
                        .events(events)
                        .build();
                stopRequested.thenRun(supervisor::stop);
                return supervisor.run();
            }

            @Override
            public void stop() {
                stopRequested.complete(null);
            }

            @Override
            public StopRequest stopRequest() {
                return stopRequest;
            }
        };
    }
}
