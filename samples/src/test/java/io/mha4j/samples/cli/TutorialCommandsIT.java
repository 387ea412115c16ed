package io.mha4j.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.testkit.LedgerReport;
import io.mha4j.testkit.OpenSshServer;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxException;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.WriteLedger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MHA tutorial's command lines, typed as the tutorial types them (MHA's names on the PATH,
 * only the file paths changed), against a real sandbox whose servers start writable (as a
 * production my.cnf has them) and a real sshd: check_ssh, check_repl, {@code nohup
 * masterha_manager … --remove_dead_master_conf --ignore_last_failover < /dev/null > log 2>&1 &},
 * check_status; the master dies and the manager fails over on its own and stays up; then the
 * tutorial's recovery (its section 8.2), step by step: start the old master (the manager fences
 * it), grep the logged CHANGE MASTER and run it with the real password, put the block back, start
 * the manager again (the running one says it is there) and check_status.
 */
class TutorialCommandsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path BIN = Path.of("bin").toAbsolutePath();
    /** Generous: the goal is one ping interval (1 s here), on a shared 2-core machine. */
    private static final Duration FENCE_BOUND = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private SandboxCluster cluster;
    private OpenSshServer sshd;
    private Path conf;

    @BeforeEach
    void start() throws Exception {
        cluster = SandboxCluster.builder().nodes(3).startsReadOnly(false).start();
        sshd = OpenSshServer.builder().start();
        StringBuilder sb = new StringBuilder("[server default]\n")
                .append("manager_log=")
                .append(dir.resolve("manager"))
                .append('\n')
                .append("manager_workdir=")
                .append(dir)
                .append('\n')
                .append("user=")
                .append(SandboxCredentials.ADMIN.user())
                .append('\n')
                .append("password=")
                .append(SandboxCredentials.ADMIN.password())
                .append('\n')
                .append("ping_interval=1\n")
                .append("repl_password=")
                .append(SandboxCredentials.REPLICATION.password())
                .append('\n')
                .append("repl_user=")
                .append(SandboxCredentials.REPLICATION.user())
                .append('\n')
                .append("ssh_user=")
                .append(sshd.user())
                .append('\n')
                .append("ssh_port=")
                .append(sshd.port())
                .append('\n')
                .append("ssh_identity_file=")
                .append(sshd.clientKey())
                .append('\n')
                .append("ssh_known_hosts_file=")
                .append(sshd.knownHostsFile())
                .append('\n')
                .append("remote_workdir=")
                .append(dir)
                .append('\n');
        for (SandboxNode n : cluster.nodes()) {
            sb.append("[server")
                    .append(n.index())
                    .append("]\nhostname=127.0.0.1\nport=")
                    .append(n.port())
                    .append("\nmaster_binlog_dir=")
                    .append(n.dataDir())
                    .append('\n');
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
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", line)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("PATH", BIN + ":" + System.getenv("PATH"));
        Process p = pb.start();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as(line).isTrue();
        return new LauncherScriptIT.Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theTutorialsCommandsCheckRunTheManagerFailOverAndRecoverTheOldMasterAsSection82Says() throws Exception {
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
        await().atMost(WAIT)
                .until(() -> sh("masterha_check_status --conf=" + conf).exitCode() == 0);
        assertThat(sh("masterha_check_status --conf=" + conf).out().strip())
                .matches("app1 \\(pid:\\d+\\) is running\\(0:PING_OK\\), master:127\\.0\\.0\\.1");

        try (WriteLedger ledger = WriteLedger.builder(() -> cluster.master().endpoint())
                .writer("seed")
                .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .build()) {
            ledger.start(1_000_000, WAIT);
            await().atMost(WAIT).until(() -> ledger.acknowledged().size() >= 100);
            cluster.node(1).kill();
            await().atMost(WAIT)
                    .until(() -> !manager.isAlive()
                            || Files.readString(dir.resolve("manager")).contains("completed successfully"));
            int atFailover = ledger.acknowledged().size();
            await().atMost(WAIT).until(() -> ledger.acknowledged().size() >= atFailover + 50);
            ledger.stop();
            cluster.awaitReplicasCaughtUp(WAIT);
            LedgerReport verified = ledger.verify(List.of(cluster.node(2), cluster.node(3)));
            assertThat(verified.nothingLost()).as(verified.toString()).isTrue();
            assertThat(verified.checksumsAgree()).as(verified.toString()).isTrue();
        }
        assertThat(manager.isAlive())
                .as("the manager stays up after the failover")
                .isTrue();
        // No candidate_master in the tutorial: the latest replica wins, and under load either may be the latest.
        SandboxNode newMaster = cluster.master();
        assertThat(newMaster).isIn(cluster.node(2), cluster.node(3));
        assertThat(Files.readString(conf))
                .doesNotContain("[server1]")
                .contains("[server2]")
                .contains("[server3]");
        assertThat(Files.readString(dir.resolve("manager")))
                .contains("Master failover to")
                .contains("completed successfully");
        await().atMost(WAIT)
                .until(() -> sh("masterha_check_status --conf=" + conf).exitCode() == 0);

        // 8.2 (1) /etc/init.d/mysqld start: it comes up writable; the manager fences it.
        SandboxNode db01 = cluster.node(1);
        db01.start();
        Instant up = Instant.now();
        // Fencing kills the sessions it finds, this test's poll among them: a poll that loses its connection then
        // says nothing about read_only, so it is polled again.
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(10))
                .ignoreExceptionsInstanceOf(SandboxException.class)
                .until(db01::isReadOnly);
        assertThat(Duration.between(up, Instant.now()))
                .as("fenced within the bound")
                .isLessThan(FENCE_BOUND);

        // 8.2 (2) grep "CHANGE MASTER TO" in the manager's log, put the password in, run it and start slave.
        LauncherScriptIT.Result grep = sh("grep \"CHANGE MASTER TO\"  " + dir.resolve("manager"));
        String line = grep.out()
                .lines()
                .filter(l -> l.contains("Statement should be: "))
                .findFirst()
                .orElseThrow();
        String statement = line.substring(line.indexOf("Statement should be: ") + "Statement should be: ".length())
                .replace("'xxx'", "'" + SandboxCredentials.REPLICATION.password() + "'");
        statement = statement.substring(0, statement.indexOf(';'));
        LauncherScriptIT.Result changed = sh("mariadb -h127.0.0.1 -P" + db01.port() + " -u"
                + SandboxCredentials.ADMIN.user() + " -p'" + SandboxCredentials.ADMIN.password() + "' -e \""
                + statement.replace("\"", "\\\"") + "; start slave;\"");
        assertThat(changed.exitCode()).as(changed.out() + changed.err()).isZero();
        await().atMost(WAIT)
                .until(() -> db01.replicaStatus()
                        .map(r -> "Yes".equals(r.get("Slave_IO_Running")) && "Yes".equals(r.get("Slave_SQL_Running")))
                        .orElse(false));

        // 8.2 (3) the block back in the configuration (the running manager may have put it back already).
        LauncherScriptIT.Result added = sh("masterha_conf_host --command=add --conf=" + conf + " --block=server1"
                + " --hostname=127.0.0.1 --params=\"port=" + db01.port() + ";master_binlog_dir=" + db01.dataDir()
                + "\"");
        assertThat(added.exitCode()).as(added.out() + added.err()).isZero();
        assertThat(Files.readString(conf)).contains("[server1]");

        // 8.2 (4) start MHA again: the running manager already monitors db01; the new one says so and exits.
        await().atMost(WAIT)
                .until(() -> Files.readString(dir.resolve("app1.monitoring"))
                        .contains("127.0.0.1(127.0.0.1:" + db01.port() + ")"));
        LauncherScriptIT.Result again = sh("nohup masterha_manager --conf=" + conf + " --remove_dead_master_conf"
                + " --ignore_last_failover  < /dev/null> " + log + " 2>&1 & wait $!; echo $?");
        assertThat(again.out().strip()).isEqualTo("1");
        assertThat(Files.readString(dir.resolve("manager")))
                .contains("Another manager is running for app1")
                .contains("pid " + pid)
                .contains("monitors master 127.0.0.1(127.0.0.1:" + newMaster.port() + ")");
        LauncherScriptIT.Result status = sh("masterha_check_status --conf=" + conf);
        assertThat(status.out().strip()).isEqualTo("app1 (pid:" + pid + ") is running(0:PING_OK), master:127.0.0.1");
        assertThat(manager.isAlive()).isTrue();

        LauncherScriptIT.Result stopped = sh("masterha_stop --conf=" + conf);
        assertThat(stopped.exitCode()).as(stopped.out() + stopped.err()).isZero();
        await().atMost(WAIT).until(() -> !manager.isAlive());
        LauncherScriptIT.Result after = sh("masterha_check_status --conf=" + conf);
        assertThat(after.exitCode()).isEqualTo(2);
        assertThat(after.out().strip()).isEqualTo("app1 is stopped(2:NOT_RUNNING).");
    }
}
