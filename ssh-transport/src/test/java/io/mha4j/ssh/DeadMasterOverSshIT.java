package io.mha4j.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.ClusterMonitor;
import io.mha4j.SandboxConfigs;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.monitor.Verdict;
import io.mha4j.monitor.VerdictKind;
import io.mha4j.server.SqlFailure;
import io.mha4j.testkit.OpenSshServer;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor's SSH opinion over a real sshd: a master whose mysqld was killed and whose host
 * refuses SSH is dead even though {@code secondary_check_script} cannot reach its routes (MHA's
 * issue #156: such a master was never failed over); with sshd answering, the verdict says SSH
 * is reachable, which decides how the failover isolates the dead master. The fast path is off
 * here so that the judgement at the fourth failed ping, with every opinion in, is what is tested.
 */
class DeadMasterOverSshIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private SandboxCluster cluster;
    private OpenSshServer sshd;
    private Path argsFile;

    @BeforeEach
    void start() throws Exception {
        cluster = SandboxCluster.builder().nodes(3).start();
        sshd = OpenSshServer.builder().start();
        argsFile = dir.resolve("secondary-check.args");
    }

    @AfterEach
    void stop() {
        sshd.close();
        cluster.close();
    }

    /** A secondary_check_script that records its arguments and exits 2, as MHA's does when a route is down. */
    private Path failingSecondaryCheck() throws Exception {
        Path script = dir.resolve("secondary_check");
        Files.writeString(
                script,
                "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + argsFile + "'\n"
                        + "echo 'Monitoring server remote1 is NOT reachable!'\nexit 2\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private ApplicationConfig config(Path secondaryCheck) {
        return SandboxConfigs.overSsh(SandboxConfigs.builder(cluster, dir, (n, s) -> {}), sshd)
                .set(Parameter.SSH_CONNECTION_TIMEOUT, 2)
                .set(Parameter.SECONDARY_CHECK_SCRIPT, secondaryCheck.toString())
                .set(Parameter.FAST_FAILURE_DETECTION, false)
                .build();
    }

    private Verdict killMasterAndAwaitVerdict(ApplicationConfig config) throws Exception {
        try (ClusterMonitor monitor = ClusterMonitor.builder(
                        config, config.servers().get(0))
                .pingInterval(Duration.ofSeconds(1))
                .build()) {
            monitor.start();
            org.awaitility.Awaitility.await("first ping")
                    .atMost(WAIT)
                    .until(() -> monitor.currentVerdict().reason().contains("succeeded"));
            cluster.node(1).kill();
            return monitor.failoverVerdict().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void aKilledMasterWhoseHostRefusesSshIsDeadThoughTheSecondaryCheckFails() throws Exception {
        ApplicationConfig config = config(failingSecondaryCheck());
        sshd.stop();

        Verdict dead = killMasterAndAwaitVerdict(config);

        assertThat(dead.kind()).isEqualTo(VerdictKind.DEAD);
        assertThat(dead.failedPings()).isEqualTo(4);
        assertThat(dead.evidence().lastFailure()).contains(SqlFailure.Kind.CONNECTION_REFUSED);
        assertThat(dead.evidence().sshReachable()).contains(false);
        assertThat(dead.evidence().secondaryCheckExit()).hasValue(2);
        SandboxNode master = cluster.node(1);
        assertThat(Files.readAllLines(argsFile))
                .containsExactly(
                        "--user=" + sshd.user(),
                        "--master_host=127.0.0.1",
                        "--master_ip=127.0.0.1",
                        "--master_port=" + master.port(),
                        "--master_user=" + SandboxCredentials.ADMIN.user(),
                        "--master_password=" + SandboxCredentials.ADMIN.password(),
                        "--ping_type=SELECT");
    }

    @Test
    void aKilledMasterWhoseHostAnswersSshIsDeadWithSshReachable() throws Exception {
        ApplicationConfig config = config(failingSecondaryCheck());

        Verdict dead = killMasterAndAwaitVerdict(config);

        assertThat(dead.kind()).isEqualTo(VerdictKind.DEAD);
        assertThat(dead.evidence().sshReachable()).contains(true);
        assertThat(dead.evidence().replicas()).hasSize(2);
        assertThat(List.of(dead.reason())).allMatch(r -> r.contains("the connection is refused"));
    }
}
