package io.mha4j.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.SandboxConfigs;
import io.mha4j.check.ReplicationCheck;
import io.mha4j.check.ReplicationHealth;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.failover.FailoverContext;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.MasterFailover;
import io.mha4j.failover.MasterSwitchover;
import io.mha4j.failover.SwitchoverReport;
import io.mha4j.remote.RemoteShells;
import io.mha4j.testkit.NetworkLab;
import io.mha4j.testkit.OpenSshServer;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VIP follows the master across real network separation: three network namespaces, each a
 * "host" with its own address, its own mariadbd and its own sshd; a client in this namespace
 * connects through the VIP before the failover (the old master answers) and after it (the new
 * master answers, writable). Skipped where namespaces cannot be made (not root, no ip netns).
 */
class VipFailoverIT {
    private static final int PORT = 3306;

    @TempDir
    Path workdir;

    private NetworkLab lab;
    private SandboxCluster cluster;
    private final List<OpenSshServer> sshds = new ArrayList<>();

    @BeforeEach
    void start() {
        Assumptions.assumeTrue(NetworkLab.available(), "needs root and ip netns to build its own network namespaces");
        lab = NetworkLab.start(3);
        // One port on every host, as in production: a client of the VIP knows one address and one port.
        cluster =
                SandboxCluster.builder().nodes(3).placement(lab.placement(PORT)).start();
        for (int i = 1; i <= 3; i++) {
            sshds.add(OpenSshServer.builder()
                    .listen(lab.address(i), 22, lab.launchPrefix(i))
                    .start());
        }
    }

    @AfterEach
    void stop() {
        sshds.forEach(OpenSshServer::close);
        if (cluster != null) {
            cluster.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private ApplicationConfig config() {
        return config("ip");
    }

    private ApplicationConfig config(String style) {
        // Each host is a namespace with an sshd of its own on port 22: its key and known_hosts per server.
        return SandboxConfigs.builder(cluster, workdir, (n, s) -> {
                    OpenSshServer sshd = sshds.get(n.index() - 1);
                    s.masterBinlogDirs(List.of(n.dataDir().toString()))
                            .set(Parameter.SSH_IDENTITY_FILE, sshd.clientKey().toString())
                            .set(
                                    Parameter.SSH_KNOWN_HOSTS_FILE,
                                    sshd.knownHostsFile().toString());
                })
                .sshUser(sshds.get(0).user())
                .set(Parameter.REMOTE_SHELL, "ssh")
                .set(Parameter.SSH_PORT, 22)
                .set(Parameter.REMOTE_WORKDIR, "/tmp")
                .set(Parameter.FAILOVER_HOOKS, List.of("vip"))
                .set(VipParameters.VIP, lab.vip())
                .set(VipParameters.VIP_INTERFACE, "eth0")
                .set(VipParameters.VIP_COMMAND_STYLE, style)
                .build();
    }

    /**
     * The old owner's gratuitous ARP (two seconds of announcements, started when the VIP arrived
     * there) must end with the VIP: still announcing after a quick failover or switch, it pointed
     * clients back at the old host, whose SYNs then went unanswered (a connect timeout once in a
     * few runs, found by CI).
     */
    private void assertNoAnnouncementLeftOn(int host) throws Exception {
        List<String> commands = new ArrayList<>();
        for (String pid : NetworkLab.ip("netns", "pids", lab.namespace(host)).split("\\s+")) {
            Path cmdline = Path.of("/proc", pid, "cmdline");
            if (!pid.isBlank() && Files.exists(cmdline)) {
                commands.add(new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8)
                        .replace('\0', ' ')
                        .trim());
            }
        }
        assertThat(commands).noneMatch(c -> c.contains("arping") && c.endsWith(" " + lab.vip()));
    }

    /** Connects through the VIP as the application; returns (server_id, read_only). */
    private long[] throughVip() throws Exception {
        try (Connection c = DriverManager.getConnection(
                        "jdbc:mysql://" + lab.vip() + ":" + PORT + "/?connectTimeout=2000&socketTimeout=5000",
                        SandboxCredentials.APPLICATION.user(),
                        SandboxCredentials.APPLICATION.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT @@server_id, @@read_only")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    @Test
    void clientsReachTheOldMasterThroughTheVipBeforeAndTheNewWritableMasterAfter() throws Exception {
        ApplicationConfig config = config();
        assertThat(cluster.nodes()).extracting(SandboxNode::port).containsOnly(PORT);
        try (RemoteShells shells = RemoteShells.forApplication(config)) {
            FailoverContext boot =
                    new FailoverContext(config, config.servers().get(0), Optional.empty(), shells, workdir);
            new VipHook().moveTo(boot, config.servers().get(0));
            new VipHook().status(boot, config.servers().get(0));
        }
        assertThat(throughVip()).containsExactly(1, 0);

        cluster.node(1).kill();
        FailoverReport report =
                MasterFailover.builder(config).build().run(config.servers().get(0));

        assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
        assertThat(report.newMaster()).contains(config.servers().get(1).displayName());
        assertThat(NetworkLab.ip("-n", lab.namespace(1), "-o", "-4", "addr", "show", "dev", "eth0"))
                .doesNotContain(lab.vip() + "/");
        assertNoAnnouncementLeftOn(1);
        assertThat(NetworkLab.ip("-n", lab.namespace(2), "-o", "-4", "addr", "show", "dev", "eth0"))
                .contains(lab.vip() + "/32")
                .contains("eth0:1");
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> throughVip()[0] == 2);
        assertThat(throughVip()).containsExactly(2, 0);
    }

    @Test
    void checkReplAsksForTheVipAndAnOnlineSwitchMovesItInTheTutorialsIfconfigStyle() throws Exception {
        ApplicationConfig config = config("ifconfig");
        try (RemoteShells shells = RemoteShells.forApplication(config)) {
            ReplicationHealth without = new ReplicationCheck(config, shells, Clock.systemUTC())
                    .skipSshCheck(true)
                    .run();
            assertThat(without.errors())
                    .anySatisfy(f -> assertThat(f.message())
                            .contains("failover hook vip is not ready")
                            .contains(lab.vip() + " is not on the master"));

            new VipHook()
                    .moveTo(
                            new FailoverContext(config, config.servers().get(0), Optional.empty(), shells, workdir),
                            config.servers().get(0));
            ReplicationHealth with = new ReplicationCheck(config, shells, Clock.systemUTC())
                    .skipSshCheck(true)
                    .run();
            assertThat(with.isOk()).as(with.findings().toString()).isTrue();
        }
        assertThat(throughVip()).containsExactly(1, 0);

        SwitchoverReport report = MasterSwitchover.builder(config)
                .newMaster(config.servers().get(1))
                .origMasterIsNewSlave(true)
                .build()
                .run(config.servers().get(0));

        assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
        assertThat(NetworkLab.ip("-n", lab.namespace(1), "-o", "-4", "addr", "show", "dev", "eth0"))
                .doesNotContain(lab.vip() + "/");
        assertNoAnnouncementLeftOn(1);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> throughVip()[0] == 2);
        assertThat(throughVip()).containsExactly(2, 0);
    }
}
