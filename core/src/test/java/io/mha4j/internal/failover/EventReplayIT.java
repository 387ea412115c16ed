package io.mha4j.internal.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.SandboxConfigs;
import io.mha4j.config.ServerConfig;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.LocalShell;
import io.mha4j.testkit.SandboxCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay's client against a real {@code mariadbd}: its options reach it through the pipe
 * (the sandbox's password included), and the errors it prints are those {@link
 * EventReplay#neverConnected} tells apart — a refused login before any input, a statement's error
 * after some.
 */
class EventReplayIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static SandboxCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        cluster = SandboxCluster.builder().nodes(1).start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private ServerConfig server(String password) {
        return SandboxConfigs.builder(cluster, dir, (n, s) -> {})
                .password(password)
                .build()
                .servers()
                .get(0);
    }

    private String client() {
        return EventReplay.onThisMachine("mariadb").orElseThrow().toString();
    }

    private Path saved(String sql) throws Exception {
        return Files.writeString(dir.resolve("saved.sql"), sql, StandardCharsets.UTF_8);
    }

    @Test
    void theClientLogsInWithTheOptionsFromThePipeAndAppliesTheEvents() throws Exception {
        CommandResult r = EventReplay.attempt(
                LocalShell.INSTANCE,
                server("mha-sandbox-pw"),
                client(),
                saved("CREATE DATABASE IF NOT EXISTS replay_it;\nCREATE TABLE replay_it.t (id INT PRIMARY KEY);\n"
                        + "INSERT INTO replay_it.t VALUES (1), (2);\n"),
                TIMEOUT);

        assertThat(r.succeeded()).as(r.stderr()).isTrue();
        assertThat(cluster.node(1).queryForString("SELECT COUNT(*) FROM replay_it.t"))
                .isEqualTo("2");
    }

    @Test
    void aRefusedLoginIsNeverConnectedAndAStatementsErrorIsNot() throws Exception {
        cluster.node(1)
                .execute(
                        "CREATE DATABASE IF NOT EXISTS replay_it2",
                        "CREATE TABLE IF NOT EXISTS replay_it2.t (id INT PRIMARY KEY)",
                        "INSERT IGNORE INTO replay_it2.t VALUES (1)");

        CommandResult refused = EventReplay.attempt(
                LocalShell.INSTANCE,
                server("not-the-password"),
                client(),
                saved("INSERT INTO replay_it2.t VALUES (5);\n"),
                TIMEOUT);
        CommandResult duplicate = EventReplay.attempt(
                LocalShell.INSTANCE,
                server("mha-sandbox-pw"),
                client(),
                saved("INSERT INTO replay_it2.t VALUES (6);\nINSERT INTO replay_it2.t VALUES (1);\n"),
                TIMEOUT);

        assertThat(refused.stderr()).contains("ERROR 1045");
        assertThat(EventReplay.neverConnected(refused)).isTrue();
        assertThat(duplicate.stderr()).contains("ERROR 1062").contains(" at line 2");
        assertThat(EventReplay.neverConnected(duplicate))
                .as("it applied a statement first")
                .isFalse();
        assertThat(cluster.node(1).queryForString("SELECT GROUP_CONCAT(id ORDER BY id) FROM replay_it2.t"))
                .isEqualTo("1,6");
    }
}
