package io.mha4j.gtid;

/**
 * Reads MySQL GTID set text:
 *
 * <pre>
 * set      = "" | source { "," source }
 * source   = uuid ":" element { ":" element }
 * element  = tag | interval                 (a tag applies to the intervals after it)
 * interval = number [ "-" number ]          (1 ≤ first ≤ last ≤ 2^63-1)
 * </pre>
 *
 * <p>Whitespace may stand between any two tokens. Stricter than the server in two places,
 * because neither occurs in what a server prints and both hide mistakes in hand-written
 * text: an empty source ({@code a,,b}) and a range that ends before it starts ({@code 5-3}),
 * which the server skips silently, are errors. A tag must be followed by an interval.
 */
final class MysqlGtidSetParser {

    private static final String UUID_EXAMPLE = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    private final TextCursor cursor;
    private final MysqlGtidSet.Builder set = MysqlGtidSet.builder();

    private MysqlGtidSetParser(String text) {
        this.cursor = new TextCursor("MySQL GTID set", text);
    }

    static MysqlGtidSet parse(String text) {
        return new MysqlGtidSetParser(text).set();
    }

    private MysqlGtidSet set() {
        if (cursor.atEnd()) {
            return MysqlGtidSet.empty();
        }
        do {
            source();
        } while (cursor.consume(","));
        if (!cursor.atEnd()) {
            throw cursor.failHere("expected ':' and an interval, ',' and a UUID, or the end, " + cursor.found());
        }
        return set.build();
    }

    private void source() {
        int start = cursor.startToken();
        String uuid = cursor.read(c -> c == '-' || Character.digit(c, 16) >= 0);
        if (!MysqlGtidSet.UUID.matcher(uuid).matches()) {
            cursor.rewind(start);
            throw cursor.failHere("expected a UUID like " + UUID_EXAMPLE + ", " + cursor.found());
        }
        cursor.expect(":", "':' after the UUID");
        String tag = "";
        int tagStart = -1;
        boolean tagHasIntervals = true;
        do {
            char next = cursor.peek();
            if (TextCursor.isDigit(next)) {
                interval(uuid, tag);
                tagHasIntervals = true;
            } else if (next == '_' || Character.isLetter(next)) {
                if (!tagHasIntervals) {
                    throw cursor.failAt(tagStart, "tag '" + tag + "' has no interval after it");
                }
                tagStart = cursor.startToken();
                tag = tag();
                tagHasIntervals = false;
            } else {
                throw cursor.failHere("expected an interval like 1-5 or a tag, " + cursor.found());
            }
        } while (cursor.consume(":"));
        if (!tagHasIntervals) {
            throw cursor.failHere("expected an interval like 1-5 after tag '" + tag + "', " + cursor.found());
        }
    }

    private void interval(String uuid, String tag) {
        int start = cursor.startToken();
        long first = number();
        long last = cursor.consume("-") ? number() : first;
        if (last < first) {
            throw cursor.failAt(start, "interval " + first + "-" + last + " ends before it starts");
        }
        set.addChecked(uuid, tag, first, last);
    }

    private long number() {
        return cursor.readNumber("transaction number", 1, Long.MAX_VALUE, "");
    }

    private String tag() {
        int start = cursor.startToken();
        String tag = cursor.read(c -> c != ':' && c != ',' && !Character.isWhitespace(c));
        if (!MysqlGtidSet.TAG.matcher(tag).matches()) {
            String problem = tag.length() > 32
                    ? "tag '" + tag + "' is longer than 32 characters"
                    : "tag '" + tag + "' may hold only the letters a-z, digits and underscores";
            throw cursor.failAt(start, problem);
        }
        return tag;
    }
}
