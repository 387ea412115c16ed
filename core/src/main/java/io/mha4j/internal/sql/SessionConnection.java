package io.mha4j.internal.sql;

import io.mha4j.config.ServerConfig;
import io.mha4j.internal.dialect.Dialects;
import io.mha4j.server.Dialect;
import io.mha4j.server.Row;
import io.mha4j.server.ServerConnection;
import io.mha4j.server.ServerState;
import io.mha4j.server.ServerVersion;
import io.mha4j.server.SqlStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** {@link ServerConnection} over a {@link SqlSession}: JDBC, or a scripted session in tests. */
public final class SessionConnection implements ServerConnection {
    private final ServerConfig config;
    private final SqlSession session;
    private final Dialect dialect;
    private final ServerStateReader reader;

    private SessionConnection(ServerConfig config, SqlSession session, Dialect dialect, Clock clock) {
        this.config = config;
        this.session = session;
        this.dialect = dialect;
        this.reader = new ServerStateReader(clock);
    }

    /** {@link ServerConnection#open}: JDBC as the configured admin user, with the configured timeouts. */
    public static ServerConnection open(ServerConfig config, Clock clock) {
        return over(
                config,
                JdbcSqlSession.open(
                        config.displayName(),
                        config.address(),
                        config.port(),
                        config.user(),
                        config.password(),
                        config.sqlConnectTimeout(),
                        config.sqlReadTimeout()),
                clock);
    }

    /**
     * Wraps an open session, reading the version to choose the dialect. When that fails, the session
     * is closed: a connection that cannot be identified is of no use to anyone, and its caller never
     * gets hold of it to close it.
     */
    public static ServerConnection over(ServerConfig config, SqlSession session, Clock clock) {
        try {
            Row row = session.query("SELECT @@version AS version, @@version_comment AS version_comment")
                    .get(0);
            Dialect dialect =
                    Dialects.forVersion(ServerVersion.parse(row.text("version"), row.text("version_comment")));
            return new SessionConnection(config, session, dialect, clock);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    @Override
    public ServerConfig config() {
        return config;
    }

    @Override
    public Dialect dialect() {
        return dialect;
    }

    @Override
    public ServerState readState() {
        return reader.read(session, dialect);
    }

    @Override
    public void execute(List<SqlStatement> statements) {
        statements.forEach(session::execute);
    }

    @Override
    public void execute(SqlStatement statement) {
        session.execute(statement);
    }

    @Override
    public List<Row> query(SqlStatement query) {
        return session.query(query);
    }

    @Override
    public <T> T withReadTimeout(Duration timeout, Supplier<T> body) {
        return session.withReadTimeout(timeout, body);
    }

    @Override
    public void close() {
        session.close();
    }

    @Override
    public String toString() {
        return "ServerConnection[" + config.displayName() + ", " + dialect.version() + "]";
    }
}
