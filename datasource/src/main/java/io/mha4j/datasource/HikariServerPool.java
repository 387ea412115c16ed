package io.mha4j.datasource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.SQLExceptionOverride;
import io.mha4j.config.ServerConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * One server's HikariCP pool, over mysql-connector-j (core's driver). The password travels in the
 * pool's data-source properties, never in the URL, so neither HikariCP's configuration dump nor a
 * log line carries it.
 */
final class HikariServerPool implements ServerPool {
    /** {@code ER_OPTION_PREVENTS_STATEMENT}: with "--read-only" (or "--super-read-only") in its message. */
    private static final int OPTION_PREVENTS_STATEMENT = 1290;

    private final ServerConfig server;
    private final HikariDataSource pool;

    HikariServerPool(String application, ServerConfig server, DataSourceSettings settings) {
        this(application, server, settings, () -> {});
    }

    /**
     * @param readOnlyRefusal told (on the application's thread, so it must be quick) when a statement
     *     on one of its connections is refused because the server is read-only: how a demoted master
     *     shows itself to the application before anyone else tells
     */
    HikariServerPool(String application, ServerConfig server, DataSourceSettings settings, Runnable readOnlyRefusal) {
        this.server = server;
        HikariConfig c = new HikariConfig();
        c.setPoolName("mha4j-" + application + "-" + server.block());
        String host = server.address();
        c.setJdbcUrl("jdbc:mysql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port() + "/");
        c.setUsername(settings.user().orElse(server.user()));
        c.addDataSourceProperty(
                "password", settings.password().orElse(server.password()).reveal());
        c.addDataSourceProperty(
                "connectTimeout", Long.toString(settings.connectionTimeout().toMillis()));
        c.addDataSourceProperty("connectionAttributes", "program_name:mha4j-datasource");
        c.setMaximumPoolSize(settings.maximumPoolSize());
        c.setMinimumIdle(Math.min(2, settings.maximumPoolSize()));
        c.setConnectionTimeout(settings.connectionTimeout().toMillis());
        // A server that is down when its pool is made (a replica being rewired) must not fail the
        // switch: the pool starts empty and connects when asked.
        c.setInitializationFailTimeout(-1);
        // HikariCP asks this of every SQLException its connections and statements throw.
        c.setExceptionOverride(new SQLExceptionOverride() {
            @java.lang.Override // the interface's nested enum is named Override too
            public SQLExceptionOverride.Override adjudicate(SQLException e) {
                if (refusedForReadOnly(e)) {
                    readOnlyRefusal.run();
                }
                return SQLExceptionOverride.Override.CONTINUE_EVICT;
            }
        });
        this.pool = new HikariDataSource(c);
    }

    static boolean refusedForReadOnly(SQLException e) {
        return e.getErrorCode() == OPTION_PREVENTS_STATEMENT
                && e.getMessage() != null
                && e.getMessage().toLowerCase(Locale.ROOT).contains("read-only");
    }

    @Override
    public ServerConfig server() {
        return server;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void evict() {
        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        if (bean != null) {
            bean.softEvictConnections();
        }
    }

    @Override
    public void close() {
        evict();
        // HikariCP's shutdown aborts the connections still borrowed (Connection.abort): a thread
        // holding one gets an error on its next statement, not a write on this server.
        pool.close();
    }

    @Override
    public String toString() {
        return pool.getPoolName();
    }
}
