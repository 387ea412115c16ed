package io.mha4j.server;

import io.mha4j.config.ServerConfig;
import io.mha4j.internal.dialect.Dialects;
import io.mha4j.internal.sql.JdbcSqlSession;
import java.time.Clock;
import java.util.List;

/**
 * An open connection to one configured server, with the {@link Dialect} chosen once from its
 * version. Not thread-safe; close it when done.
 */
public final class ServerConnection implements AutoCloseable {
    private final ServerConfig config;
    private final SqlSession session;
    private final Dialect dialect;
    private final ServerStateReader reader;

    private ServerConnection(ServerConfig config, SqlSession session, Dialect dialect, Clock clock) {
        this.config = config;
        this.session = session;
        this.dialect = dialect;
        this.reader = new ServerStateReader(clock);
    }

    /**
     * Connects as the configured admin user ({@code user}/{@code password}) with the configured
     * timeouts, and reads the version to choose the dialect.
     *
     * @throws SqlFailure if the server cannot be reached or refuses the login
     * @throws UnsupportedServerException for a version mha4j cannot manage
     */
    public static ServerConnection open(ServerConfig config, Clock clock) {
        SqlSession session = JdbcSqlSession.open(config.displayName(), config.address(), config.port(),
                config.user(), config.password(), config.sqlConnectTimeout(), config.sqlReadTimeout());
        try {
            return new ServerConnection(config, session, detectDialect(session), clock);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** Wraps an existing session (a test double, or a session the host application owns). */
    public static ServerConnection over(ServerConfig config, SqlSession session, Clock clock) {
        return new ServerConnection(config, session, detectDialect(session), clock);
    }

    private static Dialect detectDialect(SqlSession session) {
        Row row = session.query("SELECT @@version AS version, @@version_comment AS version_comment").get(0);
        return Dialects.forVersion(ServerVersion.parse(row.text("version"), row.text("version_comment")));
    }

    public ServerConfig config() {
        return config;
    }

    public Dialect dialect() {
        return dialect;
    }

    public SqlSession session() {
        return session;
    }

    /** Reads the server's state in one pass. */
    public ServerState readState() {
        return reader.read(session, dialect);
    }

    /** Executes statements in order; the first failure stops the rest. */
    public void execute(List<SqlStatement> statements) {
        statements.forEach(session::execute);
    }

    public void execute(SqlStatement statement) {
        session.execute(statement);
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
