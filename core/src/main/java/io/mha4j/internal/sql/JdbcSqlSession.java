package io.mha4j.internal.sql;

import io.mha4j.config.Secret;
import io.mha4j.server.Row;
import io.mha4j.server.SqlFailure;
import io.mha4j.server.SqlStatement;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * A {@link SqlSession} over mysql-connector-j. The password travels in the driver's
 * properties, never in a URL. Connect and read timeouts bound every call, so a hung server
 * turns into a {@link SqlFailure.Kind#TIMEOUT} rather than a hung manager.
 */
public final class JdbcSqlSession implements SqlSession {
    /**
     * Connector/J's driver that registers nothing globally and needs no DriverManager scan. Named,
     * not imported: Connector/J has no module name of its own, so core's module descriptor must not
     * require it, and on the module path it is an automatic module that reflection may read.
     */
    static final String DRIVER_CLASS = "com.mysql.cj.jdbc.NonRegisteringDriver";

    private static final Driver DRIVER = newDriver();

    private final String serverName;
    private final Connection connection;
    private boolean backslashEscapesChecked;

    private JdbcSqlSession(String serverName, Connection connection) {
        this.serverName = serverName;
        this.connection = connection;
    }

    /**
     * Opens a connection.
     *
     * @throws SqlFailure with kind CONNECTION_REFUSED, TIMEOUT, ACCESS_DENIED or OTHER
     */
    public static JdbcSqlSession open(
            String serverName,
            String host,
            int port,
            String user,
            Secret password,
            Duration connectTimeout,
            Duration readTimeout) {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password.reveal());
        props.setProperty("connectTimeout", Long.toString(connectTimeout.toMillis()));
        // The login handshake is part of connecting: a host that accepts TCP but never greets (a
        // hung server, a black-holing middlebox) must fail within the connect timeout, not the read one.
        props.setProperty("socketTimeout", Long.toString(connectTimeout.toMillis()));
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("autoReconnect", "false");
        props.setProperty("connectionAttributes", "program_name:mha4j");
        // The server's time zone is irrelevant to replication state; skip the driver's lookup.
        props.setProperty("connectionTimeZone", "SERVER");
        String url = "jdbc:mysql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/";
        try {
            Connection connection = DRIVER.connect(url, props);
            try {
                connection.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
            return new JdbcSqlSession(serverName, connection);
        } catch (SQLException e) {
            throw SqlFailures.of(serverName, null, e);
        }
    }

    @Override
    public List<Row> query(SqlStatement query) {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(query.sql())) {
            ResultSetMetaData md = rs.getMetaData();
            List<Row> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, String> columns = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    columns.put(md.getColumnLabel(i), rs.getString(i));
                }
                rows.add(Row.of(columns));
            }
            return rows;
        } catch (SQLException e) {
            throw SqlFailures.of(serverName, query.redacted(), e);
        }
    }

    @Override
    public void execute(SqlStatement statement) {
        if (!statement.sql().equals(statement.redacted())) {
            ensureBackslashEscapes();
        }
        try (Statement st = connection.createStatement()) {
            st.execute(statement.sql());
        } catch (SQLException e) {
            throw SqlFailures.of(serverName, statement.redacted(), e);
        }
    }

    /**
     * Literals with secrets are escaped for the default sql_mode; a server running with
     * NO_BACKSLASH_ESCAPES would read a password's backslashes differently, so drop that mode
     * from this session before the first such statement.
     */
    private void ensureBackslashEscapes() {
        if (!backslashEscapesChecked) {
            execute(SqlStatement.of("SET SESSION sql_mode = TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode,"
                    + " ','), ',NO_BACKSLASH_ESCAPES,', ','))"));
            backslashEscapesChecked = true;
        }
    }

    @Override
    public <T> T withReadTimeout(Duration timeout, Supplier<T> body) {
        int previous;
        try {
            previous = connection.getNetworkTimeout();
            connection.setNetworkTimeout(
                    Runnable::run, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        } catch (SQLException e) {
            throw SqlFailures.of(serverName, "(set the read timeout)", e);
        }
        try {
            return body.get();
        } finally {
            try {
                if (!connection.isClosed()) {
                    connection.setNetworkTimeout(Runnable::run, previous);
                }
            } catch (SQLException e) {
                // A statement timed out and broke the connection: nothing left to restore.
            }
        }
    }

    @Override
    public String serverName() {
        return serverName;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Closing a broken connection fails; there is nothing left to release.
        }
    }

    private static Driver newDriver() {
        try {
            return (Driver) Class.forName(DRIVER_CLASS, true, JdbcSqlSession.class.getClassLoader())
                    .getDeclaredConstructor()
                    .newInstance();
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(new IllegalStateException(
                    "mysql-connector-j (" + DRIVER_CLASS + ") is not on the class or module path (on the module path,"
                            + " resolve with service binding or add the module mysql.connector.j)",
                    e));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(new IllegalStateException(
                    "mysql-connector-j's " + DRIVER_CLASS + " could not be created: " + e.getCause(), e));
        }
    }
}
