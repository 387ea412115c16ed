package io.mha4j.server;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One result row as text, columns looked up case-insensitively. Everything replication status
 * tells is text or a number; keeping rows as text keeps the SQL seam small.
 */
public final class Row {
    private final Map<String, String> columns;

    private Row(Map<String, String> columns) {
        this.columns = columns;
    }

    /** A row from column names to values; {@code null} values are SQL NULLs. */
    public static Row of(Map<String, String> columns) {
        Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(columns);
        return new Row(Collections.unmodifiableMap(copy));
    }

    public boolean has(String column) {
        return columns.containsKey(column);
    }

    /** The value, empty for SQL NULL or a missing column. */
    public Optional<String> get(String column) {
        return Optional.ofNullable(columns.get(column));
    }

    /** The value, or "" for NULL or missing. */
    public String text(String column) {
        return get(column).orElse("");
    }

    /** The value as a number, empty for NULL, missing or empty text. */
    public OptionalLong number(String column) {
        String v = columns.get(column);
        if (v == null || v.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("column " + column + " holds '" + v + "', not a number", e);
        }
    }

    public Map<String, String> asMap() {
        return columns;
    }

    @Override
    public String toString() {
        return columns.toString();
    }
}
