package io.mha4j.cli;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.manager.StatusCheck;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code check_status}, as {@code masterha_check_status}: MHA's line, and the status number as exit code. */
@Command(
        name = "check_status",
        mixinStandardHelpOptions = true,
        description = "Print the manager's status; exit code is MHA's status number (0 PING_OK, 2 NOT_RUNNING, …).")
final class CheckStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfOptions conf;

    @Mixin
    WorkdirOptions workdir;

    @Override
    public Integer call() {
        ApplicationConfig config = conf.read();
        StatusCheck check = StatusCheck.of(
                config.name(),
                workdir.resolve(config),
                config.pingInterval(),
                config.managerLog().map(Object::toString),
                Instant.now());
        PrintWriter out = spec.commandLine().getOut();
        check.lines().forEach(out::println);
        out.flush();
        return check.status().code();
    }
}
