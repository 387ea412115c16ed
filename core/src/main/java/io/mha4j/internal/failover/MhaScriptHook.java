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
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MHA's failover scripts, run on the manager's host with MHA's arguments, so that users'
 * existing {@code master_ip_failover}, power-off and {@code send_report} scripts work unchanged:
 * {@code master_ip_failover_script --command=stop|stopssh} and {@code shutdown_script} fence the
 * dead master, {@code master_ip_failover_script --command=start} activates the new one,
 * {@code report_script} receives the report. A fencing or activation script that fails stops the
 * failover (MHA's rule); exit code 10 from {@code shutdown_script} means "not powered off, but
 * safe to go on" as in MHA; a failing report script is only logged.
 */
public final class MhaScriptHook implements FailoverHook {
    private static final Logger log = LoggerFactory.getLogger(MhaScriptHook.class);
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Set<Integer> SHUTDOWN_GO_ON = Set.of(0, 10);

    private final ApplicationConfig config;
    private final RemoteShell shell;

    public MhaScriptHook(ApplicationConfig config) {
        this(config, LocalShell.INSTANCE);
    }

    MhaScriptHook(ApplicationConfig config, RemoteShell shell) {
        this.config = config;
        this.shell = shell;
    }

    @Override
    public String name() {
        return "mha-scripts";
    }

    @Override
    public void isolate(FailoverContext context, boolean sshReachable) {
        ServerConfig dead = context.deadMaster();
        script(Parameter.MASTER_IP_FAILOVER_SCRIPT).ifPresent(s -> require(s,
                MhaHookArguments.ipFailoverStop(dead, sshReachable), Set.of(0), "deactivating the master IP"));
        script(Parameter.SHUTDOWN_SCRIPT).ifPresent(s -> require(s, MhaHookArguments.shutdown(dead, sshReachable),
                SHUTDOWN_GO_ON, "shutting down the dead master"));
    }

    @Override
    public void activate(FailoverContext context) {
        script(Parameter.MASTER_IP_FAILOVER_SCRIPT).ifPresent(s -> require(s,
                MhaHookArguments.ipFailoverStart(context.deadMaster(), context.requireNewMaster()), Set.of(0),
                "activating the master IP"));
    }

    @Override
    public void report(FailoverContext context, FailoverReport report) {
        Optional<MhaScript> script = script(Parameter.REPORT_SCRIPT);
        if (script.isEmpty()) {
            return;
        }
        String deadHost = context.deadMaster().hostname();
        Optional<String> newHost = report.outcome().promoted() ? context.newMaster().map(ServerConfig::hostname)
                : Optional.empty();
        RemoteCommand command = script.get().command(MhaHookArguments.report(deadHost, newHost,
                report.replicas().stream().filter(ReplicaOutcome::recovered).map(ReplicaOutcome::host).toList(),
                config.files().map(f -> f.applicationFile().toString()), report.subject(), report.toText()));
        try {
            CommandResult r = shell.run(command, TIMEOUT);
            if (r.succeeded()) {
                log.info("report_script sent the report ({} ms)", r.took().toMillis());
            } else {
                log.warn("report_script {} exited {}: {}", script.get().program(), r.exitCode(), r.firstErrorLine());
            }
        } catch (RuntimeException e) {
            log.warn("report_script {} failed: {}", script.get().program(), e.getMessage());
        }
    }

    private Optional<MhaScript> script(Parameter<String> parameter) {
        return config.get(parameter).map(line -> new MhaScript(parameter, line));
    }

    private void require(MhaScript script, Consumer<RemoteCommand.Builder> arguments, Set<Integer> goOn,
            String what) {
        RemoteCommand command = script.command(arguments);
        log.info("{}: {}", what, command);
        CommandResult r;
        try {
            r = shell.run(command, TIMEOUT);
        } catch (RuntimeException e) {
            throw new Mha4jException(script.parameter().name() + " failed while " + what + ": " + e.getMessage(), e);
        }
        if (!goOn.contains(r.exitCode())) {
            throw new Mha4jException(script.parameter().name() + " failed while " + what + " with exit code "
                    + r.exitCode() + (r.firstErrorLine().isEmpty() ? "" : ": " + r.firstErrorLine()) + " (" + command
                    + ")");
        }
        if (r.exitCode() != 0) {
            log.warn("{} exited {} while {}: going on, as MHA does", script.parameter().name(), r.exitCode(), what);
        }
    }
}
