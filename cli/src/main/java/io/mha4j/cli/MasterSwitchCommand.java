package io.mha4j.cli;

import io.mha4j.FailoverHook;
import io.mha4j.check.ReplicationCheck;
import io.mha4j.check.ReplicationHealth;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ConfHost;
import io.mha4j.config.ConfigException;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverContext;
import io.mha4j.failover.FailoverGuard;
import io.mha4j.failover.FailoverPhase;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.FailoverVetoException;
import io.mha4j.failover.MasterFailover;
import io.mha4j.failover.MasterSwitchover;
import io.mha4j.failover.SwitchoverReport;
import io.mha4j.guard.GuardEvent;
import io.mha4j.remote.RemoteShells;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * MHA's {@code masterha_master_switch}. {@code --master_state=dead}: the manager's failover,
 * started by hand for a master known to be dead, asking for confirmation unless
 * {@code --interactive=0}. {@code --master_state=alive}: online switchover of the live master
 * ({@link MasterSwitchover}).
 */
@Command(
        name = "master_switch",
        mixinStandardHelpOptions = true,
        description = "Fail over a dead master by hand (--master_state=dead) or switch a live one online"
                + " (--master_state=alive), as masterha_master_switch.")
final class MasterSwitchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfOptions conf;

    @Mixin
    WorkdirOptions workdir;

    @Option(names = "--master_state", required = true, paramLabel = "dead|alive")
    String masterState;

    @Option(names = "--dead_master_host", paramLabel = "HOST")
    String deadMasterHost;

    @Option(names = "--dead_master_ip", paramLabel = "IP")
    String deadMasterIp;

    @Option(names = "--dead_master_port", paramLabel = "PORT")
    Integer deadMasterPort;

    @Option(names = "--new_master_host", paramLabel = "HOST")
    String newMasterHost;

    @Option(names = "--new_master_port", paramLabel = "PORT")
    Integer newMasterPort;

    @Option(names = "--interactive", paramLabel = "0|1", defaultValue = "1")
    int interactive;

    @Option(names = "--ignore_last_failover")
    boolean ignoreLastFailover;

    @Option(names = "--last_failover_minute", paramLabel = "MINUTES", defaultValue = "480")
    int lastFailoverMinute;

    @Option(names = "--remove_dead_master_conf")
    boolean removeDeadMasterConf;

    @Option(names = "--skip_save_master_binlog")
    boolean skipSaveMasterBinlog;

    @Option(
            names = "--wait_until_gtid_in_sync",
            paramLabel = "0|1",
            defaultValue = "1",
            description = "accepted: mha4j always waits until every replica has the new master's transactions")
    int waitUntilGtidInSync;

    @Option(
            names = {"--manager_log", "--log_output"},
            paramLabel = "FILE")
    Path managerLog;

    @Option(names = "--ssh_reachable", paramLabel = "0|1|2", defaultValue = "2")
    int sshReachable;

    @Option(names = "--skip_change_master")
    boolean skipChangeMaster;

    @Option(names = "--skip_disable_read_only")
    boolean skipDisableReadOnly;
    // online switchover (--master_state=alive)
    @Option(names = "--orig_master_is_new_slave")
    boolean origMasterIsNewSlave;

    @Option(names = "--running_updates_limit", paramLabel = "SECONDS")
    Integer runningUpdatesLimit;

    @Option(names = "--running_seconds_limit", paramLabel = "SECONDS")
    Integer runningSecondsLimit;

    @Option(
            names = "--flush_tables",
            paramLabel = "0|1",
            description = "accepted: mha4j blocks writes with read_only and a global read lock, no separate flush")
    Integer flushTables;

    @Option(names = "--skip_lock_all_tables")
    boolean skipLockAllTables;

    @Option(names = "--remove_orig_master_conf")
    boolean removeOrigMasterConf;

    @Option(names = "--check_only")
    boolean checkOnly;

    @Override
    public Integer call() {
        if (masterState.equals("alive")) {
            return switchOnline();
        }
        if (!masterState.equals("dead")) {
            throw new ParameterException(
                    spec.commandLine(), "--master_state must be dead or alive, not '" + masterState + "'");
        }
        refuseUnsupported();
        ApplicationConfig config = conf.readChecked();
        ManagerLog.configure(Optional.ofNullable(managerLog).or(config::managerLog), config.logLevel());
        ServerConfig dead = find(config, "--dead_master_host", deadMasterHost, deadMasterIp, deadMasterPort)
                .orElseThrow(() -> new ParameterException(spec.commandLine(), "--dead_master_host=<host> must be set"));
        Optional<ServerConfig> designated = find(config, "--new_master_host", newMasterHost, null, newMasterPort);
        PrintWriter out = spec.commandLine().getOut();
        MasterFailover.Builder b = MasterFailover.builder(config)
                .workdir(workdir.resolve(config))
                .ignoreLastFailover(ignoreLastFailover)
                .wording(FailoverGuard.Wording.COMMAND_LINE)
                .lastFailoverMinute(Duration.ofMinutes(lastFailoverMinute))
                .removeDeadMasterConf(removeDeadMasterConf)
                .skipSaveMasterBinlog(skipSaveMasterBinlog)
                // The operator says the master is dead: MHA's meaning of --master_state=dead.
                .deadMasterConfirmed(true);
        designated.ifPresent(b::newMaster);
        if (interactive != 0) {
            b.hook(confirmation(dead, designated, out));
        }
        FailoverReport report = b.build().run(dead);
        out.print(report.toText());
        out.flush();
        return report.outcome().exitCode();
    }

    /** MHA's options that would make this failover unsafe or that mha4j decides itself, refused with why. */
    private void refuseUnsupported() {
        if (sshReachable != 2) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--ssh_reachable=" + sshReachable + " is not supported:"
                            + " mha4j tests SSH to the dead master's host itself (the default, 2)");
        }
        if (skipChangeMaster || skipDisableReadOnly) {
            throw new ParameterException(
                    spec.commandLine(),
                    (skipChangeMaster ? "--skip_change_master" : "--skip_disable_read_only")
                            + " is not supported: mha4j ends a failover with a writable new"
                            + " master and every replica following it, or reports why not");
        }
        if (origMasterIsNewSlave
                || runningUpdatesLimit != null
                || runningSecondsLimit != null
                || flushTables != null
                || skipLockAllTables
                || removeOrigMasterConf
                || checkOnly) {
            throw new ParameterException(spec.commandLine(), "online switchover options need --master_state=alive");
        }
    }

    /** {@code --master_state=alive}: the current master, found from the live servers, hands over. */
    private int switchOnline() {
        if (deadMasterHost != null
                || deadMasterIp != null
                || deadMasterPort != null
                || skipSaveMasterBinlog
                || removeDeadMasterConf) {
            throw new ParameterException(spec.commandLine(), "--dead_master_* options need --master_state=dead");
        }
        if (skipLockAllTables) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--skip_lock_all_tables is not supported: without the"
                            + " global read lock, sessions with SUPER could still write to the original master");
        }
        if (runningSecondsLimit != null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--running_seconds_limit is not supported: mha4j checks"
                            + " running updates on the original master (--running_updates_limit) and waits for the new master"
                            + " by GTID");
        }
        ApplicationConfig config = conf.readChecked();
        ManagerLog.configure(Optional.ofNullable(managerLog).or(config::managerLog), config.logLevel());
        PrintWriter out = spec.commandLine().getOut();
        ServerConfig orig;
        try (RemoteShells shells = RemoteShells.forApplication(config)) {
            ReplicationHealth health = new ReplicationCheck(config, shells, Clock.systemUTC())
                    .skipSshCheck(true)
                    .run();
            if (health.topology().isEmpty() || !health.isOk()) {
                health.errors().forEach(f -> out.println("[error] " + f.message()));
                out.println("MySQL Replication Health is NOT OK! Not switching.");
                out.flush();
                return 1;
            }
            orig = health.topology().get().master();
        }
        Optional<ServerConfig> designated = find(config, "--new_master_host", newMasterHost, null, newMasterPort);
        MasterSwitchover.Builder b = MasterSwitchover.builder(config)
                .origMasterIsNewSlave(origMasterIsNewSlave)
                .runningUpdatesLimit(Duration.ofSeconds(runningUpdatesLimit == null ? 1 : runningUpdatesLimit));
        designated.ifPresent(b::newMaster);
        AtomicBoolean rejoined = new AtomicBoolean();
        b.guardListener(e -> {
            rejoined.compareAndSet(false, e.kind() == GuardEvent.Kind.REJOINED);
            synchronized (out) {
                out.println("Guard: " + e);
                out.flush();
            }
        });
        MasterSwitchover switchover = b.build();
        if (checkOnly) {
            List<String> problems = switchover.check(orig);
            problems.forEach(p -> out.println("[error] " + p));
            out.println(
                    problems.isEmpty()
                            ? "Checks passed: a switch from " + orig.displayName() + " would start."
                            : "Checks failed: no switch.");
            out.flush();
            return problems.isEmpty() ? 0 : 1;
        }
        if (interactive != 0) {
            out.printf(
                    "Starting master switch from %s to %s. Writes on %s will be blocked until the new master has"
                            + " every transaction. Proceed? (yes/NO): ",
                    orig.displayName(),
                    designated.map(ServerConfig::displayName).orElse("the server MHA's rules elect"),
                    orig.displayName());
            out.flush();
            String answer = readLine();
            if (!"yes".equalsIgnoreCase(answer == null ? "" : answer.trim())) {
                out.println("Not confirmed; nothing was changed.");
                return 1;
            }
        }
        SwitchoverReport report = switchover.run(orig);
        out.print(report.toText());
        if (report.outcome().promoted() && removeOrigMasterConf && !origMasterIsNewSlave && !rejoined.get()) {
            out.println(ConfHost.delete(conf.conf, orig.block()));
        }
        out.flush();
        return report.outcome().exitCode();
    }

    /** The configured server a host (and port) names; a host no block has is an error naming the option. */
    private Optional<ServerConfig> find(ApplicationConfig config, String option, String host, String ip, Integer port) {
        if (host == null) {
            return Optional.empty();
        }
        var matches = config.servers().stream()
                .filter(s -> s.hostname().equals(host)
                        || (ip != null && s.address().equals(ip))
                        || s.address().equals(host))
                .filter(s -> port == null || s.port() == port)
                .toList();
        if (matches.size() != 1) {
            throw ConfigException.inCode(
                    null,
                    option.substring(2),
                    (matches.isEmpty() ? "no server block has " : "several" + " server blocks have ") + option + "="
                            + host + (port == null ? "" : " and port " + port)
                            + (matches.isEmpty() ? "" : ": give the port as well"));
        }
        return Optional.of(matches.get(0));
    }

    /** MHA's interactive confirmation, before anything is changed. */
    private FailoverHook confirmation(ServerConfig dead, Optional<ServerConfig> designated, PrintWriter out) {
        return new FailoverHook() {
            @Override
            public String name() {
                return "confirmation";
            }

            @Override
            public void beforePhase(FailoverPhase phase, FailoverContext context) {
                if (phase != FailoverPhase.ISOLATE) {
                    return;
                }
                out.printf(
                        "Master %s is dead. Starting master switch to %s. Proceed? (yes/NO): ",
                        dead.displayName(),
                        designated.map(ServerConfig::displayName).orElse("the server MHA's rules elect"));
                out.flush();
                String answer = readLine();
                if (!"yes".equalsIgnoreCase(answer == null ? "" : answer.trim())) {
                    throw new FailoverVetoException(name(), "not confirmed (answer: '" + answer + "')");
                }
            }
        };
    }

    private static String readLine() {
        try {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
