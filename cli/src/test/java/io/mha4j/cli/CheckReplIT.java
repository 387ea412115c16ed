package io.mha4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.testkit.OpenSshServer;
import io.mha4j.testkit.Sandbox;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * check_repl and check_ssh as a DBA runs them, on three real MariaDB servers and a real
 * OpenSSH server: each bad state produces its own line, and nothing else goes wrong.
 */
@Sandbox(nodes = 3)
class CheckReplIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static OpenSshServer sshd;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startSshd() {
        sshd = OpenSshServer.builder().start();
    }

    @AfterAll
    static void stopSshd() {
        if (sshd != null) {
            sshd.close();
        }
    }

    /** Every test starts from and returns to: node1 master, node2 and node3 healthy replicas of it. */
    @AfterEach
    void heal(SandboxCluster cluster) {
        for (SandboxNode n : cluster.nodes()) {
            if (!n.isRunning()) {
                n.start();
            }
        }
        for (SandboxNode r : List.of(cluster.node(2), cluster.node(3))) {
            r.execute("STOP SLAVE", "SET GLOBAL replicate_do_db=''", "SET GLOBAL read_only=ON");
            r.changeMasterTo(cluster.node(1));
        }
        cluster.awaitReplicasCaughtUp(WAIT);
    }

    static String config(SandboxCluster cluster, String serverDefaultExtra, String... perServerExtra) {
        StringBuilder sb = new StringBuilder();
        sb.append("[server default]\n")
                .append("user=")
                .append(SandboxCredentials.ADMIN.user())
                .append('\n')
                .append("password=")
                .append(SandboxCredentials.ADMIN.password())
                .append('\n')
                .append("repl_user=")
                .append(SandboxCredentials.REPLICATION.user())
                .append('\n')
                .append("repl_password=")
                .append(SandboxCredentials.REPLICATION.password())
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
                .append("manager_workdir=")
                .append(dir)
                .append('\n')
                .append("master_binlog_dir=")
                .append(cluster.node(1).dataDir())
                .append('\n')
                .append(serverDefaultExtra);
        for (SandboxNode n : cluster.nodes()) {
            sb.append("\n[server")
                    .append(n.index())
                    .append("]\n")
                    .append("hostname=127.0.0.1\nport=")
                    .append(n.port())
                    .append('\n');
            if (n.index() - 1 < perServerExtra.length) {
                sb.append(perServerExtra[n.index() - 1]);
            }
        }
        return sb.toString();
    }

    static Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static CommandRun checkRepl(Path conf, String... extra) {
        List<String> args = new ArrayList<>(List.of("check_repl", "--conf=" + conf));
        args.addAll(List.of(extra));
        return CommandRun.of(args.toArray(String[]::new));
    }

    static void assertNotOk(CommandRun run, String expectedLine) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out())
                .isEqualTo(System.lineSeparator() + "MySQL Replication Health is NOT OK!" + System.lineSeparator());
        assertThat(run.err()).contains(expectedLine).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static String name(SandboxNode n) {
        return "127.0.0.1(127.0.0.1:" + n.port() + ")";
    }

    @Test
    void aHealthyClusterIsOk(SandboxCluster cluster) {
        CommandRun run = checkRepl(write("app1.cnf", config(cluster, "")));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .isEqualTo(System.lineSeparator() + "MySQL Replication Health is OK." + System.lineSeparator());
        assertThat(run.err())
                .contains("Current Alive Master: " + name(cluster.node(1)))
                .contains(name(cluster.node(1)) + " (current master)\n +--" + name(cluster.node(2)) + "\n +--"
                        + name(cluster.node(3)))
                .contains("[warning] master_ip_failover_script is not defined.")
                .contains("[warning] Without a fence (shutdown_script, or a STONITH hook in failover_hooks) a master"
                        + " that may still be alive is not failed over")
                .contains("Replication user repl can log in to the master")
                .doesNotContain("[error]")
                .doesNotContain(SandboxCredentials.ADMIN.password());
    }

    @Test
    void aStoppedSqlThread(SandboxCluster cluster) {
        cluster.node(2).stopReplicaSqlThread();
        assertNotOk(
                checkRepl(write("app1.cnf", config(cluster, ""))),
                "[error] Slave SQL thread is not running on " + name(cluster.node(2)));
    }

    @Test
    void aFailingIoThreadFromAWrongReplicationPassword(SandboxCluster cluster) {
        SandboxNode n3 = cluster.node(3);
        n3.execute("STOP SLAVE", "CHANGE MASTER TO MASTER_PASSWORD='wrong'", "START SLAVE");
        await().atMost(WAIT)
                .until(() -> n3.replicaStatus()
                        .map(s -> s.get("Last_IO_Errno"))
                        .filter("1045"::equals)
                        .isPresent());
        assertNotOk(
                checkRepl(write("app1.cnf", config(cluster, ""))),
                "[error] Slave IO thread is not running on " + name(n3) + " (connecting, error 1045: ");
    }

    @Test
    void twoWritableServers(SandboxCluster cluster) {
        cluster.node(2).execute("SET GLOBAL read_only=OFF");
        CommandRun run = checkRepl(write("app1.cnf", config(cluster, "")));
        assertNotOk(
                run,
                "[error] 2 servers are writable (" + name(cluster.node(1)) + ", " + name(cluster.node(2))
                        + "); only the master " + name(cluster.node(1)) + " may be: set read_only=1 on the others");
        assertThat(run.err()).contains("[warning] read_only=1 is not set on slave " + name(cluster.node(2)));
    }

    @Test
    void aReplicaOfAnotherReplica(SandboxCluster cluster) {
        cluster.node(3).changeMasterTo(cluster.node(2));
        assertNotOk(
                checkRepl(write("app1.cnf", config(cluster, ""))),
                "[error] Slave " + name(cluster.node(3))
                        + " replicates from 127.0.0.1:" + cluster.node(2).port() + ", but real master is "
                        + name(cluster.node(1)) + "!");
    }

    @Test
    void aFilterOnOneReplicaOnly(SandboxCluster cluster) {
        cluster.node(3).execute("STOP SLAVE", "SET GLOBAL replicate_do_db='shop'", "START SLAVE");
        assertNotOk(
                checkRepl(write("app1.cnf", config(cluster, ""))), name(cluster.node(3)) + ": Replicate_Do_DB=shop");
    }

    @Test
    void anErrantTransactionOnAReplica(SandboxCluster cluster) {
        SandboxNode n3 = cluster.node(3);
        // Another GTID domain, so that strict mode does not break replication before we look.
        n3.execute("SET SESSION gtid_domain_id=9", "CREATE DATABASE IF NOT EXISTS errant");
        CommandRun run = checkRepl(write("app1.cnf", config(cluster, "")));
        assertNotOk(run, "[error] " + name(n3) + " has 1 errant transaction(s) the master never had: 9-3-1");
        n3.execute("DROP DATABASE errant", "RESET MASTER");
    }

    @Test
    void aNodeDown(SandboxCluster cluster) {
        cluster.node(3).kill();
        assertNotOk(
                checkRepl(write("app1.cnf", config(cluster, ""))),
                "[error] Server " + name(cluster.node(3)) + " is dead, but must be alive! Check server settings.");
    }

    @Test
    void aDownServerWithIgnoreFailPassesWithIgnoreFailOnStart(SandboxCluster cluster) {
        cluster.node(3).kill();
        Path conf = write("app1.cnf", config(cluster, "", "", "", "ignore_fail=1\n"));
        assertNotOk(checkRepl(conf, "--skip_ssh_check"), "is dead, but must be alive!");
        CommandRun run = checkRepl(conf, "--skip_ssh_check", "--ignore_fail_on_start", "--workdir=" + dir);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("[warning] Server " + name(cluster.node(3)) + " is dead (ignore_fail=1");
    }

    @Test
    void binlogServersAreCheckedOverSsh(SandboxCluster cluster) {
        String binlog = "\n[binlog1]\nhostname=127.0.0.1\nmaster_binlog_dir=%s\n";
        CommandRun ok = checkRepl(write("app1.cnf", config(cluster, "") + binlog.formatted(dir)), "--skip_ssh_check");
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.err()).contains("Binlog server 127.0.0.1(127.0.0.1:3306) is reachable; master_binlog_dir exists");
        CommandRun bad = checkRepl(
                write("app1.cnf", config(cluster, "") + binlog.formatted(dir.resolve("nope"))), "--skip_ssh_check");
        assertNotOk(
                bad,
                "[error] binlog server 127.0.0.1(127.0.0.1:3306): none of [" + dir.resolve("nope")
                        + "] is a directory");
    }

    @Test
    void checkSshFailsWithExitCode1AndMhasLastLine(SandboxCluster cluster) {
        String conf = config(cluster, "").replace("ssh_port=" + sshd.port(), "ssh_port=1");
        CommandRun run = CommandRun.of("check_ssh", "--conf=" + write("app1.cnf", conf));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains("SSH Configuration Check Failed!")
                .contains("[error] SSH connection from the" + " manager to " + sshd.user()
                        + "@127.0.0.1(127.0.0.1:1) failed!");
    }

    @Test
    void aWrongPasswordIsTheFirstErrorNamingEachServerAndTheCause(SandboxCluster cluster) {
        String conf = config(cluster, "")
                .replace("password=" + SandboxCredentials.ADMIN.password() + "\n", "password=not-the-password\n");
        CommandRun run = checkRepl(write("app1.cnf", conf), "--skip_ssh_check");

        assertNotOk(run, "[error] no server could be reached: " + name(cluster.node(1)) + ": ");
        String first =
                run.err().lines().filter(l -> l.contains("[error]")).findFirst().orElseThrow();
        assertThat(first)
                .contains("Access denied")
                .contains(name(cluster.node(2)))
                .contains(name(cluster.node(3)))
                .doesNotContain("not-the-password");
    }

    @Test
    void replicasOfAMasterTheConfigurationDoesNotNameSayWhomTheyReplicateFrom(SandboxCluster cluster) {
        // server1's block names a port nothing listens on: the replicas' master is in no block.
        String conf = config(cluster, "").replace("port=" + cluster.node(1).port() + "\n", "port=1\n");
        CommandRun run = checkRepl(write("app1.cnf", conf), "--skip_ssh_check");

        assertNotOk(
                run,
                "[error] no master found: every reachable server replicates from 127.0.0.1:"
                        + cluster.node(1).port() + ", which no server block of the configuration names (hostname or ip,"
                        + " and port)");
    }

    @Test
    void aWrongSshKey(SandboxCluster cluster) throws Exception {
        Path otherKey = dir.resolve("other_key");
        Files.deleteIfExists(otherKey);
        new ProcessBuilder("ssh-keygen", "-q", "-N", "", "-t", "ed25519", "-f", otherKey.toString())
                .start()
                .waitFor();
        CommandRun run =
                checkRepl(write("app1.cnf", config(cluster, "", "", "", "ssh_identity_file=" + otherKey + "\n")));
        assertNotOk(
                run,
                "[error] SSH from the manager to " + sshd.user() + "@127.0.0.1(127.0.0.1:" + sshd.port() + ") failed:");
        assertThat(run.err()).contains("was refused with the key(s) [" + otherKey + "]");
    }

    @Test
    void anUnknownHostKey(SandboxCluster cluster) {
        Path empty = write("empty_known_hosts", "");
        CommandRun run = checkRepl(write(
                "app1.cnf",
                config(cluster, "ssh_known_hosts_file=" + empty + "\n")
                        .replace("ssh_known_hosts_file=" + sshd.knownHostsFile() + "\n", "")));
        assertNotOk(run, "[error] SSH from the manager to ");
        assertThat(run.err()).contains("host key").contains(empty.toString());
    }

    @Test
    void logBinOffOnACandidate(SandboxCluster cluster) {
        SandboxNode n3 = cluster.node(3);
        n3.stop();
        n3.startWith("--skip-log-bin");
        try {
            assertNotOk(
                    checkRepl(write("app1.cnf", config(cluster, "")), "--skip_ssh_check"),
                    "[error] log-bin is not set on slave " + name(n3) + ". This host cannot be a master");
            // The same server marked no_master=1 is fine.
            CommandRun ok =
                    checkRepl(write("app1.cnf", config(cluster, "", "", "", "no_master=1\n")), "--skip_ssh_check");
            assertThat(ok.exitCode()).as(ok.err()).isZero();
        } finally {
            n3.stop();
            n3.start();
        }
    }

    @Test
    void aChangedHostKey(SandboxCluster cluster) throws IOException {
        try (OpenSshServer other = OpenSshServer.builder().start()) {
            Path before = Files.copy(
                    other.knownHostsFile(),
                    dir.resolve("known_hosts_before"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            other.rotateHostKeys();
            String conf = config(cluster, "")
                    .replace("ssh_port=" + sshd.port(), "ssh_port=" + other.port())
                    .replace("ssh_identity_file=" + sshd.clientKey(), "ssh_identity_file=" + other.clientKey())
                    .replace("ssh_known_hosts_file=" + sshd.knownHostsFile(), "ssh_known_hosts_file=" + before);
            CommandRun run = checkRepl(write("app1.cnf", conf));
            assertNotOk(run, "[error] SSH from the manager to ");
            assertThat(run.err()).contains("the host key of ").contains(" changed: it presented ");
        }
    }

    @Test
    void aMissingAndANonExecutableHookScript(SandboxCluster cluster) throws IOException {
        Path notExecutable = write("failover.sh", "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(notExecutable, PosixFilePermissions.fromString("rw-r--r--"));
        assertNotOk(
                checkRepl(
                        write("app1.cnf", config(cluster, "master_ip_failover_script=" + notExecutable + "\n")),
                        "--skip_ssh_check"),
                "[error] master_ip_failover_script " + notExecutable + " is not executable (chmod +x it)");
        Path missing = dir.resolve("nope.sh");
        assertNotOk(
                checkRepl(write("app1.cnf", config(cluster, "report_script=" + missing + "\n")), "--skip_ssh_check"),
                "[error] report_script " + missing + " does not exist");
    }

    @Test
    void theFailoverScriptReceivesMhasStatusArguments(SandboxCluster cluster) throws IOException {
        Path record = dir.resolve("args.txt");
        Path script = write(
                "master_ip_failover", "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done > " + record + "\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        CommandRun run = checkRepl(
                write("app1.cnf", config(cluster, "master_ip_failover_script=" + script + "\n")), "--skip_ssh_check");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readAllLines(record))
                .containsExactly(
                        "--command=status",
                        "--ssh_user=" + sshd.user(),
                        "--orig_master_host=127.0.0.1",
                        "--orig_master_ip=127.0.0.1",
                        "--orig_master_port=" + cluster.node(1).port(),
                        "--orig_master_ssh_port=" + sshd.port());
    }

    @Test
    void checkReplTestsTheManagersRoutesAndCheckSshEveryPair(SandboxCluster cluster) {
        // An OpenSSH client on the hosts cannot connect (ProxyCommand fails); the manager's own SSH is unaffected.
        Path conf = write("app1.cnf", config(cluster, "ssh_options=-o ProxyCommand=false\n"));

        CommandRun repl = checkRepl(conf);
        CommandRun ssh = CommandRun.of("check_ssh", "--conf=" + conf);

        assertThat(repl.exitCode()).as(repl.err()).isZero();
        assertThat(repl.err()).doesNotContain("[error]");
        assertThat(ssh.exitCode()).as(ssh.err()).isEqualTo(1);
        assertThat(ssh.err().lines().filter(l -> l.contains("Connecting via SSH from") && l.endsWith(".. ok.")))
                .as("the manager's three routes")
                .hasSize(3);
        assertThat(ssh.err()).contains("SSH Configuration Check Failed!");
    }

    @Test
    void checkSshReportsEveryPair(SandboxCluster cluster) {
        CommandRun run = CommandRun.of("check_ssh", "--conf=" + write("app1.cnf", config(cluster, "")));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err().lines().filter(l -> l.contains("Connecting via SSH from") && l.endsWith(".. ok.")))
                .hasSize(3 + 6);
        assertThat(run.err()).contains("All SSH connection tests passed successfully.");
    }
}
