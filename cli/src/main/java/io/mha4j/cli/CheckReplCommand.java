package io.mha4j.cli;

import io.mha4j.check.CheckText;
import io.mha4j.check.ReplicationCheck;
import io.mha4j.check.ReplicationHealth;
import io.mha4j.check.Severity;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.remote.RemoteShells;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code check_repl}, as {@code masterha_check_repl}; the last line is MHA's verdict. */
@Command(
        name = "check_repl",
        mixinStandardHelpOptions = true,
        description = "Check replication health: topology, threads, settings, errant GTIDs, scripts, SSH.")
final class CheckReplCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfOptions conf;

    @Option(
            names = {"--skip_ssh_check", "--skip_check_ssh"},
            description = "do not check SSH")
    boolean skipSshCheck;

    @Option(
            names = "--seconds_behind_master",
            paramLabel = "N",
            defaultValue = "30",
            description = "a replica further behind is an error (default: ${DEFAULT-VALUE})")
    long secondsBehindMaster;

    @Option(
            names = "--ignore_fail_on_start",
            description = "tolerate dead servers whose block says ignore_fail=1 (as MHA)")
    boolean ignoreFailOnStart;

    // Accepted because MHA's check_repl takes every manager option; they do not change a check.
    @Option(
            names = {
                "--workdir",
                "--manager_workdir",
                "--log_output",
                "--manager_log",
                "--interactive",
                "--wait_on_monitor_error",
                "--wait_on_failover_error",
                "--last_failover_minute"
            },
            hidden = true,
            paramLabel = "VALUE")
    List<String> ignoredManagerOptions;

    @Option(
            names = {
                "--check_only",
                "--ignore_last_failover",
                "--remove_dead_master_conf",
                "--ignore_binlog_server_error"
            },
            hidden = true)
    List<Boolean> ignoredManagerFlags;

    @Override
    public Integer call() {
        ApplicationConfig config = conf.readChecked();
        CheckText text = new CheckText(Clock.systemDefaultZone());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter log = spec.commandLine().getErr();
        config.warnings().forEach(w -> log.println(text.line(Severity.WARNING, w)));
        try (RemoteShells shells = RemoteShells.forApplication(config)) {
            ReplicationHealth health = new ReplicationCheck(config, shells, Clock.systemUTC())
                    .skipSshCheck(skipSshCheck)
                    .secondsBehindMaster(secondsBehindMaster)
                    .ignoreFailOnStart(ignoreFailOnStart)
                    .run();
            CheckText.Rendered rendered = text.replication(health);
            rendered.log().forEach(log::println);
            log.flush();
            rendered.verdict().forEach(out::println);
            out.flush();
            return health.isOk() ? 0 : 1;
        }
    }
}
