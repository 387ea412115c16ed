package io.mha4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** master_switch --master_state=dead with MHA's option syntax, on a real sandbox whose master was killed. */
class MasterSwitchIT {
    @TempDir
    Path dir;

    private SandboxCluster cluster;
    private Path conf;

    @BeforeEach
    void start() throws Exception {
        cluster = SandboxCluster.builder().nodes(3).start();
        conf = cluster.writeApplicationFile(
                dir.resolve("app1.cnf"), "manager_workdir=" + dir, "remote_workdir=" + dir, "remote_shell=local");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static CommandRun withStdin(String input, String... args) {
        InputStream old = System.in;
        try {
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            return CommandRun.of(args);
        } finally {
            System.setIn(old);
        }
    }

    @Test
    void theDesignatedNewMasterTakesOverWithoutPromptsUnderInteractive0() throws Exception {
        cluster.node(1).kill();
        CommandRun run = CommandRun.of(
                "master_switch",
                "--master_state=dead",
                "--conf=" + conf,
                "--dead_master_host=127.0.0.1",
                "--dead_master_port=" + cluster.node(1).port(),
                "--new_master_host=127.0.0.1",
                "--new_master_port=" + cluster.node(3).port(),
                "--interactive=0");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("----- Failover Report -----")
                .contains("Selected 127.0.0.1(127.0.0.1:" + cluster.node(3).port() + ") as a new master.")
                .contains("Why: designated")
                .doesNotContain("Proceed?");
        assertThat(cluster.master()).isSameAs(cluster.node(3));
        assertThat(cluster.node(2).replicaStatus().orElseThrow().get("Master_Port"))
                .isEqualTo(String.valueOf(cluster.node(3).port()));
        assertThat(dir.resolve("app1.failover.complete")).exists();
    }

    @Test
    void theOperatorsWordThatTheMasterIsDeadStandsInForAFenceWhenItMayStillBeAlive() {
        // Frozen: its port accepts, SQL never answers, its host answers "SSH" (the local shell). An
        // automatic failover would want a fence; the operator's --master_state=dead is that word.
        cluster.node(1).pause();
        try {
            CommandRun run = CommandRun.of(
                    "master_switch",
                    "--master_state=dead",
                    "--conf=" + conf,
                    "--dead_master_host=127.0.0.1",
                    "--dead_master_port=" + cluster.node(1).port(),
                    "--interactive=0");

            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            assertThat(run.out())
                    .contains("Selected 127.0.0.1(127.0.0.1:" + cluster.node(2).port() + ") as a new master.");
            assertThat(cluster.node(2).isReadOnly()).isFalse();
        } finally {
            cluster.node(1).kill();
        }
    }

    @Test
    void anAnswerOtherThanYesChangesNothing() {
        cluster.node(1).kill();
        CommandRun run = withStdin(
                "no\n",
                "master_switch",
                "--master_state=dead",
                "--conf=" + conf,
                "--dead_master_host=127.0.0.1",
                "--dead_master_port=" + cluster.node(1).port());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out())
                .contains("Master 127.0.0.1(127.0.0.1:" + cluster.node(1).port()
                        + ") is dead. Starting master switch to the server MHA's rules elect. Proceed? (yes/NO): ")
                .contains("not confirmed");
        for (SandboxNode replica : cluster.nodes().subList(1, 3)) {
            assertThat(replica.isReadOnly()).isTrue();
            assertThat(replica.replicaStatus().orElseThrow().get("Slave_IO_Running"))
                    .isNotEqualTo("No");
        }
    }

    @Test
    void yesProceedsWithTheElectedServer() {
        cluster.node(1).kill();
        CommandRun run = withStdin(
                "yes\n",
                "master_switch",
                "--master_state=dead",
                "--conf=" + conf,
                "--dead_master_host=127.0.0.1",
                "--dead_master_port=" + cluster.node(1).port());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(cluster.master()).isSameAs(cluster.node(2));
    }

    @Test
    void badOptionsAreUsageErrorsThatSayWhy() {
        cluster.node(1).kill();
        CommandRun unknown = CommandRun.of("master_switch", "--master_state=dead", "--conf=" + conf, "--bogus=1");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option: '--bogus=1'");

        CommandRun noHost = CommandRun.of("master_switch", "--master_state=dead", "--conf=" + conf, "--interactive=0");
        assertThat(noHost.exitCode()).isEqualTo(2);
        assertThat(noHost.err()).contains("--dead_master_host=<host> must be set");

        CommandRun notConfigured = CommandRun.of(
                "master_switch",
                "--master_state=dead",
                "--conf=" + conf,
                "--dead_master_host=10.9.9.9",
                "--interactive=0");
        assertThat(notConfigured.exitCode()).isEqualTo(1);
        assertThat(notConfigured.err()).contains("no server block has --dead_master_host=10.9.9.9");

        CommandRun ambiguous = CommandRun.of(
                "master_switch",
                "--master_state=dead",
                "--conf=" + conf,
                "--dead_master_host=127.0.0.1",
                "--interactive=0");
        assertThat(ambiguous.exitCode()).isEqualTo(1);
        assertThat(ambiguous.err()).contains("give the port as well");

        CommandRun mixed = CommandRun.of(
                "master_switch", "--master_state=alive", "--conf=" + conf, "--dead_master_host=127.0.0.1");
        assertThat(mixed.exitCode()).isEqualTo(2);
        assertThat(mixed.err()).contains("--dead_master_* options need --master_state=dead");

        CommandRun skip = CommandRun.of(
                "master_switch",
                "--master_state=dead",
                "--conf=" + conf,
                "--dead_master_host=127.0.0.1",
                "--dead_master_port=" + cluster.node(1).port(),
                "--skip_change_master");
        assertThat(skip.exitCode()).isEqualTo(2);
        assertThat(skip.err()).contains("--skip_change_master is not supported");
        for (SandboxNode replica : cluster.nodes().subList(1, 3)) {
            assertThat(replica.isReadOnly()).isTrue();
        }
    }

    @Test
    void anOnlineSwitchWithMhasOptionsMakesTheOldMasterAReplicaOfTheNewOne() {
        CommandRun check = CommandRun.of(
                "master_switch",
                "--master_state=alive",
                "--conf=" + conf,
                "--check_only",
                "--new_master_host=127.0.0.1",
                "--new_master_port=" + cluster.node(3).port());
        assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).contains("Checks passed");
        assertThat(cluster.master()).isSameAs(cluster.node(1));

        CommandRun run = CommandRun.of(
                "master_switch",
                "--master_state=alive",
                "--conf=" + conf,
                "--new_master_host=127.0.0.1",
                "--new_master_port=" + cluster.node(3).port(),
                "--orig_master_is_new_slave",
                "--running_updates_limit=10",
                "--interactive=0");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("master switch 127.0.0.1(127.0.0.1:" + cluster.node(1).port() + ") to 127.0.0.1(127.0.0.1:"
                        + cluster.node(3).port() + ") succeeded")
                .contains("Writes were blocked for");
        assertThat(cluster.master()).isSameAs(cluster.node(3));
        for (SandboxNode replica : List.of(cluster.node(1), cluster.node(2))) {
            assertThat(replica.replicaStatus().orElseThrow().get("Master_Port"))
                    .isEqualTo(String.valueOf(cluster.node(3).port()));
        }
    }
}
