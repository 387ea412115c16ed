package io.mha4j.internal.check;

import io.mha4j.check.Finding;
import io.mha4j.check.FindingKind;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.internal.hook.MhaHookArguments;
import io.mha4j.internal.hook.MhaScript;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.LocalShell;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteFile;
import io.mha4j.remote.RemoteShellException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Checks MHA's external scripts on the manager: each configured one exists and is executable,
 * and the two MHA asks for a status ({@code master_ip_failover_script},
 * {@code shutdown_script}) answer {@code --command=status} with exit code 0.
 */
public final class HookScriptCheck {
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(60);
    private static final List<Parameter<String>> SCRIPTS = List.of(
            Parameter.MASTER_IP_FAILOVER_SCRIPT,
            Parameter.SHUTDOWN_SCRIPT,
            Parameter.REPORT_SCRIPT,
            Parameter.MASTER_IP_ONLINE_CHANGE_SCRIPT,
            Parameter.SECONDARY_CHECK_SCRIPT);

    /** Each configured script: there, executable, and answering {@code --command=status}. */
    public List<Finding> check(ApplicationConfig config, ServerConfig master) {
        List<Finding> findings = new ArrayList<>();
        for (Parameter<String> p : SCRIPTS) {
            Optional<String> value = config.get(p);
            if (value.isEmpty()) {
                if (p == Parameter.MASTER_IP_FAILOVER_SCRIPT || p == Parameter.SHUTDOWN_SCRIPT) {
                    findings.add(Finding.warning(FindingKind.SCRIPT_NOT_DEFINED, null, p.name() + " is not defined."));
                }
                if (p == Parameter.SHUTDOWN_SCRIPT
                        && config.value(Parameter.FAILOVER_HOOKS).isEmpty()) {
                    findings.add(Finding.warning(
                            FindingKind.SCRIPT_NOT_DEFINED,
                            null,
                            "Without a fence (shutdown_script,"
                                    + " or a STONITH hook in failover_hooks) a master that may still be alive is not failed"
                                    + " over: a frozen mysqld whose host answers SSH, and — unless failover_without_fence=1 — a"
                                    + " master no vantage point reaches (powered off, or cut off from everyone)."));
                }
                continue;
            }
            MhaScript script = new MhaScript(p, value.get());
            if (!usable(script, findings)) {
                continue;
            }
            if (p == Parameter.MASTER_IP_FAILOVER_SCRIPT) {
                status(script, MhaHookArguments.ipFailoverStatus(master), findings);
            } else if (p == Parameter.SHUTDOWN_SCRIPT) {
                status(script, MhaHookArguments.shutdownStatus(master), findings);
            }
        }
        return findings;
    }

    private static boolean usable(MhaScript script, List<Finding> findings) {
        Optional<Path> path = script.resolve();
        Optional<RemoteFile> file = path.flatMap(p -> LocalShell.INSTANCE.stat(p.toString()));
        if (file.isEmpty()) {
            findings.add(Finding.error(
                    FindingKind.SCRIPT_MISSING,
                    null,
                    script.parameter().name() + " " + script.program() + " does not exist"
                            + (path.isEmpty() ? " on PATH" : "")));
            return false;
        }
        if (!file.get().isExecutable()) {
            findings.add(Finding.error(
                    FindingKind.SCRIPT_NOT_EXECUTABLE,
                    null,
                    script.parameter().name() + " " + path.get() + " is not executable (chmod +x it)"));
            return false;
        }
        return true;
    }

    private void status(MhaScript script, Consumer<RemoteCommand.Builder> args, List<Finding> findings) {
        RemoteCommand command = script.command(args);
        try {
            CommandResult r = LocalShell.INSTANCE.run(command, STATUS_TIMEOUT);
            if (r.succeeded()) {
                findings.add(Finding.info(
                        FindingKind.TOPOLOGY,
                        null,
                        "Checking " + script.parameter().name() + " status: " + command + " OK."));
            } else {
                findings.add(Finding.error(
                        FindingKind.SCRIPT_STATUS_FAILED,
                        null,
                        "Failed to get "
                                + script.parameter().name() + " status with return code " + r.exitCode() + ":0."
                                + (r.firstErrorLine().isEmpty() ? "" : " " + r.firstErrorLine()) + " (" + command
                                + ")"));
            }
        } catch (RemoteShellException e) {
            findings.add(Finding.error(
                    FindingKind.SCRIPT_STATUS_FAILED,
                    null,
                    script.parameter().name() + " --command=status failed: " + e.getMessage()));
        }
    }
}
