package io.mha4j.cli;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.manager.ManagerStop;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stop}, as {@code masterha_stop}. */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a running manager cleanly.")
final class StopCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfOptions conf;

    @Mixin
    WorkdirOptions workdir;

    @Option(names = "--abort", description = "stop even during a failover; kill after the timeout")
    boolean abort;

    @Option(names = "--abort_timeout", defaultValue = "5", paramLabel = "SECONDS")
    int abortTimeout;

    @Override
    public Integer call() {
        ApplicationConfig config = conf.read();
        ManagerStop result =
                ManagerStop.stop(config.name(), workdir.resolve(config), abort, Duration.ofSeconds(abortTimeout));
        spec.commandLine().getOut().println(result.message());
        spec.commandLine().getOut().flush();
        return result.exitCode();
    }
}
