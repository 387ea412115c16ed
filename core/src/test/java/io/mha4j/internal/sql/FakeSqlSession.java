package io.mha4j.internal.sql;

import io.mha4j.server.Dialect;
import io.mha4j.server.Row;
import io.mha4j.server.SqlFailure;
import io.mha4j.server.SqlStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A SqlSession that answers queries from a script and records statements. */
final class FakeSqlSession implements SqlSession {
    private final Map<String, List<Row>> answers = new HashMap<>();
    final List<SqlStatement> executed = new ArrayList<>();
    final List<String> queried = new ArrayList<>();

    FakeSqlSession answer(String sql, List<Row> rows) {
        answers.put(sql, rows);
        return this;
    }

    FakeSqlSession answer(String sql, Map<String, String> row) {
        return answer(sql, List.of(Row.of(row)));
    }

    FakeSqlSession variables(Map<String, String> variables, Dialect dialect) {
        List<Row> rows = new ArrayList<>();
        variables.forEach((k, v) -> {
            Map<String, String> r = new HashMap<>();
            r.put("Variable_name", k);
            r.put("Value", v);
            rows.add(Row.of(r));
        });
        return answer(dialect.globalVariables().sql(), rows);
    }

    @Override
    public List<Row> query(SqlStatement query) {
        queried.add(query.sql());
        List<Row> rows = answers.get(query.sql());
        if (rows == null) {
            throw new SqlFailure(
                    serverName(),
                    query.redacted(),
                    SqlFailure.Kind.STATEMENT_ERROR,
                    1064,
                    "42000",
                    "not scripted",
                    null);
        }
        return rows;
    }

    @Override
    public void execute(SqlStatement statement) {
        executed.add(statement);
    }

    @Override
    public String serverName() {
        return "fake(127.0.0.1:3306)";
    }

    @Override
    public void close() {}
}
