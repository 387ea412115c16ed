package io.mha4j.samples.cli;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.ServerConnection;
import io.mha4j.server.ServerState;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The README's first command. For now: start a sandbox cluster of real MariaDB servers on
 * loopback, show that replication works, read every server's state through mha4j, and stop.
 * Exits 0 only when a row written on the master reached every replica.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a sandbox cluster of real MariaDB servers on 127.0.0.1, show replication, stop it.")
final class DemoCommand implements Callable<Integer> {
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Option(names = "--nodes", defaultValue = "3", description = "number of servers (default: ${DEFAULT-VALUE})")
    int nodes;

    @Override
    public Integer call() throws SQLException {
        if (nodes < 2 || nodes > 9) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--nodes must be 2 to 9");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Starting %d MariaDB servers on 127.0.0.1 (replicas follow node1 by GTID)…%n", nodes);
        out.flush();
        long started = System.nanoTime();
        try (SandboxCluster cluster = SandboxCluster.builder().nodes(nodes).start()) {
            out.printf("Sandbox ready in %d ms: %s%n%n", (System.nanoTime() - started) / 1_000_000, cluster.directory());
            SandboxNode master = cluster.master();
            String greeting = "hello from " + master.name() + " at " + java.time.Instant.now();
            write(master, greeting);
            out.printf("Wrote on the master %s, as the application user: \"%s\"%n", master.name(), greeting);
            cluster.awaitReplicasCaughtUp(CATCH_UP);

            out.printf("%nWhat mha4j reads of each server:%n");
            boolean everywhere = true;
            for (SandboxNode node : cluster.nodes()) {
                ServerState state = read(node);
                boolean hasRow = !node.query("SELECT id FROM demo.greetings WHERE message = '"
                        + greeting.replace("'", "''") + "'").isEmpty();
                everywhere &= hasRow;
                out.println(describe(node, state, hasRow));
            }
            out.println();
            out.println(everywhere
                    ? "Replication works: the row is on every server."
                    : "Replication FAILED: the row is missing on some server.");
            out.println("Stopping the sandbox and removing its directories…");
            out.flush();
            return everywhere ? 0 : 1;
        }
    }

    private static void write(SandboxNode master, String message) throws SQLException {
        master.execute("CREATE DATABASE IF NOT EXISTS demo",
                "CREATE TABLE IF NOT EXISTS demo.greetings (id INT AUTO_INCREMENT PRIMARY KEY, message VARCHAR(200))");
        try (Connection c = master.connect(SandboxCredentials.APPLICATION);
                PreparedStatement st = c.prepareStatement("INSERT INTO demo.greetings (message) VALUES (?)")) {
            st.setString(1, message);
            st.executeUpdate();
        }
    }

    private static ServerState read(SandboxNode node) {
        ServerConfig config = ApplicationConfig.builder("demo")
                .user(SandboxCredentials.ADMIN.user()).password(SandboxCredentials.ADMIN.password())
                .server(node.name(), s -> s.hostname(node.host()).port(node.port()))
                .build().servers().get(0);
        try (ServerConnection c = ServerConnection.open(config, Clock.systemUTC())) {
            return c.readState();
        }
    }

    private static String describe(SandboxNode node, ServerState s, boolean hasRow) {
        String role = s.replica().map(r -> "replica of " + r.source() + threads(r)).orElse("master (writable)");
        return String.join("\n", List.of(
                String.format("  %s  127.0.0.1:%d  server_id=%d  %s  %s", node.name(), node.port(), s.serverId(),
                        s.version(), role),
                String.format("         read_only=%s  gtid_binlog_pos=%s  gtid_current_pos=%s  row present: %s",
                        s.readOnly() ? "ON" : "OFF", s.gtid().binlogPos().map(Object::toString).orElse(""),
                        s.gtid().executed(), hasRow ? "yes" : "NO")));
    }

    private static String threads(ReplicaStatus r) {
        return " (IO " + r.ioThread().name().toLowerCase() + ", SQL " + (r.sqlThreadRunning() ? "running" : "stopped")
                + ", " + r.positioning().name().toLowerCase().replace('_', ' ') + ")";
    }
}
