package io.mha4j.server;

import java.util.List;

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

    /** A name for the server in messages, e.g. {@code 10.0.0.51(10.0.0.51:3306)}. */
    String serverName();

    @Override
    void close();

    /** Shorthand for a query without secrets. */
    default List<Row> query(String sql) {
        return query(SqlStatement.of(sql));
    }
}
