package io.mha4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcknowledgeCommandTest {
    @TempDir
    Path dir;

    @Test
    void clearsAFailedFailoversBlockAndRecordsWhy() throws Exception {
        Path conf = Files.writeString(
                dir.resolve("app1.cnf"),
                "[server default]\nmanager_workdir=" + dir + "\n[server1]\nhostname=127.0.0.1\n");
        Path error = Files.writeString(dir.resolve("app1.failover.error"), "");
        CommandRun run = CommandRun.of("acknowledge_failover", "--conf=" + conf, "--reason=replicas repaired by hand");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Removed [" + error + "]");
        assertThat(error).doesNotExist();
        assertThat(Files.readString(dir.resolve("app1.failover.ack"))).contains("replicas repaired by hand");
        assertThat(CommandRun.of("acknowledge_failover", "--conf=" + conf).exitCode())
                .as("a reason is required")
                .isEqualTo(2);
    }
}
