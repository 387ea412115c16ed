package io.mha4j.datasource;

import io.mha4j.config.ServerConfig;
import java.sql.Connection;
import java.sql.SQLException;

/** The connections to one server: a {@link HikariServerPool}, or a fake in tests. */
interface ServerPool extends AutoCloseable {

    ServerConfig server();

    /** A connection to {@link #server()}; waits at most the pool's connection timeout. */
    Connection getConnection() throws SQLException;

    /** Closes the idle connections now and each borrowed one when it is returned; the pool stays open. */
    void evict();

    /** Evicts, aborts the borrowed connections and refuses every later {@link #getConnection()}. */
    @Override
    void close();
}
