package io.mha4j.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.SandboxConfigs;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.guard.GuardEvent;
import io.mha4j.guard.GuardEvent.Kind;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manager after a real failover, on servers that start writable: it stays up, fences the
 * restarted old master, takes it back into the monitored topology once a human ran the logged
 * rejoin statement, tells a second start what it monitors, and fails over the master it promoted
 * when that one dies too — the anti-flap rule waived, since this is a different failure.
 */
class ManagerStaysUpIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path workdir;

    private SandboxCluster cluster;
    private final List<GuardEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        cluster = SandboxCluster.builder().nodes(3).startsReadOnly(false).start();
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    private ApplicationConfig config() {
        return SandboxConfigs.quick(cluster, workdir).build();
    }

    private boolean has(ServerConfig s, Kind kind) {
        return events.stream().anyMatch(e -> e.server().block().equals(s.block()) && e.kind() == kind);
    }

    private String note() throws Exception {
        Path p = workdir.resolve("app1.monitoring");
        return Files.exists(p) ? Files.readString(p) : "";
    }

    private static boolean writableMaster(SandboxNode n) {
        return n.isRunning() && !n.isReadOnly() && n.replicaStatus().isEmpty();
    }

    @Test
    void theManagerStaysUpGuardsTheOldMasterTakesItBackAndFailsOverThePromotedMasterToo() throws Exception {
        ApplicationConfig config = config();
        ServerConfig server1 = config.server("server1").orElseThrow();
        ServerConfig server2 = config.server("server2").orElseThrow();
        Supervisor manager = Supervisor.builder(config)
                .options(ManagerOptions.DEFAULTS.withSkipSshCheck(true))
                .guardListener(events::add)
                .build();
        CompletableFuture<Supervisor.Result> run = CompletableFuture.supplyAsync(manager::run);
        try {
            await().atMost(WAIT)
                    .until(() -> run.isDone() || note().contains("monitors master " + server1.displayName()));

            cluster.node(1).kill();
            await().atMost(WAIT)
                    .ignoreExceptions()
                    .until(() -> run.isDone() || note().contains("monitors master " + server2.displayName()));
            assertThat(run).as(() -> "the manager exited: " + run.join()).isNotDone();
            assertThat(note()).contains("guards [" + server1.displayName() + "]");
            assertThat(workdir.resolve("app1.failover.complete")).exists();

            // The MHA tutorial's recovery: start the old master (writable, as its my.cnf says) ...
            cluster.node(1).start();
            await().atMost(WAIT).until(() -> has(server1, Kind.PARKED));
            assertThat(cluster.node(1).isReadOnly()).isTrue();
            // ... run the logged statement with the real password ...
            String statement = events.stream()
                    .filter(e -> e.kind() == Kind.PARKED)
                    .findFirst()
                    .orElseThrow()
                    .rejoinStatement()
                    .orElseThrow()
                    .replace("'xxx'", "'" + SandboxCredentials.REPLICATION.password() + "'");
            for (String sql : statement.split(";")) {
                if (!sql.isBlank()) {
                    cluster.node(1).execute(sql.strip());
                }
            }
            // ... and the running manager monitors it again.
            await().atMost(WAIT).until(() -> has(server1, Kind.REJOINED));
            await().atMost(WAIT).until(() -> note().contains(server1.displayName()) && !note().contains("guards"));
            assertThat(note()).startsWith("monitors master " + server2.displayName());

            Supervisor.Result second = Supervisor.builder(config)
                    .options(ManagerOptions.DEFAULTS.withSkipSshCheck(true))
                    .build()
                    .run();
            assertThat(second.exitCode()).isEqualTo(1);
            assertThat(second.summary())
                    .contains("Another manager is running for app1")
                    .contains("master 127.0.0.1")
                    .contains("monitors master " + server2.displayName());

            // A different failure within last_failover_minute: the master this manager promoted dies.
            cluster.node(2).kill();
            await().atMost(WAIT)
                    .ignoreExceptions()
                    .until(() -> run.isDone() || writableMaster(cluster.node(1)) || writableMaster(cluster.node(3)));
            assertThat(run)
                    .as(() -> "the second failover was refused: " + run.join())
                    .isNotDone();
            await().atMost(WAIT).until(() -> note().contains("guards [" + server2.displayName() + "]"));
        } finally {
            manager.stop();
        }
        assertThat(run.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().summary())
                .isEqualTo("stopped");
    }
}
