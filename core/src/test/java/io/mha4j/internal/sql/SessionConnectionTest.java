package io.mha4j.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.server.Row;
import io.mha4j.server.SqlFailure;
import io.mha4j.server.SqlStatement;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A session that cannot be identified is closed, not left to a caller that never gets it. */
class SessionConnectionTest {

    @Test
    void aSessionWhoseVersionCannotBeReadIsClosed() {
        AtomicBoolean closed = new AtomicBoolean();
        SqlSession silent = new SqlSession() {
            @Override
            public List<Row> query(SqlStatement query) {
                throw new SqlFailure(
                        "10.0.0.52(10.0.0.52:3306)",
                        query.sql(),
                        SqlFailure.Kind.TIMEOUT,
                        0,
                        null,
                        "no answer in time",
                        null);
            }

            @Override
            public void execute(SqlStatement statement) {}

            @Override
            public String serverName() {
                return "10.0.0.52(10.0.0.52:3306)";
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        ApplicationConfig config = ApplicationConfig.builder("app1")
                .user("mha")
                .password("pw")
                .server("server2", s -> s.hostname("10.0.0.52"))
                .build();

        assertThatThrownBy(() -> SessionConnection.over(config.servers().get(0), silent, Clock.systemUTC()))
                .isInstanceOf(SqlFailure.class)
                .hasMessageContaining("no answer in time");
        assertThat(closed).isTrue();
    }
}
