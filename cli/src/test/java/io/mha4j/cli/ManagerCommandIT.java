package io.mha4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.testkit.Sandbox;
import io.mha4j.testkit.SandboxCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manager as a DBA runs it: samples/bin/mha4j manager in its own process, then
 * check_status, a second manager, stop — the MHA tutorial's commands, with MHA's outputs.
 */
@Sandbox(nodes = 3)
class ManagerCommandIT {
    /** The launcher a DBA runs, in the samples module (it builds its jar on first use). */
    private static final Path SCRIPT =
            Path.of("../samples/bin/mha4j").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Path config(SandboxCluster cluster) throws Exception {
        return cluster.writeApplicationFile(
                dir.resolve("app1.cnf"),
                "manager_workdir=" + dir,
                "manager_log=" + dir.resolve("manager.log"),
                "ping_interval=1",
                "remote_shell=local");
    }

    @Test
    void startCheckStatusRefuseASecondManagerAndStop(SandboxCluster cluster) throws Exception {
        Path conf = config(cluster);
        Process manager = new ProcessBuilder(SCRIPT.toString(), "manager", "--conf=" + conf, "--skip_ssh_check")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("manager.out").toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> CommandRun.of("check_status", "--conf=" + conf).exitCode() == 0);
            CommandRun status = CommandRun.of("check_status", "--conf=" + conf);
            assertThat(status.out().strip())
                    .isEqualTo("app1 (pid:" + manager.pid() + ") is running(0:PING_OK)," + " master:127.0.0.1");

            CommandRun second = CommandRun.of("manager", "--conf=" + conf, "--skip_ssh_check");
            assertThat(second.exitCode()).isEqualTo(1);
            assertThat(Files.readString(dir.resolve("manager.log"))).contains("Another manager is running for app1");

            CommandRun stop = CommandRun.of("stop", "--conf=" + conf);
            assertThat(stop.out().strip()).isEqualTo("Stopped app1 successfully.");
            assertThat(manager.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(manager.exitValue())
                    .as("128 + SIGTERM, after a clean shutdown")
                    .isEqualTo(143);
            CommandRun after = CommandRun.of("check_status", "--conf=" + conf);
            assertThat(after.exitCode()).isEqualTo(2);
            assertThat(after.out().strip()).isEqualTo("app1 is stopped(2:NOT_RUNNING).");
            assertThat(Files.readString(dir.resolve("manager.log")))
                    .containsPattern(
                            "(?m)^\\w{3} \\w{3} +\\d+ \\d\\d:\\d\\d:\\d\\d \\d{4} - \\[info\\] mha4j manager for app1 started");
        } finally {
            manager.destroyForcibly();
        }
    }
}
