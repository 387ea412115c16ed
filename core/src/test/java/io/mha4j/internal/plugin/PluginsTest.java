package io.mha4j.internal.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.ClusterMonitor;
import io.mha4j.check.ReplicationCheck;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ConfigException;
import io.mha4j.config.MhaConfigReader;
import io.mha4j.failover.MasterFailover;
import io.mha4j.remote.RemoteShells;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every plugin name resolved when the configuration is checked: a typo fails at start, naming
 * the file, the line, the names that exist, and the artifact of a known name that is absent
 * (core's tests have no ssh-transport, VIP or e-mail module on their classpath).
 */
class PluginsTest {
    @TempDir
    Path dir;

    private ApplicationConfig read(String serverDefault) throws IOException {
        Path file = Files.writeString(
                dir.resolve("app1.cnf"),
                "[server default]\nuser=mha\npassword=secret\n" + serverDefault
                        + "\n[server1]\nhostname=10.255.0.1\n\n[server2]\nhostname=10.255.0.2\n");
        return MhaConfigReader.forFile(file)
                .globalFile(Files.writeString(dir.resolve("global.cnf"), ""))
                .read();
    }

    @Test
    void aMisspelledElectorNamesFileLineAndTheElectorsThatExist() throws IOException {
        ApplicationConfig config = read("remote_shell=local\nmaster_elector=last-eligble");

        assertThatThrownBy(() -> Plugins.check(config))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("app1.cnf") + ":5: [server default] master_elector: no MasterElector named"
                        + " 'last-eligble'; available: mha");
    }

    @Test
    void aKnownPluginWhoseModuleIsAbsentNamesTheArtifactToAdd() throws IOException {
        assertThatThrownBy(() -> Plugins.check(read("remote_shell=local\nfailover_hooks=email,vip")))
                .hasMessageContaining(":5: [server default] failover_hooks: no FailoverHook named 'email': it comes"
                        + " with io.mha4j:mha4j-notify-email, which is not on the classpath");
        assertThatThrownBy(() -> Plugins.check(read("remote_shell=local\ncoordination=zookeeper")))
                .hasMessageContaining(":5: [server default] coordination: no Coordination named 'zookeeper':"
                        + " it comes with io.mha4j:mha4j-coordination-zookeeper, which is not on the classpath;"
                        + " available: local");
        assertThatThrownBy(() -> Plugins.check(read("")))
                .as("remote_shell's default, ssh, without the ssh-transport module")
                .hasMessage("remote_shell: no RemoteShell named 'ssh' (the default): it comes with"
                        + " io.mha4j:mha4j-ssh-transport, which is not on the classpath; available: local");
    }

    @Test
    void everyRoleIsChecked() throws IOException {
        assertThat(Plugins.masterElector(read("remote_shell=local")))
                .isInstanceOf(io.mha4j.internal.failover.MhaElector.class);
        for (String wrong : new String[] {
            "cluster_monitor=zabbix",
            "data_compensator=bin-log",
            "topology_rewirer=gtids",
            "failover_hooks=nope",
            "coordination=etcd"
        }) {
            assertThatThrownBy(() -> Plugins.check(read("remote_shell=local\n" + wrong)))
                    .as(wrong)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(":5: [server default] " + wrong.substring(0, wrong.indexOf('=')) + ": no ")
                    .hasMessageContaining("'" + wrong.substring(wrong.indexOf('=') + 1) + "'");
        }
    }

    @Test
    void theMonitorTheCheckAndTheFailoverRefuseATypoBeforeTheyStart() throws IOException {
        ApplicationConfig config = read("remote_shell=local\nmaster_elector=last-eligble");
        String where = "app1.cnf:5: [server default] master_elector: no MasterElector named 'last-eligble'";

        assertThatThrownBy(() ->
                        ClusterMonitor.builder(config, config.servers().get(0)).build())
                .as("the monitor's build, though it uses no elector")
                .hasMessageContaining(where);
        try (RemoteShells shells = RemoteShells.forApplication(config)) {
            assertThatThrownBy(() -> new ReplicationCheck(config, shells, Clock.systemUTC()).run())
                    .as("check_repl, before it asks any server (10.255.0.x would time out)")
                    .hasMessageContaining(where);
        }
        assertThatThrownBy(() -> MasterFailover.builder(config).build()).hasMessageContaining(where);
    }
}
