package io.mha4j.samples.recipes;

import io.mha4j.MasterElector;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.failover.Candidate;
import io.mha4j.failover.Election;
import io.mha4j.failover.ElectionContext;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.MasterFailover;
import io.mha4j.spi.MasterElectorProvider;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recipe: a custom {@link MasterElector}, found by {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/io.mha4j.spi.MasterElectorProvider}: stateless, it is its own provider) and selected by name with
 * {@code master_elector=same-rack} — here, "prefer a server in the dead master's rack", the rack
 * being each server's {@code node_label}: the {@link ElectionContext} names the dead master and
 * carries the whole configuration, a plugin's own parameters included. Whatever it elects, the failover still catches the winner up from the latest
 * replica, so the choice costs no transaction.
 */
public final class CustomElectorRecipe {
    private CustomElectorRecipe() {}

    /**
     * Elects the first candidate whose {@code node_label} is the dead master's, else the first
     * candidate MHA's rules would allow (a server whose relay log is applied and is not
     * {@code no_master}).
     */
    public static final class SameRackElector implements MasterElector, MasterElectorProvider {
        @Override
        public String name() {
            return "same-rack";
        }

        /** Holds nothing of one application: its own provider. */
        @Override
        public MasterElector create(ApplicationConfig config) {
            return this;
        }

        @Override
        public Election elect(ElectionContext context) {
            Optional<String> rack = context.master().nodeLabel();
            List<Candidate> eligible = context.candidates().stream()
                    .filter(c -> c.relayLogApplied() && !c.server().noMaster())
                    .toList();
            Map<String, String> losers = new LinkedHashMap<>();
            context.candidates().stream()
                    .filter(c -> !eligible.contains(c))
                    .forEach(c -> losers.put(c.server().block(), "relay log not applied, or no_master=1"));
            if (eligible.isEmpty()) {
                return Election.none("no replica may become master", losers);
            }
            Optional<Candidate> sameRack = eligible.stream()
                    .filter(c -> rack.isPresent() && c.server().nodeLabel().equals(rack))
                    .findFirst();
            Candidate winner = sameRack.orElse(eligible.get(0));
            eligible.stream()
                    .filter(c -> c != winner)
                    .forEach(c -> losers.put(
                            c.server().block(), "not in the dead master's rack (" + rack.orElse("none") + ")"));
            return Election.won(
                    winner.server(),
                    sameRack.isPresent()
                            ? "in the dead master's rack (" + rack.get() + ")"
                            : "no eligible replica in the dead master's rack (" + rack.orElse("none")
                                    + "): the first one",
                    losers);
        }
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(System.out).outcome().exitCode());
    }

    public static FailoverReport run(PrintStream out) throws Exception {
        try (SandboxCluster cluster = SandboxCluster.builder().nodes(3).start()) {
            ApplicationConfig.Builder config = ApplicationConfig.builder("rack")
                    .user(SandboxCredentials.ADMIN.user())
                    .password(SandboxCredentials.ADMIN.password())
                    .replUser(SandboxCredentials.REPLICATION.user())
                    .replPassword(SandboxCredentials.REPLICATION.password())
                    .managerWorkdir(Files.createTempDirectory("mha4j-recipe"))
                    .set(Parameter.REMOTE_SHELL, "local")
                    .set(Parameter.MASTER_ELECTOR, "same-rack");
            for (SandboxNode n : cluster.nodes()) {
                config.server(
                        "db" + n.index(),
                        s -> s.hostname(n.host())
                                .port(n.port())
                                .masterBinlogDirs(List.of(n.dataDir().toString()))
                                .set(Parameter.NODE_LABEL, n.index() == 2 ? "rack-b" : "rack-a"));
            }
            ApplicationConfig app = config.build();
            cluster.node(1).kill();
            FailoverReport report =
                    MasterFailover.builder(app).build().run(app.server("db1").orElseThrow());
            out.println(report.toText());
            return report;
        }
    }
}
