package io.mha4j.samples.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.SandboxConfigs;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.MasterFailover;
import io.mha4j.testkit.OpenSshServer;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code samples/scripts/shutdown_mysqld} for real: called by the failover with MHA's arguments,
 * it logs in over a real sshd and kills the SIGSTOPped master's mysqld named by
 * {@code master_pid_file}, so the failover of a master that may still be alive goes on; called
 * by hand it answers {@code status} and refuses {@code stop} (no power-off here).
 */
class ShutdownScriptIT {
    private static final Path SCRIPT = Path.of("scripts", "shutdown_mysqld").toAbsolutePath();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private SandboxCluster cluster;
    private OpenSshServer sshd;

    @BeforeEach
    void start() {
        cluster = SandboxCluster.builder().nodes(3).start();
        sshd = OpenSshServer.builder().start();
        cluster.master()
                .execute(
                        "CREATE DATABASE fence",
                        "CREATE TABLE fence.t (id INT PRIMARY KEY)",
                        "INSERT INTO fence.t VALUES (1), (2), (3)");
        cluster.awaitReplicasCaughtUp(WAIT);
    }

    @AfterEach
    void stop() {
        if (cluster.node(1).isRunning() && cluster.node(1).isPaused()) {
            cluster.node(1).resume();
        }
        sshd.close();
        cluster.close();
    }

    /** The master's pid file as its host keeps it (the sandbox's own is written late, so one is written here). */
    private Path pidFile(SandboxNode node) throws IOException {
        Path pid = dir.resolve(node.name() + ".pid");
        Files.writeString(pid, node.pid() + "\n");
        return pid;
    }

    private ApplicationConfig config(Path pidFile) {
        return SandboxConfigs.overSsh(
                        SandboxConfigs.builder(
                                cluster,
                                dir.resolve("manager"),
                                (n, s) -> s.masterBinlogDirs(List.of(n.dataDir().toString()))),
                        sshd)
                .set(Parameter.SSH_OPTIONS, "-o ConnectTimeout=5")
                .set(Parameter.SSH_CONNECTION_TIMEOUT, 2)
                .set(Parameter.SQL_CONNECT_TIMEOUT, Duration.ofSeconds(1))
                .set(Parameter.REMOTE_WORKDIR, dir.toString())
                .set(Parameter.SHUTDOWN_SCRIPT, SCRIPT.toString())
                .set(Parameter.MASTER_PID_FILE, pidFile.toString())
                .build();
    }

    @Test
    void aFrozenMasterIsFencedByTheSampleScriptOverSshAndFailedOver() throws Exception {
        SandboxNode master = cluster.node(1);
        ApplicationConfig config = config(pidFile(master));
        master.pause();

        FailoverReport report =
                MasterFailover.builder(config).build().run(config.servers().get(0));

        System.out.printf(
                "frozen master fenced by samples/scripts/shutdown_mysqld: %s in %d ms; phases %s%n",
                report.outcome(),
                Duration.between(report.startedAt(), report.endedAt()).toMillis(),
                report.phases());
        assertThat(report.outcome()).as(report.toString()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
        assertThat(master.isRunning()).as("its mysqld was killed").isFalse();
        SandboxNode newMaster = cluster.master();
        assertThat(newMaster).isNotSameAs(master);
        assertThat(newMaster.queryForString("SELECT COUNT(*) FROM fence.t")).isEqualTo("3");
    }

    @Test
    void theScriptAnswersStatusAndRefusesAPowerOffItCannotDo() throws Exception {
        Result status = run("--command=status", "--ssh_user=root", "--host=db1", "--ip=10.0.0.1");
        assertThat(status.exit).isZero();
        assertThat(status.output).contains("ready to fence db1");
        Result stop = run("--command=stop", "--host=db1", "--ip=10.0.0.1", "--port=3306");
        assertThat(stop.exit).isEqualTo(1);
        assertThat(stop.output).contains("does not answer SSH").contains("edit this script");
    }

    @Test
    void aPidFileThatNamesNoMysqldIsNotFenced() throws Exception {
        SandboxNode master = cluster.node(1);
        Path notMysqld = dir.resolve("other.pid");
        Files.writeString(notMysqld, ProcessHandle.current().pid() + "\n");

        Result r = run(
                "--command=stopssh",
                "--ssh_user=" + sshd.user(),
                "--host=127.0.0.1",
                "--ip=127.0.0.1",
                "--port=" + master.port(),
                "--pid_file=" + notMysqld,
                "--ssh_port=" + sshd.port(),
                "--ssh_options=-i " + sshd.clientKey() + " -o UserKnownHostsFile=" + sshd.knownHostsFile());

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.output).contains("is not a mysqld").contains("NOT fenced");
        assertThat(master.isRunning()).isTrue();
    }

    private record Result(int exit, String output) {}

    private static Result run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
