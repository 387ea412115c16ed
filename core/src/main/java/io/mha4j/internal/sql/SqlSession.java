package io.mha4j.internal.sql;

import io.mha4j.server.Row;
import io.mha4j.server.SqlStatement;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * A connection to one server, as small as the rest of mha4j needs: run a query, run a
 * statement. Real sessions are JDBC ({@code JdbcSqlSession}); logic is unit-tested with fakes.
 * Implementations throw {@link SqlFailure} and are not thread-safe.
 */
public interface SqlSession extends AutoCloseable {

    /** Runs a query and returns every row. */
    List<Row> query(SqlStatement query);

    /** Runs a statement that returns no rows. */
    void execute(SqlStatement statement);

    /**
     * Runs {@code body} with every statement's answer bounded by {@code timeout} instead of the
     * session's read timeout, then restores it: polls that must not be held by a frozen server
     * (one that accepts TCP and never answers). A statement that times out breaks the session.
     * Sessions without a network (test doubles) just run {@code body}.
     */
    default <T> T withReadTimeout(Duration timeout, Supplier<T> body) {
        return body.get();
    }

    /** A name for the server in messages, e.g. {@code 10.0.0.51(10.0.0.51:3306)}. */
    String serverName();

    @Override
    void close();

    /** Shorthand for a query without secrets. */
    default List<Row> query(String sql) {
        return query(SqlStatement.of(sql));
    }
}
