package io.mha4j.samples.recipes;

import io.mha4j.ClusterMonitor;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.monitor.MonitorListener;
import io.mha4j.monitor.PingOutcome;
import io.mha4j.monitor.Verdict;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * Recipe: a host application builds its configuration in code (no app1.cnf), starts the
 * monitor, and receives pings and verdicts through a listener. Here the "cluster" is a
 * sandbox of real MariaDB servers; its master is killed to show the DEAD verdict arrive.
 *
 * <p>Run: {@code java -cp samples/target/mha4j.jar io.mha4j.samples.recipes.EmbeddedMonitorRecipe}
 */
public final class EmbeddedMonitorRecipe {
    private EmbeddedMonitorRecipe() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(System.out) != null ? 0 : 1);
    }

    /** Returns the DEAD verdict. */
    public static Verdict run(PrintStream out) throws Exception {
        try (SandboxCluster cluster = SandboxCluster.builder().nodes(3).start()) {
            ApplicationConfig.Builder config = ApplicationConfig.builder("embedded")
                    .user(SandboxCredentials.ADMIN.user())
                    .password(SandboxCredentials.ADMIN.password())
                    .pingInterval(1);
            for (SandboxNode n : cluster.nodes()) {
                config.server("db" + n.index(), s -> s.hostname(n.host()).port(n.port()));
            }
            ApplicationConfig app = config.build();

            MonitorListener printer = new MonitorListener() {
                @Override
                public void onPing(PingOutcome ping) {
                    out.println("ping " + (ping.ok() ? "ok" : "failed: " + ping.detail()) + " in "
                            + ping.took().toMillis() + " ms");
                }

                @Override
                public void onVerdict(Verdict verdict) {
                    out.println("verdict " + verdict.kind() + ": " + verdict.reason());
                }
            };
            try (ClusterMonitor monitor = ClusterMonitor.builder(
                            app, app.server("db1").orElseThrow())
                    .listener(printer)
                    .build()) {
                monitor.start();
                cluster.node(1).kill();
                Verdict dead = monitor.failoverVerdict().get(60, TimeUnit.SECONDS);
                out.println("The application would now fail over " + dead.master());
                return dead;
            }
        }
    }
}
