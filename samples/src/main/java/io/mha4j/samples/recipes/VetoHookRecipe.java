package io.mha4j.samples.recipes;

import io.mha4j.FailoverHook;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.failover.FailoverContext;
import io.mha4j.failover.FailoverPhase;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.FailoverVetoException;
import io.mha4j.failover.MasterFailover;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Recipe: a {@link FailoverHook} that vetoes a failover while a maintenance flag file exists —
 * say, during a planned restart of the master. The veto comes before anything is changed; the
 * report says who vetoed and why.
 */
public final class VetoHookRecipe {
    private VetoHookRecipe() {}

    /** Vetoes while {@code flag} exists. */
    public static final class MaintenanceVeto implements FailoverHook {
        private final Path flag;

        public MaintenanceVeto(Path flag) {
            this.flag = flag;
        }

        @Override
        public String name() {
            return "maintenance-veto";
        }

        @Override
        public void beforePhase(FailoverPhase phase, FailoverContext context) {
            if (phase == FailoverPhase.ISOLATE && Files.exists(flag)) {
                throw new FailoverVetoException(name(), "maintenance in progress (" + flag + ")");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(System.out).outcome() == FailoverReport.Outcome.REFUSED ? 0 : 1);
    }

    public static FailoverReport run(PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("mha4j-recipe");
        Path flag = Files.createFile(dir.resolve("maintenance"));
        try (SandboxCluster cluster = SandboxCluster.builder().nodes(3).start()) {
            ApplicationConfig.Builder config = ApplicationConfig.builder("veto")
                    .user(SandboxCredentials.ADMIN.user())
                    .password(SandboxCredentials.ADMIN.password())
                    .replUser(SandboxCredentials.REPLICATION.user())
                    .replPassword(SandboxCredentials.REPLICATION.password())
                    .managerWorkdir(dir)
                    .set(Parameter.REMOTE_SHELL, "local");
            for (SandboxNode n : cluster.nodes()) {
                config.server("db" + n.index(), s -> s.hostname(n.host()).port(n.port()));
            }
            ApplicationConfig app = config.build();
            cluster.node(1).stop();
            FailoverReport report = MasterFailover.builder(app)
                    .hook(new MaintenanceVeto(flag))
                    .build()
                    .run(app.server("db1").orElseThrow());
            out.println(report.toText());
            return report;
        }
    }
}
