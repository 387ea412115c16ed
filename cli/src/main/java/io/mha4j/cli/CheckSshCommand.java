package io.mha4j.cli;

import io.mha4j.check.CheckText;
import io.mha4j.check.SshCheck;
import io.mha4j.check.SshCheckResult;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.remote.RemoteShells;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code check_ssh}, as {@code masterha_check_ssh}: every SSH route recovery needs. */
@Command(
        name = "check_ssh",
        mixinStandardHelpOptions = true,
        description = "Check SSH from the manager to every host and between every pair of hosts.")
final class CheckSshCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfOptions conf;

    @Override
    public Integer call() {
        ApplicationConfig config = conf.readChecked();
        // MHA's check tools log to stderr.
        PrintWriter out = spec.commandLine().getErr();
        config.warnings()
                .forEach(w ->
                        out.println(new CheckText(Clock.systemDefaultZone()).line(io.mha4j.check.Severity.WARNING, w)));
        try (RemoteShells shells = RemoteShells.forApplication(config)) {
            SshCheckResult result = new SshCheck(config, shells).run();
            new CheckText(Clock.systemDefaultZone()).ssh(result).forEach(out::println);
            out.flush();
            return result.isOk() ? 0 : 1;
        }
    }
}
