package io.mha4j.internal.failover;

import io.mha4j.gtid.GtidSet;
import io.mha4j.gtid.MariadbGtidSet;
import io.mha4j.server.Dialect;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one pass over a saved-events file found: the shape of {@code mariadb-binlog} and
 * {@code mysqlbinlog} output (their preamble, one format description event per binary log they
 * opened, their closing {@code # End of log file}) and the GTIDs of the transactions in it, as
 * MariaDB's event comment {@code # ... GTID 0-1-42 trans} and MySQL's
 * {@code SET @@SESSION.GTID_NEXT= 'uuid:42'} print them. Read line by line: the file may be large.
 *
 * @param preamble the first line that is not a comment is the tools' {@code PSEUDO_SLAVE_MODE=1}
 *     preamble (what is printed before any binary log is opened), e.g. not a stray line of a
 *     login shell's background job
 * @param firstLine that line, for messages
 * @param logs how many binary logs the tool opened: their format description events
 *     ({@code Start: binlog v 4}) printed; each log's is printed whatever the start position
 * @param ended the tool's closing {@code # End of log file} was printed
 * @param transactions the GTIDs of the transactions printed to their end ({@code COMMIT}, or a
 *     standalone statement such as DDL printed whole), in order
 * @param unfinished the GTIDs of transactions whose end was not printed: a log cut off
 *     mid-transaction (a crash mid-write), which the tool reads as ended when the log was not
 *     closed properly; the master never committed them, and the replaying client rolls them
 *     back (the tool's {@code ROLLBACK} after a log, or the end of its input)
 * @param from the byte the first log was read from; 0: its start
 * @param misplaced with a {@code from}, why the first event printed after the first log's format
 *     description is not one at {@code from} that begins or follows a transaction, or empty: a
 *     start inside an event reads garbage, or nothing when the log was not closed properly
 */
record BinlogText(
        boolean preamble,
        String firstLine,
        int logs,
        boolean ended,
        List<String> transactions,
        List<String> unfinished,
        long from,
        String misplaced) {
    static final String PREAMBLE = "/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=1*/;";
    private static final String HEADER = "^#\\d{6}\\s+\\d{1,2}:\\d{2}:\\d{2}\\s+server id \\d+\\s+end_log_pos \\d+";
    /** An event header: {@code #261125  4:25:25 server id 1  end_log_pos 642 CRC32 0x… \tGTID 0-1-3 trans}. */
    private static final Pattern MARIADB = Pattern.compile(HEADER + ".*\\sGTID (\\d+-\\d+-\\d+)\\b");

    private static final Pattern MYSQL =
            Pattern.compile("GTID_NEXT\\s*=\\s*'([0-9a-fA-F-]{36}(?::[A-Za-z0-9_]+)?:\\d+)'");
    private static final Pattern START = Pattern.compile(HEADER + ".*\\sStart: binlog v \\d+");
    /**
     * The events an executed position can point at: a transaction's GTID, or what a log holds
     * between transactions (its GTID list, a checkpoint, its rotation to the next log, a
     * shutdown's stop).
     */
    private static final Pattern BETWEEN_TRANSACTIONS =
            Pattern.compile(HEADER + ".*\\s(?:GTID \\d+-\\d+-\\d+|Gtid list |Binlog checkpoint |Rotate to |Stop$)");

    private static final Pattern AT = Pattern.compile("# at (\\d+)");

    private static final Pattern EVENT = Pattern.compile(HEADER);
    /** What ends a statement the tool printed: {@code /*!*}{@code /;} alone on its line. */
    private static final String STATEMENT_END = "/*!*/;";

    BinlogText {
        transactions = List.copyOf(transactions);
        unfinished = List.copyOf(unfinished);
    }

    /**
     * These GTIDs as a set of exactly these transactions: MariaDB's {@code 0-1-42} alone reads as a
     * position (transactions 1 to 42), so each is read as the range {@code 0-1-42..42}. Consecutive
     * ones of one source become one range before the set is parsed: a tail of thousands of
     * transactions is a few ranges, and a parse of thousands of entries took 40 ms on a fresh JVM.
     */
    static GtidSet exactly(Dialect dialect, List<String> gtids) {
        try {
            return dialect.parseGtids(ranges(gtids));
        } catch (NumberFormatException e) {
            // A sequence number beyond a long: the parser says so, naming the GTID.
            return dialect.parseGtids(String.join(
                    ",",
                    gtids.stream()
                            .map(g -> g.indexOf(':') < 0 ? g + ".." + g.substring(g.lastIndexOf('-') + 1) : g)
                            .toList()));
        }
    }

    private static String ranges(List<String> gtids) {
        StringBuilder text = new StringBuilder();
        String source = null;
        long first = 0;
        long last = 0;
        boolean mariadb = false;
        for (String gtid : gtids) {
            boolean isMariadb = gtid.indexOf(':') < 0; // MySQL's are uuid:n, MariaDB's d-s-n
            int cut = isMariadb ? gtid.lastIndexOf('-') : gtid.lastIndexOf(':');
            String from = gtid.substring(0, cut);
            long seq = Long.parseLong(gtid.substring(cut + 1));
            if (from.equals(source) && isMariadb == mariadb && seq == last + 1) {
                last = seq;
                continue;
            }
            range(text, source, mariadb, first, last);
            source = from;
            mariadb = isMariadb;
            first = seq;
            last = seq;
        }
        range(text, source, mariadb, first, last);
        return text.toString();
    }

    /** Appends {@code 0-1-7..9} or {@code uuid:7-9}; nothing when there is no source yet. */
    private static void range(StringBuilder text, String source, boolean mariadb, long first, long last) {
        if (source != null) {
            text.append(text.isEmpty() ? "" : ",")
                    .append(source)
                    .append(mariadb ? "-" : ":")
                    .append(first)
                    .append(mariadb ? ".." : "-")
                    .append(last);
        }
    }

    /**
     * Why {@code printed}, read from a byte of a MariaDB log, does not continue {@code have}
     * without a gap, or empty: together they must hold every sequence number from the first in
     * each domain. Under strict mode a domain's numbers grow by one in a log, so a gap means
     * transactions before the byte that {@code have} lacks: the byte was too late. Empty for
     * other flavors' sets (their tools are not run from a byte).
     */
    static String gapAfter(GtidSet have, GtidSet printed) {
        return have.union(printed) instanceof MariadbGtidSet all && !all.isPosition()
                ? "what it printed (" + printed + ") does not follow on from what the new master holds (" + have
                        + ") without a gap"
                : "";
    }

    /** Every GTID printed, finished or not. */
    List<String> printed() {
        List<String> all = new ArrayList<>(transactions);
        all.addAll(unfinished);
        return all;
    }

    static BinlogText read(Path file) {
        Scan scan = new Scan();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = in.readLine()) != null) {
                scan.line(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read saved events " + file + ": " + e.getMessage(), e);
        }
        return scan.done();
    }

    /** The pass over the text one line at a time, as it is read back or as it arrives from the tool. */
    static final class Scan {
        private final long from;
        private long at = -1;
        private String misplaced;
        private String first;
        private int logs;
        private boolean ended;
        private final List<String> done = new ArrayList<>();
        private final List<String> cut = new ArrayList<>();
        private String open;
        private boolean begun;

        /** The first log read from its start. */
        Scan() {
            this(0);
        }

        /** @param from the byte the first log is read from; 0: its start */
        Scan(long from) {
            this.from = from;
            this.misplaced = from > 0 ? "" : null;
        }

        void line(String line) {
            if (first == null && !line.isBlank() && !line.startsWith("#")) {
                first = line;
            }
            if (misplaced != null && misplaced.isEmpty() && logs == 1 && line.startsWith("#")) {
                firstEvent(line);
            }
            // Cheap tests first: most lines are base64 or event comments, and regexes on each cost most of the pass.
            boolean comment = line.startsWith("#");
            Matcher gtid = comment
                    ? (line.contains("GTID ") ? MARIADB.matcher(line) : null)
                    : (line.contains("GTID_NEXT") ? MYSQL.matcher(line) : null);
            if (gtid != null && gtid.find()) {
                if (open != null) {
                    cut.add(open);
                }
                open = gtid.group(1);
                begun = false;
            } else if (comment) {
                logs += line.contains("Start: binlog v") && START.matcher(line).find() ? 1 : 0;
                ended |= line.equals("# End of log file");
            } else if (open != null) {
                if (line.equals("BEGIN") || line.equals("START TRANSACTION")) {
                    begun = true;
                } else if (line.startsWith("COMMIT") || (!begun && line.equals(STATEMENT_END))) {
                    done.add(open);
                    open = null;
                }
            }
        }

        /**
         * Decides, at the first event after the first log's format description, whether it is at
         * {@code from} and between transactions; the next log's format description instead: the
         * first log held nothing after {@code from}.
         */
        private void firstEvent(String line) {
            Matcher position = AT.matcher(line);
            if (position.matches()) {
                at = Long.parseLong(position.group(1));
            } else if (at >= 0 && EVENT.matcher(line).lookingAt()) {
                if (START.matcher(line).find()) {
                    misplaced = null;
                } else if (at != from) {
                    misplaced = "its first event after the format description is at byte " + at + ", not at " + from;
                } else if (BETWEEN_TRANSACTIONS.matcher(line).find()) {
                    misplaced = null;
                } else {
                    misplaced = "the event at byte " + from + " is no transaction's start: '" + line.strip() + "'";
                }
            }
        }

        /**
         * Why the text read from {@code from} cannot be trusted so far, or empty: its first event
         * was where it should be, or none was printed yet; always empty when read from the start.
         */
        String misplacedSoFar() {
            return misplaced == null ? "" : misplaced;
        }

        /** The byte the first log is read from; 0: its start. */
        long from() {
            return from;
        }

        /** Whether the first line that is not a comment, so far, is the tools' preamble. */
        boolean preambleSoFar() {
            return PREAMBLE.equals(first);
        }

        /** How many transactions were printed to their end so far. */
        int finished() {
            return done.size();
        }

        /** The GTIDs of the transactions printed to their end after the first {@code from}, in order. */
        List<String> finishedSince(int from) {
            return List.copyOf(done.subList(from, done.size()));
        }

        /** Whether a transaction was cut off so far: a GTID came before its end. */
        boolean anyCut() {
            return !cut.isEmpty();
        }

        BinlogText done() {
            List<String> unfinished = new ArrayList<>(cut);
            if (open != null) {
                unfinished.add(open);
            }
            return new BinlogText(
                    PREAMBLE.equals(first),
                    first == null ? "" : first,
                    logs,
                    ended,
                    done,
                    unfinished,
                    from,
                    misplaced == null || !misplaced.isEmpty() || at < 0
                            ? misplacedSoFar()
                            : "no event after '# at " + at + "'");
        }
    }
}
