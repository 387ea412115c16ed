package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cut in the lab is a silent loss of packets (timeouts, never refusals) for SQL and SSH, of
 * exactly the paths it names; a heal restores them; closing the lab leaves no namespace.
 */
class NetworkLabIT {
    private static final Duration CATCH_UP = Duration.ofSeconds(20);
    private static NetworkLab lab;
    private static SandboxCluster cluster;
    private static OpenSshServer sshd;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(NetworkLab.available(), "needs root and ip netns to build its own network namespaces");
        lab = NetworkLab.start(2);
        cluster = SandboxCluster.builder().nodes(2).placement(lab.placement()).start();
        cluster.master().execute("CREATE DATABASE shop", "CREATE TABLE shop.orders (id INT PRIMARY KEY)");
        sshd = OpenSshServer.builder()
                .listen(lab.address(1), 22, lab.launchPrefix(1))
                .start();
    }

    @AfterEach
    void heal() {
        if (lab != null) {
            lab.heal();
        }
    }

    @AfterAll
    static void stop() {
        if (lab == null) {
            return;
        }
        List<String> namespaces = List.of(lab.namespace(1), lab.namespace(2));
        sshd.close();
        cluster.close();
        lab.close();
        assertThat(NetworkLab.ip("netns", "list"))
                .doesNotContain(namespaces.get(0))
                .doesNotContain(namespaces.get(1));
    }

    @Test
    void aNodeCutOffFromHereTimesOutForSqlAndSshWhileItsReplicaAndTheClientAddressStillReachIt() throws Exception {
        SandboxNode master = cluster.node(1);
        lab.cutOffFromHere(1);

        long started = System.nanoTime();
        assertThatThrownBy(() -> connect(master, null, 1_500).close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(causes(e)).anyMatch(c -> c instanceof SocketTimeoutException));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(1_400);
        assertThatThrownBy(() -> tcpConnect(lab.address(1), 22)).isInstanceOf(SocketTimeoutException.class);

        try (Connection c = connect(master, lab.clientAddress(), 1_500);
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO shop.orders VALUES (1)");
        }
        await().atMost(CATCH_UP)
                .until(() -> cluster.node(2)
                                .query("SELECT id FROM shop.orders WHERE id = 1")
                                .size()
                        == 1);
        assertThat(lab.cuts(1)).containsExactly(lab.managerAddress());

        lab.heal();
        assertThat(lab.cuts(1)).isEmpty();
        connect(master, null, 1_500).close();
        tcpConnect(lab.address(1), 22);
    }

    @Test
    void anIsolatedNodeTimesOutForItsReplicaAndForEveryAddressOfThisNamespace() throws Exception {
        SandboxNode master = cluster.node(1);
        lab.isolate(1);

        assertThat(connectFromHost2(master))
                .as("exit code of a connect from host 2: 124 is a timeout")
                .isEqualTo(124);
        assertThatThrownBy(() -> connect(master, lab.clientAddress(), 1_500).close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(causes(e)).anyMatch(c -> c instanceof SocketTimeoutException));

        lab.heal(1);
        assertThat(connectFromHost2(master)).isZero();
        connect(master, lab.clientAddress(), 1_500).close();
    }

    /** A bash /dev/tcp connect run in host 2's namespace, under a 3 s timeout: 0 connected, 124 timed out, 1 refused. */
    private static int connectFromHost2(SandboxNode target) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(lab.launchPrefix(2));
        command.addAll(
                List.of("timeout", "3", "bash", "-c", "exec 3<>/dev/tcp/" + target.host() + "/" + target.port()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private static Connection connect(SandboxNode node, String localAddress, int timeoutMillis) throws SQLException {
        String url = node.endpoint().jdbcUrl(timeoutMillis, timeoutMillis)
                + (localAddress == null ? "" : "&localSocketAddress=" + localAddress);
        return DriverManager.getConnection(
                url, SandboxCredentials.APPLICATION.user(), SandboxCredentials.APPLICATION.password());
    }

    private static void tcpConnect(String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1_500);
        }
    }

    private static List<Throwable> causes(Throwable e) {
        List<Throwable> all = new java.util.ArrayList<>();
        for (Throwable t = e; t != null && !all.contains(t); t = t.getCause()) {
            all.add(t);
        }
        return all;
    }
}
