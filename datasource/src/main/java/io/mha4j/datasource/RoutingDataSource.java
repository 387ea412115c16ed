package io.mha4j.datasource;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that picks a server's pool for each connection: what is common to the
 * writer and the reader. Credentials come from the settings, so the two-argument {@code
 * getConnection} is refused rather than silently ignoring its arguments.
 */
abstract class RoutingDataSource implements DataSource {
    private volatile int loginTimeoutSeconds;

    @Override
    public final Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException(
                "the account is chosen once, in DataSourceSettings.credentials(); use getConnection()");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // logs go to SLF4J
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // kept for the interface's contract; the settings' connectionTimeout bounds every wait
        this.loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("mha4j logs through SLF4J");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException(getClass().getSimpleName() + " does not wrap a " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
