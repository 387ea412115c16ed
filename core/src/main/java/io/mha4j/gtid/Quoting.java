package io.mha4j.gtid;

/**
 * Quotes GTID text for exception messages: on one line, and short enough for a log even when
 * the set has thousands of sources.
 */
final class Quoting {

    /** Longest text quoted whole; longer text is cut to a window of about this size. */
    private static final int LIMIT = 160;

    private static final int CONTEXT = LIMIT / 2;

    private Quoting() {}

    /** {@code text} in single quotes, its middle elided past {@value #LIMIT} characters. */
    static String whole(String text) {
        if (text.length() <= LIMIT) {
            return quote(text);
        }
        return quote(text.substring(0, CONTEXT) + "…" + text.substring(text.length() - CONTEXT));
    }

    /** {@code text} in single quotes, cut to a window around {@code offset} if it is long. */
    static String around(String text, int offset) {
        if (text.length() <= LIMIT) {
            return quote(text);
        }
        int from = Math.max(0, offset - CONTEXT);
        int to = Math.min(text.length(), offset + CONTEXT);
        return quote((from > 0 ? "…" : "") + text.substring(from, to) + (to < text.length() ? "…" : ""));
    }

    private static String quote(String text) {
        return "'" + text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t") + "'";
    }
}
