package io.mha4j.samples.recipes;

import io.mha4j.MasterElector;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.failover.Candidate;
import io.mha4j.failover.Election;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.MasterFailover;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recipe: a custom {@link MasterElector}, found by {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/io.mha4j.MasterElector}) and selected by name with
 * {@code master_elector=same-rack} — here, "prefer a server whose node_label names the dead
 * master's rack". Whatever it elects, the failover still catches the winner up from the latest
 * replica, so the choice costs no transaction.
 */
public final class CustomElectorRecipe {
    private CustomElectorRecipe() {}

    /** Elects the first candidate whose {@code node_label} is {@code rack-a}, else the first candidate. */
    public static final class SameRackElector implements MasterElector {
        @Override
        public String name() {
            return "same-rack";
        }

        @Override
        public Election elect(List<Candidate> candidates) {
            Map<String, String> losers = new LinkedHashMap<>();
            Candidate winner = candidates.stream()
                    .filter(c -> c.relayLogApplied() && !c.server().noMaster())
                    .filter(c -> c.server().nodeLabel().filter("rack-a"::equals).isPresent())
                    .findFirst()
                    .orElse(candidates.get(0));
            candidates.stream().filter(c -> c != winner)
                    .forEach(c -> losers.put(c.server().block(), "not in rack-a"));
            return Election.won(winner.server(), "in the dead master's rack (rack-a)", losers);
        }
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(System.out).outcome().exitCode());
    }

    public static FailoverReport run(PrintStream out) throws Exception {
        try (SandboxCluster cluster = SandboxCluster.builder().nodes(3).start()) {
            ApplicationConfig.Builder config = ApplicationConfig.builder("rack")
                    .user(SandboxCredentials.ADMIN.user()).password(SandboxCredentials.ADMIN.password())
                    .replUser(SandboxCredentials.REPLICATION.user())
                    .replPassword(SandboxCredentials.REPLICATION.password())
                    .managerWorkdir(Files.createTempDirectory("mha4j-recipe"))
                    .set(Parameter.REMOTE_SHELL, "local")
                    .set(Parameter.MASTER_ELECTOR, "same-rack");
            for (SandboxNode n : cluster.nodes()) {
                config.server("db" + n.index(), s -> s.hostname(n.host()).port(n.port())
                        .masterBinlogDirs(List.of(n.dataDir().toString()))
                        .set(Parameter.NODE_LABEL, n.index() == 3 ? "rack-a" : "rack-b"));
            }
            ApplicationConfig app = config.build();
            cluster.node(1).kill();
            FailoverReport report = MasterFailover.builder(app).build().run(app.server("db1").orElseThrow());
            out.println(report.toText());
            return report;
        }
    }
}
