package io.mha4j.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.testkit.SandboxCredentials;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The app1.cnf MHA 0.58 gets: the research harness's, with the trial's own sshd. */
class MhaUnderTestTest {

    @Test
    void everyServerOnLoopbackByAddressWithItsDatadirAsBinlogDirAndTheSshdsKey() {
        String cnf = MhaUnderTest.config(
                Path.of("/w/t1"),
                List.of(
                        new MhaUnderTest.Server("server1", "127.0.0.1", 23301, Path.of("/d/node1")),
                        new MhaUnderTest.Server("server2", "127.0.0.1", 23302, Path.of("/d/node2"))),
                "root",
                40022,
                Path.of("/s/client_ed25519"),
                Path.of("/s/known_hosts"),
                1);

        assertThat(cnf)
                .startsWith("[server default]\n")
                .contains(
                        "manager_workdir=/w/t1/manager\n",
                        "manager_log=/w/t1/manager/app1.log\n",
                        "remote_workdir=/w/t1/remote\n",
                        "user=" + SandboxCredentials.ADMIN.user() + "\n",
                        "repl_user=" + SandboxCredentials.REPLICATION.user() + "\n",
                        "ssh_user=root\n",
                        "ssh_port=40022\n",
                        "ssh_options=-i /s/client_ed25519 -o UserKnownHostsFile=/s/known_hosts\n",
                        "ping_interval=1\n",
                        "\n[server2]\nhostname=127.0.0.1\nip=127.0.0.1\nport=23302\nmaster_binlog_dir=/d/node2\n");
        assertThat(cnf.lines().filter(l -> l.startsWith("[server")))
                .containsExactly("[server default]", "[server1]", "[server2]");
    }
}
