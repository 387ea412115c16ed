package io.mha4j.internal.guard;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.guard.GuardEvent;
import io.mha4j.guard.GuardEvent.Kind;
import io.mha4j.internal.hook.MhaHookArguments;
import io.mha4j.internal.hook.MhaScript;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.RemoteShell;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MHA users get their mail from {@code report_script}: it is called, with MHA's arguments, for
 * the guard's events a human must hear about — a server parked (what to decide), rejoined by
 * mha4j, left alone by a hook's veto, or not fenced because fencing failed — not for the fence
 * itself, which is always followed by one of these. {@code --orig_master_host} is the guarded
 * server, {@code --new_master_host} the current master, {@code --new_slave_hosts} the server
 * when it rejoined. An observer: a failing script is only logged.
 */
public final class GuardReportScript implements Consumer<GuardEvent> {
    private static final Logger log = LoggerFactory.getLogger(GuardReportScript.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Set<Kind> REPORTED = Set.of(Kind.PARKED, Kind.REJOINED, Kind.LEFT_ALONE, Kind.FENCE_FAILED);

    private final ApplicationConfig config;
    private final MhaScript script;
    private final RemoteShell shell;

    private GuardReportScript(ApplicationConfig config, MhaScript script, RemoteShell shell) {
        this.config = config;
        this.script = script;
        this.shell = shell;
    }

    /** The reporter, when {@code report_script} is configured. */
    public static Optional<Consumer<GuardEvent>> of(ApplicationConfig config, RemoteShell shell) {
        return config.get(Parameter.REPORT_SCRIPT)
                .map(line -> new GuardReportScript(config, new MhaScript(Parameter.REPORT_SCRIPT, line), shell));
    }

    @Override
    public void accept(GuardEvent e) {
        if (!REPORTED.contains(e.kind())) {
            return;
        }
        String masterHost = config.servers().stream()
                .filter(s -> s.displayName().equals(e.master()))
                .findFirst()
                .map(ServerConfig::hostname)
                .orElse(e.master());
        String subject = config.name() + ": mha4j guard: " + e.serverName() + " "
                + e.kind().name().toLowerCase().replace('_', ' ') + " (master " + e.master() + ")";
        String body = subject + "\n\n" + e.detail() + "\n"
                + (e.actions().isEmpty() ? "" : "Fencing: " + String.join(", ", e.actions()) + "\n");
        try {
            CommandResult r = shell.run(
                    script.command(MhaHookArguments.report(
                            e.server().hostname(),
                            Optional.of(masterHost),
                            e.kind() == Kind.REJOINED ? List.of(e.server().hostname()) : List.of(),
                            config.files().map(f -> f.applicationFile().toString()),
                            subject,
                            body)),
                    TIMEOUT);
            if (!r.succeeded()) {
                log.warn("report_script {} exited {} for {}; not sent", script.program(), r.exitCode(), subject);
            }
        } catch (RuntimeException ex) {
            log.warn("report_script {} failed for {}; not sent: {}", script.program(), subject, ex.getMessage());
        }
    }
}
