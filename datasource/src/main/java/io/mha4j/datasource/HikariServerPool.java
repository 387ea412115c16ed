package io.mha4j.datasource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.mha4j.config.ServerConfig;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One server's HikariCP pool, over mysql-connector-j (core's driver). The password travels in the
 * pool's data-source properties, never in the URL, so neither HikariCP's configuration dump nor a
 * log line carries it.
 */
final class HikariServerPool implements ServerPool {
    private final ServerConfig server;
    private final HikariDataSource pool;

    HikariServerPool(String application, ServerConfig server, DataSourceSettings settings) {
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
        this.pool = new HikariDataSource(c);
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
