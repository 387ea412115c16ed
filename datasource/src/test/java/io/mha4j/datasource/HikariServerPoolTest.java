package io.mha4j.datasource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The real pool against a port nobody listens on: no server needed. */
class HikariServerPoolTest {
    private static final DataSourceSettings SETTINGS = DataSourceSettings.builder()
            .connectionTimeout(Duration.ofMillis(500))
            .build();

    private static ServerConfig downServer() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return ApplicationConfig.builder("app1")
                .user("mha")
                .password("s3cret-pw")
                .server("server1", s -> s.hostname("127.0.0.1").port(port))
                .build()
                .server("server1")
                .orElseThrow();
    }

    @Test
    void aPoolForADownServerIsMadeAndFailsWithinTheConnectionTimeout() throws IOException {
        try (HikariServerPool pool = new HikariServerPool("app1", downServer(), SETTINGS)) {
            long start = System.nanoTime();
            assertThatThrownBy(pool::getConnection)
                    .isInstanceOf(SQLException.class)
                    .hasMessageNotContaining("s3cret-pw");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(pool.toString()).isEqualTo("mha4j-app1-server1");
        }
    }

    @Test
    void aStatementRefusedByReadOnlyIsToldAndOtherErrorsAreNot() {
        assertThat(HikariServerPool.refusedForReadOnly(new SQLException(
                        "The MariaDB server is running with the --read-only option so it cannot execute this statement",
                        "HY000",
                        1290)))
                .isTrue();
        assertThat(HikariServerPool.refusedForReadOnly(new SQLException(
                        "The MySQL server is running with the --super-read-only option so it cannot execute this"
                                + " statement",
                        "HY000",
                        1290)))
                .isTrue();
        assertThat(HikariServerPool.refusedForReadOnly(new SQLException(
                        "The MySQL server is running with the --secure-file-priv option so it cannot execute this"
                                + " statement",
                        "HY000",
                        1290)))
                .isFalse();
        assertThat(HikariServerPool.refusedForReadOnly(new SQLException("Duplicate entry '1'", "23000", 1062)))
                .isFalse();
    }

    @Test
    void aClosedPoolRefusesConnections() throws IOException {
        HikariServerPool pool = new HikariServerPool("app1", downServer(), SETTINGS);
        pool.evict();
        pool.close();

        assertThatThrownBy(pool::getConnection).isInstanceOf(SQLException.class).hasMessageContaining("closed");
    }
}
