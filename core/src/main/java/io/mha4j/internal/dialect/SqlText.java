package io.mha4j.internal.dialect;

import io.mha4j.config.Secret;

/** Literals inside rendered statements. */
final class SqlText {
    private SqlText() {}

    /**
     * A quoted string literal. Backslashes are escaped, which is right for every sql_mode
     * except NO_BACKSLASH_ESCAPES; {@code JdbcSqlSession} removes that mode from its sessions.
     */
    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** The quoted password as sent, and as shown. */
    static String[] password(Secret secret) {
        return new String[] {quote(secret.reveal()), "'" + Secret.MASK + "'"};
    }

    static boolean isOn(String value) {
        return value != null
                && switch (value.trim().toUpperCase(java.util.Locale.ROOT)) {
                    case "ON", "1", "YES", "TRUE" -> true;
                    default -> false;
                };
    }
}
