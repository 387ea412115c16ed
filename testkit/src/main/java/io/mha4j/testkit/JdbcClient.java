package io.mha4j.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Short SQL calls against one node over a fresh connection each, with errors that name the
 * node and never show a sandbox password.
 */
final class JdbcClient {

    private final String name;
    private final Supplier<Endpoint> endpoint;
    private final SandboxCredentials credentials;

    JdbcClient(String name, Supplier<Endpoint> endpoint, SandboxCredentials credentials) {
        this.name = name;
        this.endpoint = endpoint;
        this.credentials = credentials;
    }

    /** 5 s to connect, 30 s per read: a paused server fails calls instead of hanging them. */
    String jdbcUrl() {
        return endpoint.get().jdbcUrl(5_000, 30_000);
    }

    Connection connect(Credentials user) {
        try {
            return DriverManager.getConnection(jdbcUrl(), user.user(), user.password());
        } catch (SQLException e) {
            throw new SandboxException(
                    name + ": cannot connect to " + endpoint.get() + " as " + user.user() + ": " + e.getMessage(), e);
        }
    }

    void execute(String... sql) {
        try (Connection c = connect(credentials.admin());
                Statement s = c.createStatement()) {
            for (String statement : sql) {
                try {
                    s.execute(statement);
                } catch (SQLException e) {
                    throw failed(statement, e);
                }
            }
        } catch (SQLException e) {
            throw new SandboxException(name + ": " + e.getMessage(), e);
        }
    }

    List<Map<String, String>> query(String sql) {
        try (Connection c = connect(credentials.admin());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, String>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rs.getString(i));
                }
                rows.add(Collections.unmodifiableMap(row));
            }
            return Collections.unmodifiableList(rows);
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    private SandboxException failed(String sql, SQLException e) {
        return new SandboxException(name + ": '" + redact(sql) + "' failed: " + e.getMessage(), e);
    }

    private String redact(String sql) {
        String redacted = sql;
        for (Credentials c : List.of(credentials.admin(), credentials.replication(), credentials.application())) {
            redacted = redacted.replace(c.password(), "xxx");
        }
        return redacted;
    }
}
