package io.mha4j.internal.failover;

import io.mha4j.FailoverHook;
import io.mha4j.Mha4jException;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverContext;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.ReplicaOutcome;
import io.mha4j.internal.hook.MhaHookArguments;
import io.mha4j.internal.hook.MhaScript;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.LocalShell;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShell;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MHA's failover scripts, run on the manager's host with MHA 0.58's arguments, so that users'
 * existing {@code master_ip_failover}, power-off and {@code send_report} scripts work unchanged:
 * {@code master_ip_failover_script --command=stop|stopssh} isolates the dead master, {@code
 * shutdown_script} fences it ({@link #fence}, right after, as MHA calls them), {@code
 * master_ip_failover_script --command=start} activates the new one, {@code report_script}
 * receives the report.
 *
 * <p>Exit codes are MHA's (MasterFailover.pm): 0 is success; 10 means "not done, but go on" —
 * for {@code master_ip_failover_script} a script's explicit wish to proceed, for {@code
 * shutdown_script} "the host still answers over SSH and mysqld was stopped there" (0 meaning
 * "powered off"); anything else stops the failover, since the old master might still take
 * writes. A failing report script is only logged. Every script is killed after {@link #TIMEOUT}
 * (MHA waits forever), which counts as a failure.
 */
public final class MhaScriptHook implements FailoverHook {
    private static final Logger log = LoggerFactory.getLogger(MhaScriptHook.class);
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** MHA's "did not do it, but go on". */
    static final int GO_ON = 10;

    private final ApplicationConfig config;
    private final RemoteShell shell;
    private final Duration timeout;
    /**
     * Whether the dead master's host answers over SSH once fenced, as MHA tracks it for the later
     * {@code --command=start} (whose {@code --ssh_options} depend on it): {@code isolate} sets it and
     * the shutdown script's exit code revises it. A failover runs its phases on one thread, one at a time.
     */
    private volatile boolean deadMasterSshReachable = true;

    public MhaScriptHook(ApplicationConfig config) {
        this(config, LocalShell.INSTANCE, TIMEOUT);
    }

    MhaScriptHook(ApplicationConfig config, RemoteShell shell, Duration timeout) {
        this.config = config;
        this.shell = shell;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "mha-scripts";
    }

    @Override
    public void isolate(FailoverContext context, boolean sshReachable) {
        deadMasterSshReachable = sshReachable;
        script(Parameter.MASTER_IP_FAILOVER_SCRIPT)
                .ifPresent(s -> ipFailover(
                        s,
                        MhaHookArguments.ipFailoverStop(context.deadMaster(), sshReachable),
                        "deactivating the master IP"));
    }

    /**
     * {@code shutdown_script}, right after {@link #isolate}'s IP deactivation as in MHA. Exit 0
     * (powered off) and 10 (its host answers SSH and its mysqld was killed — what MHA's own
     * {@code power_manager --command=stopssh} returns) both fence the dead master.
     */
    @Override
    public boolean fence(FailoverContext context, boolean sshReachable) {
        ServerConfig dead = context.deadMaster();
        Optional<MhaScript> script = script(Parameter.SHUTDOWN_SCRIPT);
        if (script.isEmpty()) {
            log.warn("shutdown_script is not set. Skipping explicit shutting down of the dead master.");
            return false;
        }
        String what = "shutting down the dead master";
        CommandResult r = run(script.get(), MhaHookArguments.shutdown(dead, sshReachable), what);
        if (r.exitCode() == 0) {
            log.info("shutdown_script: {} powered off", dead.displayName());
            deadMasterSshReachable = false;
            return true;
        }
        if (r.exitCode() == GO_ON) {
            log.info("shutdown_script exited 10: {} answers over SSH and its mysqld was shut down", dead.displayName());
            deadMasterSshReachable = true;
            return true;
        }
        throw failure(script.get(), what, r);
    }

    @Override
    public void activate(FailoverContext context) {
        script(Parameter.MASTER_IP_FAILOVER_SCRIPT)
                .ifPresent(s -> ipFailover(
                        s,
                        MhaHookArguments.ipFailoverStart(
                                context.deadMaster(), deadMasterSshReachable, context.requireNewMaster()),
                        "activating the master IP"));
    }

    @Override
    public void report(FailoverContext context, FailoverReport report) {
        Optional<MhaScript> script = script(Parameter.REPORT_SCRIPT);
        if (script.isEmpty()) {
            return;
        }
        // MHA names the new master and the recovered replicas only once a new master was activated.
        Optional<String> newHost =
                report.outcome().promoted() ? context.newMaster().map(ServerConfig::hostname) : Optional.empty();
        try {
            CommandResult r = run(
                    script.get(),
                    MhaHookArguments.report(
                            context.deadMaster().hostname(),
                            newHost,
                            report.replicas().stream()
                                    .filter(ReplicaOutcome::recovered)
                                    .map(ReplicaOutcome::host)
                                    .toList(),
                            config.files().map(f -> f.applicationFile().toString()),
                            report.subject(),
                            report.toText()),
                    "sending the report");
            if (!r.succeeded()) {
                log.warn(
                        "report_script {} exited {}; the report was not sent{}",
                        script.get().program(),
                        r.exitCode(),
                        said(r));
            }
        } catch (RuntimeException e) {
            // An observer: a report that cannot be sent never changes the failover's outcome.
            log.warn("{}; the report was not sent", e.getMessage());
        }
    }

    private Optional<MhaScript> script(Parameter<String> parameter) {
        return config.get(parameter).map(line -> new MhaScript(parameter, line));
    }

    /** Runs the script; one that cannot start or overruns throws. */
    private CommandResult run(MhaScript script, Consumer<RemoteCommand.Builder> arguments, String what) {
        RemoteCommand command = script.command(arguments);
        // The report's command line holds the whole multi-line body: one log line names the script instead.
        log.info("{}: {}", what, script.parameter() == Parameter.REPORT_SCRIPT ? script.program() : command);
        CommandResult r;
        try {
            r = shell.run(command, timeout);
        } catch (RuntimeException e) {
            // The command line was logged just above; the message names the program only (a report's is pages long).
            throw new Mha4jException(
                    script.parameter().name() + " " + script.program() + " failed while " + what + ": "
                            + String.valueOf(e.getMessage()).replace(command.toString(), script.program()),
                    e);
        }
        return r;
    }

    /** MHA's rule for master_ip_failover_script: 0 done, 10 go on with a warning, anything else stops. */
    private void ipFailover(MhaScript script, Consumer<RemoteCommand.Builder> arguments, String what) {
        CommandResult r = run(script, arguments, what);
        if (r.exitCode() == GO_ON) {
            log.warn(
                    "{} exited 10 while {}: going on, as MHA does{}",
                    script.parameter().name(),
                    what,
                    said(r));
        } else if (r.exitCode() != 0) {
            throw failure(script, what, r);
        }
    }

    private static Mha4jException failure(MhaScript script, String what, CommandResult r) {
        return new Mha4jException(script.parameter().name() + " " + script.program() + " exited " + r.exitCode()
                + " while " + what + said(r));
    }

    /** The script's first line on stderr, which usually says why. */
    private static String said(CommandResult r) {
        return r.firstErrorLine().isEmpty() ? "" : ": " + r.firstErrorLine();
    }
}
