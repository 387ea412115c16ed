package io.mha4j.samples.cli;

import io.mha4j.check.CheckText;
import io.mha4j.check.ReplicationCheck;
import io.mha4j.check.ReplicationHealth;
import io.mha4j.check.Severity;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.remote.RemoteShells;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code check_repl}, as {@code masterha_check_repl}; the last line is MHA's verdict. */
@Command(name = "check_repl", mixinStandardHelpOptions = true,
        description = "Check replication health: topology, threads, settings, errant GTIDs, scripts, SSH.")
final class CheckReplCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfOptions conf;

    @Option(names = {"--skip_ssh_check", "--skip_check_ssh"}, description = "do not check SSH")
    boolean skipSshCheck;

    @Option(names = "--seconds_behind_master", paramLabel = "N", defaultValue = "30",
            description = "a replica further behind is an error (default: ${DEFAULT-VALUE})")
    long secondsBehindMaster;

    @Override
    public Integer call() {
        ApplicationConfig config = conf.read();
        CheckText text = new CheckText(Clock.systemDefaultZone());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter log = spec.commandLine().getErr();
        config.warnings().forEach(w -> log.println(text.line(Severity.WARNING, w)));
        try (RemoteShells shells = RemoteShells.forApplication(config)) {
            ReplicationHealth health = new ReplicationCheck(config, shells, Clock.systemUTC())
                    .skipSshCheck(skipSshCheck)
                    .secondsBehindMaster(secondsBehindMaster)
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
