package io.mha4j.cli;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.coordination.Coordination;
import io.mha4j.coordination.FailoverRecord;
import io.mha4j.failover.FailoverGuard;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code acknowledge_failover}: clears the anti-flap block (a failed or recent failover) on
 * purpose. MHA's way is to delete the flag file by hand; this keeps who and why.
 */
@Command(
        name = "acknowledge_failover",
        mixinStandardHelpOptions = true,
        description = "Clear the block left by a failed or recent failover, recording who and why.")
final class AcknowledgeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfOptions conf;

    @Mixin
    WorkdirOptions workdir;

    @Option(names = "--reason", required = true, description = "why the next failover may go ahead")
    String reason;

    @Override
    public Integer call() {
        ApplicationConfig config = conf.read();
        Instant now = Instant.now();
        String who = System.getProperty("user.name");
        // Managers of several keep the anti-flap state in their shared record too: whichever leads honours it.
        // First: if it refuses (a failover still running), the flag files stay as they are.
        boolean shared;
        try (Coordination coordination = Coordination.of(config)) {
            shared = coordination.acknowledge(new FailoverRecord.Acknowledgement(now, who, reason));
        }
        List<Path> removed = new FailoverGuard(workdir.resolve(config), config.name()).acknowledge(now, who, reason);
        spec.commandLine()
                .getOut()
                .println(
                        removed.isEmpty() && !shared
                                ? "No failover block for " + config.name() + "; the acknowledgment was recorded."
                                : "Removed " + removed + (shared ? ", acknowledged the managers' shared record" : "")
                                        + "; automatic failover of " + config.name() + " is allowed again.");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
