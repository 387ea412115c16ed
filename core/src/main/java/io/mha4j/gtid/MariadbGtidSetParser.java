package io.mha4j.gtid;

/**
 * Reads MariaDB GTID text:
 *
 * <pre>
 * set    = "" | entry { "," entry }
 * entry  = domain "-" server "-" seqs      (domain, server: 0 .. 2^32-1)
 * seqs   = number                          (a position: 1 .. number)
 *        | range { ":" range }             (mha4j's notation for other sets)
 * range  = number ".." number              (1 ≤ first ≤ last ≤ 2^63-1)
 * </pre>
 *
 * <p>Whitespace may stand between any two tokens. Several entries for one domain (as in
 * {@code gtid_binlog_state}) are united, which keeps the server id of the highest sequence
 * number. An empty entry ({@code a,,b}) is an error.
 */
final class MariadbGtidSetParser {

    private static final String BEYOND_LONG =
            " (MariaDB allows up to 18446744073709551615; mha4j supports sequence numbers up to 2^63-1)";

    private final TextCursor cursor;
    private final MariadbGtidSet.Builder set = MariadbGtidSet.builder();

    private MariadbGtidSetParser(String text) {
        this.cursor = new TextCursor("MariaDB GTID set", text);
    }

    static MariadbGtidSet parse(String text) {
        return new MariadbGtidSetParser(text).set();
    }

    private MariadbGtidSet set() {
        if (cursor.atEnd()) {
            return MariadbGtidSet.empty();
        }
        do {
            entry();
        } while (cursor.consume(","));
        if (!cursor.atEnd()) {
            throw cursor.failHere("expected ',' and another GTID, or the end, " + cursor.found());
        }
        return set.build();
    }

    private void entry() {
        long domain = cursor.readNumber("domain id", 0, MariadbGtidSet.MAX_ID, "");
        cursor.expect("-", "'-' and a server id, as in 0-1-100");
        long serverId = cursor.readNumber("server id", 0, MariadbGtidSet.MAX_ID, "");
        cursor.expect("-", "'-' and a sequence number, as in 0-1-100");
        int start = cursor.startToken();
        long first = seq();
        if (!cursor.consume("..")) {
            set.addChecked(domain, serverId, 1, first);
            return;
        }
        rangeEnd(domain, serverId, start, first);
        while (cursor.consume(":")) {
            int pieceStart = cursor.startToken();
            long pieceFirst = seq();
            // Later pieces must be ranges too: a bare "7" would read as 1..7 and hide a typo.
            cursor.expect("..", "'..' and the end of the range, as in 7..9");
            rangeEnd(domain, serverId, pieceStart, pieceFirst);
        }
    }

    private void rangeEnd(long domain, long serverId, int start, long first) {
        long last = seq();
        if (last < first) {
            throw cursor.failAt(start, "range " + first + ".." + last + " ends before it starts");
        }
        set.addChecked(domain, serverId, first, last);
    }

    private long seq() {
        return cursor.readNumber("sequence number", 1, Long.MAX_VALUE, BEYOND_LONG);
    }
}
