package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@Sandbox(nodes = 1)
class TcpProxyIT {

    private static final Credentials ADMIN = SandboxCredentials.ADMIN;

    @Test
    void refuseResetsClientsThroughTheProxyAtOnceWhileDirectClientsCarryOn(SandboxCluster cluster) throws Exception {
        SandboxNode node = cluster.node(1);
        try (TcpProxy proxy = cluster.proxyTo(node);
                Connection proxied = connect(proxy.endpoint(), 30_000);
                Connection direct = connect(node.endpoint(), 30_000)) {
            assertThat(select(proxied)).isEqualTo(1);

            proxy.cut(CutMode.REFUSE);

            long started = System.nanoTime();
            assertThatThrownBy(() -> select(proxied)).isInstanceOf(SQLException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThatThrownBy(() -> connect(proxy.endpoint(), 2_000))
                    .isInstanceOf(SQLException.class)
                    .hasStackTraceContaining("Connection refused");
            assertThat(select(direct)).isEqualTo(1);

            proxy.restore();
            try (Connection again = connect(proxy.endpoint(), 30_000)) {
                assertThat(select(again)).isEqualTo(1);
            }
        }
    }

    @Test
    void blackholeLetsClientsThroughTheProxyTimeOutWhileDirectClientsCarryOn(SandboxCluster cluster) throws Exception {
        SandboxNode node = cluster.node(1);
        try (TcpProxy proxy = cluster.proxyTo(node);
                Connection proxied = connect(proxy.endpoint(), 1_000);
                Connection direct = connect(node.endpoint(), 30_000)) {
            assertThat(select(proxied)).isEqualTo(1);

            proxy.cut(CutMode.BLACKHOLE);

            long started = System.nanoTime();
            assertThatThrownBy(() -> select(proxied))
                    .isInstanceOf(SQLException.class)
                    .hasStackTraceContaining("Read timed out");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            assertThatThrownBy(() -> connect(proxy.endpoint(), 1_000)).isInstanceOf(SQLException.class);
            assertThat(select(direct)).isEqualTo(1);

            proxy.restore();
            try (Connection again = connect(proxy.endpoint(), 30_000)) {
                assertThat(select(again)).isEqualTo(1);
            }
        }
    }

    @Test
    void theProxyListensOnlyOnLoopback(SandboxCluster cluster) throws Exception {
        try (TcpProxy proxy = new TcpProxy(cluster.node(1).endpoint())) {
            assertThat(proxy.endpoint().host()).isEqualTo("127.0.0.1");
            assertThat(ListeningSockets.of(ProcessHandle.current().pid()))
                    .filteredOn(address -> address.endsWith(":" + proxy.port()))
                    .containsExactly("127.0.0.1:" + proxy.port());
        }
    }

    private static Connection connect(Endpoint endpoint, int socketTimeoutMillis) throws SQLException {
        return DriverManager.getConnection(
                endpoint.jdbcUrl(2_000, socketTimeoutMillis), ADMIN.user(), ADMIN.password());
    }

    private static int select(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
