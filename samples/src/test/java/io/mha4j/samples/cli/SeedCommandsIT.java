package io.mha4j.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.testkit.LedgerReport;
import io.mha4j.testkit.OpenSshServer;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.WriteLedger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed tutorial's command lines, typed as the tutorial types them (MHA's names on the PATH,
 * only the file paths changed), against a real sandbox and a real sshd: check_ssh, check_repl,
 * {@code nohup masterha_manager … --remove_dead_master_conf --ignore_last_failover < /dev/null >
 * log 2>&1 &}, check_status; then the master dies and the manager fails over on its own.
 */
class SeedCommandsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path BIN = Path.of("bin").toAbsolutePath();

    @TempDir
    Path dir;

    private SandboxCluster cluster;
    private OpenSshServer sshd;
    private Path conf;

    @BeforeEach
    void start() throws Exception {
        cluster = SandboxCluster.builder().nodes(3).start();
        sshd = OpenSshServer.builder().start();
        StringBuilder sb = new StringBuilder("[server default]\n")
                .append("manager_log=").append(dir.resolve("manager")).append('\n')
                .append("manager_workdir=").append(dir).append('\n')
                .append("user=").append(SandboxCredentials.ADMIN.user()).append('\n')
                .append("password=").append(SandboxCredentials.ADMIN.password()).append('\n')
                .append("ping_interval=1\n")
                .append("repl_password=").append(SandboxCredentials.REPLICATION.password()).append('\n')
                .append("repl_user=").append(SandboxCredentials.REPLICATION.user()).append('\n')
                .append("ssh_user=").append(sshd.user()).append('\n')
                .append("ssh_port=").append(sshd.port()).append('\n')
                .append("ssh_identity_file=").append(sshd.clientKey()).append('\n')
                .append("ssh_known_hosts_file=").append(sshd.knownHostsFile()).append('\n')
                .append("remote_workdir=").append(dir).append('\n');
        for (SandboxNode n : cluster.nodes()) {
            sb.append("[server").append(n.index()).append("]\nhostname=127.0.0.1\nport=").append(n.port())
                    .append("\nmaster_binlog_dir=").append(n.dataDir()).append('\n');
        }
        conf = Files.writeString(dir.resolve("app1.cnf"), sb);
    }

    @AfterEach
    void stop() {
        sshd.close();
        cluster.close();
    }

    /** Runs one line in bash with MHA's names on the PATH; returns its exit code and output. */
    private LauncherScriptIT.Result sh(String line) throws Exception {
        Path out = dir.resolve("sh.out");
        Path err = dir.resolve("sh.err");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", line).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("PATH", BIN + ":" + System.getenv("PATH"));
        Process p = pb.start();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as(line).isTrue();
        return new LauncherScriptIT.Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theSeedsCommandsCheckRunTheManagerAndFailOverWhenTheMasterDies() throws Exception {
        LauncherScriptIT.Result ssh = sh(" masterha_check_ssh  --conf=" + conf + " ");
        assertThat(ssh.exitCode()).as(ssh.out() + ssh.err()).isZero();
        assertThat(ssh.out() + ssh.err()).contains("All SSH connection tests passed successfully.");
        LauncherScriptIT.Result repl = sh(" masterha_check_repl  --conf=" + conf + " ");
        assertThat(repl.exitCode()).as(repl.out() + repl.err()).isZero();
        assertThat(repl.out().strip()).endsWith("MySQL Replication Health is OK.");

        Path log = dir.resolve("manager.log");
        LauncherScriptIT.Result started = sh("nohup masterha_manager --conf=" + conf + " --remove_dead_master_conf"
                + " --ignore_last_failover  < /dev/null> " + log + " 2>&1 & echo $!");
        long pid = Long.parseLong(started.out().strip());
        ProcessHandle manager = ProcessHandle.of(pid).orElseThrow();
        await().atMost(WAIT).until(() -> sh("masterha_check_status --conf=" + conf).exitCode() == 0);
        assertThat(sh("masterha_check_status --conf=" + conf).out().strip())
                .matches("app1 \\(pid:\\d+\\) is running\\(0:PING_OK\\), master:127\\.0\\.0\\.1");

        try (WriteLedger ledger = WriteLedger.builder(() -> cluster.master().endpoint()).writer("seed")
                .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)).build()) {
            ledger.start(1_000_000, WAIT);
            await().atMost(WAIT).until(() -> ledger.acknowledged().size() >= 100);
            cluster.node(1).kill();
            await().atMost(WAIT).until(() -> !manager.isAlive());
            int atFailover = ledger.acknowledged().size();
            await().atMost(WAIT).until(() -> ledger.acknowledged().size() >= atFailover + 50);
            ledger.stop();
            cluster.awaitReplicasCaughtUp(WAIT);
            LedgerReport verified = ledger.verify(List.of(cluster.node(2), cluster.node(3)));
            assertThat(verified.nothingLost()).as(verified.toString()).isTrue();
            assertThat(verified.checksumsAgree()).as(verified.toString()).isTrue();
        }
        assertThat(cluster.master()).isSameAs(cluster.node(2));
        assertThat(Files.readString(conf)).doesNotContain("[server1]").contains("[server2]").contains("[server3]");
        assertThat(Files.readString(dir.resolve("manager"))).contains("Master failover to")
                .contains("completed successfully");
        LauncherScriptIT.Result after = sh("masterha_check_status --conf=" + conf);
        assertThat(after.exitCode()).isEqualTo(2);
        assertThat(after.out().strip()).isEqualTo("app1 is stopped(2:NOT_RUNNING).");
    }
}
