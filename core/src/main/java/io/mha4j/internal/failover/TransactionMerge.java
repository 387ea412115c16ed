package io.mha4j.internal.failover;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites {@code mariadb-binlog}'s text so that runs of consecutive row-based transactions commit
 * as one transaction on the new master, under the GTID of the run's last one
 * ({@code merge_recovered_transactions=1}). Replaying thousands of small transactions costs one
 * commit each on the new master (about 0.15–0.3 ms here, see docs/measurements.md), whatever the
 * client does; merged, 2,250 of them commit in a few.
 *
 * <p>What is merged is only what the rewrite can be sure of, and everything else passes through
 * unchanged: a transaction whose GTID event says {@code trans}, whose header sets nothing but its
 * {@code gtid_seq_no} (the same domain and server id as the run, so no session variable changes),
 * and whose body is only {@code BINLOG} row events and comments, ended by its {@code COMMIT}. DDL,
 * statement events, XA, a transaction the log cut off, and any line not understood end the run.
 * A run is bounded ({@link #MAX_TRANSACTIONS}, {@link #MAX_BYTES}) so that no merged transaction
 * outgrows what a server holds comfortably in one binlog cache.
 *
 * <p>The trade, which is why it is off by default: on MariaDB a GTID is a position, so replicas and
 * a returning old master read the merged history right; but the new master's binary log holds one
 * GTID where the dead master had many, which a consumer of the binary log (CDC) sees as one
 * transaction. Never used for MySQL, whose GTID sets would miss the merged ones.
 */
final class TransactionMerge {
    static final int MAX_TRANSACTIONS = 10_000;
    static final long MAX_BYTES = 8L * 1024 * 1024;
    /**
     * {@code BINLOG} blocks sent as one statement: 2,300 one-row transactions merged replayed in
     * 310–360 ms one block a statement, 90–120 ms at 10, 105–110 ms at 30, 125–135 ms at 100, and
     * 0.2–1.2 s at 200 (the server's work grows faster than the statement): see docs/measurements.md.
     */
    static final int EVENTS_PER_BINLOG = 20;
    /** A statement of joined blocks ends once it holds this much: far below any {@code max_allowed_packet}. */
    static final int STATEMENT_BYTES = 512 * 1024;
    /**
     * A run replayed while the tool still prints ({@link LiveReplay}) ends once it holds this much of
     * the tool's text, so that the client has work before the tool's end: ~280 one-row
     * transactions, a commit each ~2 ms of the tool's printing.
     */
    static final long LIVE_RUN_BYTES = 256 * 1024;

    /**
     * Told each time the text written so far ends right after a transaction's {@code COMMIT}: a
     * point where a client fed that text has no statement and no transaction open.
     */
    interface Boundary {
        Boundary NONE = written -> {};

        /**
         * @param written the bytes written so far (ISO-8859-1: one a character), flushed to the file
         */
        void reached(long written);
    }

    /**
     * {@code #261206 17:48:27 server id 1  end_log_pos 398951 CRC32 0x7ccf2a85 \tGTID 0-1-12 trans}, or
     * {@code … GTID 0-1-2403 cid=100827 trans} when the master committed it in a group (concurrent
     * writers: the case the merge is for).
     */
    private static final Pattern TRANS_HEADER = Pattern.compile(
            "^#\\d{6}\\s+\\d{1,2}:\\d{2}:\\d{2}\\s+server id \\d+\\s.*\\sGTID (\\d+)-(\\d+)-(\\d+)(?: cid=\\d+)? trans$");

    private static final Pattern SESSION_SET = Pattern.compile("^/\\*M?!\\d+ SET @@session\\.(\\w+)=.*\\*//\\*!\\*/;$");
    private static final Pattern SEQ_NO = Pattern.compile("gtid_seq_no=\\d+");
    private static final String STATEMENT_END = "/*!*/;";
    private static final String COMMIT = "COMMIT/*!*/;";

    /**
     * @param merged how many transactions went into merged ones
     * @param commits how many commits they became
     */
    record Result(int merged, int commits) {}

    private TransactionMerge() {}

    static Result merge(Path in, Path out) {
        return merge(in, out, MAX_TRANSACTIONS, MAX_BYTES);
    }

    /** Merges a saved file, split into lines as the failover's stream splits them ({@link LineTee}). */
    static Result merge(Path in, Path out, int maxTransactions, long maxBytes) {
        Writing merged = into(out, maxTransactions, maxBytes, maxBytes, Boundary.NONE);
        try (LineTee lines = new LineTee(OutputStream.nullOutputStream(), merged::line)) {
            lines.write(Files.readAllBytes(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot merge the saved events " + in + " into " + out, e);
        }
        return merged.finish().orElseThrow(() -> new IllegalStateException(merged.failure()));
    }

    /** Writes {@code out} as the tool's lines arrive, so that the merge costs no pass of its own. */
    static Writing into(Path out) {
        return into(out, MAX_TRANSACTIONS, MAX_BYTES, MAX_BYTES, Boundary.NONE);
    }

    /**
     * Writes {@code out} as the tool's lines arrive, its runs no larger than {@link
     * #LIVE_RUN_BYTES}, and tells {@code boundary} where each ends: for a client that replays the
     * file as it grows.
     */
    static Writing into(Path out, Boundary boundary) {
        return into(out, MAX_TRANSACTIONS, MAX_BYTES, LIVE_RUN_BYTES, boundary);
    }

    /** Writes to {@code out}. */
    static Writing into(Writer out) {
        return new Writing(out, "the merged events", "", MAX_TRANSACTIONS, MAX_BYTES, MAX_BYTES, Boundary.NONE);
    }

    /** A file that cannot be created is a merge failed from the start: the saved file is replayed as printed. */
    static Writing into(Path out, int maxTransactions, long maxBytes, long runBytes, Boundary boundary) {
        try {
            Writer file = Files.newBufferedWriter(out, StandardCharsets.ISO_8859_1);
            return new Writing(file, out.toString(), "", maxTransactions, maxBytes, runBytes, boundary);
        } catch (IOException e) {
            return new Writing(
                    Writer.nullWriter(),
                    out.toString(),
                    "cannot write the merged events " + out + ": " + e,
                    maxTransactions,
                    maxBytes,
                    runBytes,
                    boundary);
        }
    }

    /**
     * A merge in progress: fed the tool's text one line at a time, ended by {@link #finish}. It never
     * fails its caller: the merge is an optimisation, so a failure (a full disk) only stops it and
     * the failover replays the saved file as printed.
     */
    static final class Writing implements AutoCloseable {
        private final String out;
        private final BufferedWriter writer;
        private final Merger merger;
        private String failure;

        private Writing(
                Writer writer,
                String out,
                String failure,
                int maxTransactions,
                long maxBytes,
                long runBytes,
                Boundary boundary) {
            this.out = out;
            this.failure = failure;
            this.writer = writer instanceof BufferedWriter b ? b : new BufferedWriter(writer, 64 * 1024);
            this.merger = new Merger(this.writer, maxTransactions, maxBytes, runBytes, boundary);
        }

        void line(String line) {
            if (!failure.isEmpty()) {
                return;
            }
            try {
                merger.accept(line);
            } catch (IOException | RuntimeException e) {
                failure = "merging into " + out + " failed: " + e;
            }
        }

        /** Ends what is open and closes the file: the result, or empty when the merge failed ({@link #failure}). */
        Optional<Result> finish() {
            if (failure.isEmpty()) {
                try {
                    Result r = merger.finish();
                    writer.close();
                    return Optional.of(r);
                } catch (IOException | RuntimeException e) {
                    failure = "merging into " + out + " failed: " + e;
                }
            }
            close();
            return Optional.empty();
        }

        /** Why the merge stopped, or empty. */
        String failure() {
            return failure;
        }

        @Override
        public void close() {
            try {
                writer.close();
            } catch (IOException e) {
                // what was written is not used when the merge failed
            }
        }
    }

    /** One transaction as printed: its header (GTID comment, SET lines), then its body up to its COMMIT. */
    private static final class Transaction {
        final String domain;
        final String server;
        final String seq;
        /** Comment lines read after the previous transaction's COMMIT and before this one (its "# at"). */
        final List<String> before = new ArrayList<>();

        final List<String> head = new ArrayList<>();
        final List<String> body = new ArrayList<>();
        boolean onlySeqNo = true;
        long bytes;
        /** Characters of base64 in its BINLOG blocks: what a merged run must write again, no more, no less. */
        long base64;

        Transaction(Matcher header, String line) {
            domain = header.group(1);
            server = header.group(2);
            seq = header.group(3);
            add(head, line);
        }

        void add(List<String> to, String line) {
            to.add(line);
            bytes += line.length() + 1;
        }

        /** Every line as it was printed. */
        List<String> raw() {
            List<String> all = new ArrayList<>(before);
            all.addAll(head);
            all.add("START TRANSACTION");
            all.add(STATEMENT_END);
            all.addAll(body);
            return all;
        }
    }

    private enum State {
        OUTSIDE,
        HEAD,
        STARTED,
        BODY,
        BINLOG
    }

    private static final class Merger {
        private final BufferedWriter out;
        private final int maxTransactions;
        private final long maxBytes;
        private final long runLimit;
        private final Boundary boundary;
        private final List<Transaction> run = new ArrayList<>();
        /** Comment lines read after the run's last COMMIT: placed with the run, whose order they describe. */
        private final List<String> between = new ArrayList<>();

        private long runBytes;
        private Transaction open;
        private State state = State.OUTSIDE;
        private int merged;
        private int commits;
        private long written;

        Merger(BufferedWriter out, int maxTransactions, long maxBytes, long runLimit, Boundary boundary) {
            this.out = out;
            this.maxTransactions = maxTransactions;
            this.maxBytes = maxBytes;
            this.runLimit = runLimit;
            this.boundary = boundary;
        }

        Result finish() throws IOException {
            abandonOpen();
            flushRun();
            return new Result(merged, commits);
        }

        void accept(String line) throws IOException {
            Matcher header = line.startsWith("#") && line.endsWith(" trans") ? TRANS_HEADER.matcher(line) : null;
            if (header != null && header.matches()) {
                abandonOpen(); // a new GTID while one is open: the open one was cut off
                open = new Transaction(header, line);
                state = State.HEAD;
                return;
            }
            switch (state) {
                case OUTSIDE -> {
                    if (!run.isEmpty() && (line.isBlank() || line.startsWith("#"))) {
                        between.add(line);
                    } else {
                        flushRun();
                        write(line);
                    }
                }
                case HEAD -> {
                    Matcher set = SESSION_SET.matcher(line);
                    if (set.matches()) {
                        open.onlySeqNo &= set.group(1).equals("gtid_seq_no");
                        open.add(open.head, line);
                    } else if (line.equals("START TRANSACTION")) {
                        state = State.STARTED;
                    } else {
                        abandonOpen(line);
                    }
                }
                case STARTED -> {
                    if (line.equals(STATEMENT_END)) {
                        state = State.BODY;
                    } else {
                        abandonOpen(line);
                    }
                }
                case BODY -> {
                    if (line.equals(COMMIT)) {
                        committed();
                    } else if (line.isBlank() || line.startsWith("#")) {
                        open.add(open.body, line);
                    } else if (line.equals("BINLOG '")) {
                        open.add(open.body, line);
                        state = State.BINLOG;
                    } else {
                        abandonOpen(line);
                    }
                    tooLargeToHold();
                }
                case BINLOG -> {
                    open.add(open.body, line);
                    boolean end = line.endsWith("'" + STATEMENT_END);
                    open.base64 += end ? line.length() - ("'" + STATEMENT_END).length() : line.length();
                    if (end) {
                        state = State.BODY;
                    }
                    tooLargeToHold();
                }
            }
        }

        /**
         * A transaction larger than a run may be is not held in memory to its end: it goes out as
         * printed, and the rest of it passes through (a bulk load of gigabytes must not exhaust the heap).
         */
        private void tooLargeToHold() throws IOException {
            if (open != null && open.bytes > maxBytes) {
                abandonOpen();
            }
        }

        private void committed() throws IOException {
            Transaction t = open;
            open = null;
            state = State.OUTSIDE;
            for (String l : between) {
                t.add(t.before, l);
            }
            between.clear();
            boolean joins = !run.isEmpty()
                    && t.onlySeqNo
                    && t.domain.equals(run.get(0).domain)
                    && t.server.equals(run.get(0).server)
                    && run.size() < maxTransactions
                    && runBytes + t.bytes <= runLimit;
            if (!joins) {
                flushRun();
            }
            run.add(t);
            runBytes += t.bytes;
        }

        /** The open transaction is not one to merge: the run ends, and it goes out as it was printed. */
        private void abandonOpen(String line) throws IOException {
            abandonOpen();
            write(line);
        }

        private void abandonOpen() throws IOException {
            if (open == null) {
                return;
            }
            Transaction t = open;
            open = null;
            State was = state;
            state = State.OUTSIDE;
            flushRun();
            List<String> raw = t.raw();
            if (was == State.HEAD) {
                raw = raw.subList(0, t.head.size()); // its START TRANSACTION was never read
            } else if (was == State.STARTED) {
                raw = raw.subList(0, t.head.size() + 1);
            }
            for (String l : raw) {
                write(l);
            }
        }

        private void flushRun() throws IOException {
            if (run.isEmpty()) {
                return;
            }
            Transaction first = run.get(0);
            Transaction last = run.get(run.size() - 1);
            if (run.size() == 1) {
                for (String l : first.raw()) {
                    write(l); // alone: exactly as printed
                }
                write(COMMIT);
                endRun();
                return;
            }
            for (String l : first.before) {
                write(l);
            }
            for (String l : first.head) {
                write(SESSION_SET.matcher(l).matches() ? SEQ_NO.matcher(l).replaceFirst("gtid_seq_no=" + last.seq) : l);
            }
            write("START TRANSACTION");
            write(STATEMENT_END);
            Events events = new Events();
            for (Transaction t : run) {
                if (t != first) {
                    for (String l : t.before) {
                        events.comment(l);
                    }
                    for (String l : t.head) {
                        if (!SESSION_SET.matcher(l).matches()) {
                            events.comment(l); // its GTID event's comment: where it was in the dead master's log
                        }
                    }
                }
                for (String l : t.body) {
                    events.line(l);
                }
            }
            events.close();
            long read = run.stream().mapToLong(t -> t.base64).sum();
            if (events.base64 != read) {
                // A defect of this class, never of the input: the caller replays the saved file instead.
                throw new IllegalStateException("a merged run of " + run.size() + " transaction(s) from GTID sequence "
                        + first.seq + " wrote " + events.base64 + " characters of base64 where it read " + read);
            }
            write(COMMIT);
            merged += run.size();
            commits++;
            endRun();
        }

        /** The run's {@code COMMIT} is written: a boundary, then the comments read after it. */
        private void endRun() throws IOException {
            run.clear();
            runBytes = 0;
            if (boundary != Boundary.NONE) {
                out.flush();
                boundary.reached(written);
            }
            for (String l : between) {
                write(l);
            }
            between.clear();
        }

        private void write(String line) throws IOException {
            out.write(line);
            out.write('\n');
            written += line.length() + 1;
        }

        /**
         * The row events of a run, {@value #EVENTS_PER_BINLOG} {@code BINLOG} blocks to a statement:
         * the server decodes a statement's base64 chunks one event after another, as it does the
         * Table_map and Write_rows the tool prints in one block. Comments met inside a statement
         * follow it, since inside it they would be read as base64.
         */
        private final class Events {
            private final List<String> comments = new ArrayList<>();
            private boolean inBlock;
            private boolean statementOpen;
            private int blocks;
            private long bytes;
            /** Every base64 character written, across statements. */
            long base64;

            void line(String l) throws IOException {
                if (!inBlock && l.equals("BINLOG '")) {
                    inBlock = true;
                    if (!statementOpen) {
                        write(l);
                        statementOpen = true;
                    }
                } else if (inBlock && l.endsWith("'" + STATEMENT_END)) {
                    String chunk = l.substring(0, l.length() - ("'" + STATEMENT_END).length());
                    if (!chunk.isEmpty()) {
                        write(chunk);
                        bytes += chunk.length() + 1;
                        base64 += chunk.length();
                    }
                    inBlock = false;
                    if (++blocks == EVENTS_PER_BINLOG || bytes >= STATEMENT_BYTES) {
                        close();
                    }
                } else if (inBlock) {
                    write(l);
                    bytes += l.length() + 1;
                    base64 += l.length();
                } else {
                    comment(l);
                }
            }

            void comment(String l) throws IOException {
                if (statementOpen) {
                    comments.add(l);
                } else {
                    write(l);
                }
            }

            void close() throws IOException {
                if (statementOpen) {
                    write("'" + STATEMENT_END);
                    statementOpen = false;
                    blocks = 0;
                    bytes = 0;
                }
                for (String l : comments) {
                    write(l);
                }
                comments.clear();
            }
        }
    }
}
