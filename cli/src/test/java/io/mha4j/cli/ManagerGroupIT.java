package io.mha4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.testkit.SandboxCluster;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several applications in one {@code mha4j manager} process, on real servers: app1's master is
 * killed and failed over while app2, in the same process, keeps its master and goes on
 * monitoring; app3's broken file is reported with its line and keeps neither from running;
 * {@code stop} of app1 leaves app2 running, and the process's health endpoints ({@code --http})
 * vouch for none of app1's servers from then on while they go on answering for app2.
 */
class ManagerGroupIT {
    @TempDir
    Path dir;

    @Test
    void oneApplicationsFailoverLeavesTheOtherMonitoringAndABrokenFileStopsNeither() throws Exception {
        try (SandboxCluster one = SandboxCluster.builder().nodes(2).start();
                SandboxCluster two = SandboxCluster.builder().nodes(2).start()) {
            Path confs = dir.resolve("conf");
            application(confs, "app1", one);
            application(confs, "app2", two);
            Path broken = Files.writeString(
                    confs.resolve("app3.cnf"), "[server default]\nping_interval=never\n[server1]\nhostname=a\n");
            int httpPort = freePort();
            Process manager = CommandRun.started(
                    dir.resolve("manager.out"),
                    "manager",
                    "--conf=" + confs,
                    "--skip_ssh_check",
                    "--http=127.0.0.1:" + httpPort);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> running("app1") && running("app2"));
                assertThat(Files.readString(dir.resolve("manager.out")))
                        .contains("[error] " + broken + ":2: ")
                        .contains("(application app3 not started; the others are)");

                one.master().kill();
                Path complete = dir.resolve("work-app1/app1.failover.complete");
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(complete));
                assertThat(Files.readString(dir.resolve("app1.log"))).contains("completed successfully");
                await().atMost(Duration.ofSeconds(60)).until(() -> running("app1"));
                assertThat(get(httpPort, "/app1/master/server2").statusCode())
                        .as("app1's new master")
                        .isEqualTo(200);

                // app2 pinged its master after app1's failover ended: it monitors still, the same master.
                Instant failedOver = Files.getLastModifiedTime(complete).toInstant();
                Path health = dir.resolve("work-app2/app2.master_status.health");
                await().atMost(Duration.ofSeconds(30))
                        .until(() ->
                                Files.getLastModifiedTime(health).toInstant().isAfter(failedOver.plusSeconds(2)));
                assertThat(CommandRun.of("check_status", "--conf=" + confs.resolve("app2.cnf"))
                                .out()
                                .strip())
                        .isEqualTo("app2 (pid:" + manager.pid() + ") is running(0:PING_OK), master:127.0.0.1");
                assertThat(dir.resolve("work-app2/app2.failover.complete")).doesNotExist();
                assertThat(two.master().query("SELECT @@read_only AS ro").get(0))
                        .containsEntry("ro", "0");
                assertThat(two.node(2).replicaStatus().orElseThrow())
                        .containsEntry(
                                "Master_Port", Integer.toString(two.master().port()));
                assertThat(Files.readString(dir.resolve("app2.log")))
                        .as("app2's own log: its lines only, no failover")
                        .contains("mha4j manager for app2 started")
                        .doesNotContain("app1")
                        .doesNotContain("Phase 1");
                assertThat(Files.readString(dir.resolve("app1.log"))).doesNotContain("app2");

                // stop stops the application it names, not the process: app2 goes on.
                assertThat(CommandRun.of("stop", "--conf=" + confs.resolve("app1.cnf"))
                                .out()
                                .strip())
                        .isEqualTo("Stopped app1 successfully.");
                assertThat(dir.resolve("work-app1/app1.master_status.health"))
                        .as("app1 stopped cleanly")
                        .doesNotExist();
                assertThat(manager.isAlive()).isTrue();
                // Its last master may be demoted by an online switch now (MHA runs one with the manager stopped).
                HttpResponse<String> stopped = get(httpPort, "/app1/master/server2");
                assertThat(stopped.statusCode()).isEqualTo(503);
                assertThat(stopped.body()).startsWith("the manager of app1 stopped");
                assertThat(get(httpPort, "/app2/master/server1").statusCode()).isEqualTo(200);
                Instant app1Stopped = Instant.now();
                await().atMost(Duration.ofSeconds(30))
                        .until(() ->
                                Files.getLastModifiedTime(health).toInstant().isAfter(app1Stopped.plusSeconds(1)));
                assertThat(running("app2")).isTrue();

                manager.destroy();
                assertThat(manager.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(manager.exitValue()).as("128 + SIGTERM").isEqualTo(143);
                assertThat(health).as("app2 stopped cleanly").doesNotExist();
            } finally {
                manager.destroyForcibly();
            }
        }
    }

    private void application(Path confs, String name, SandboxCluster cluster) throws Exception {
        cluster.writeApplicationFile(
                confs.resolve(name + ".cnf"),
                "manager_workdir=" + dir.resolve("work-" + name),
                "remote_workdir=" + dir.resolve("work-" + name),
                "manager_log=" + dir.resolve(name + ".log"),
                "ping_interval=1",
                "remote_shell=local");
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private boolean running(String application) {
        return CommandRun.of("check_status", "--conf=" + dir.resolve("conf/" + application + ".cnf"))
                        .exitCode()
                == 0;
    }
}
