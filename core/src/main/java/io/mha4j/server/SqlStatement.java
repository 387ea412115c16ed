package io.mha4j.server;

import java.util.Objects;

/**
 * A SQL statement together with the text that may be shown to people. Statements that carry a
 * password (CHANGE MASTER TO …) render it in {@link #sql()} for the server only;
 * {@link #toString()} and {@link #redacted()} show {@code 'xxx'} instead, so a statement can
 * be logged or put in a report as it is.
 */
public final class SqlStatement {
    private final String sql;
    private final String redacted;

    private SqlStatement(String sql, String redacted) {
        this.sql = Objects.requireNonNull(sql);
        this.redacted = Objects.requireNonNull(redacted);
    }

    /** A statement without secrets. */
    public static SqlStatement of(String sql) {
        return new SqlStatement(sql, sql);
    }

    /** A statement whose shown form differs from what is sent, e.g. with a password masked. */
    public static SqlStatement withSecret(String sql, String redacted) {
        return new SqlStatement(sql, redacted);
    }

    /** The text to send to the server. Never log it. */
    public String sql() {
        return sql;
    }

    /** The text to show to people. */
    public String redacted() {
        return redacted;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SqlStatement s && s.sql.equals(sql);
    }

    @Override
    public int hashCode() {
        return sql.hashCode();
    }

    @Override
    public String toString() {
        return redacted;
    }
}
