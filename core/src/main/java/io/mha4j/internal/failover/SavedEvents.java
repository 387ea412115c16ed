package io.mha4j.internal.failover;

import io.mha4j.Mha4jException;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.gtid.GtidSet;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShell;
import io.mha4j.server.Dialect;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saved events: the text the flavor's binlog tool prints of the transactions a server lacks,
 * streamed from the host holding the binary logs straight into a file on the manager, trusted
 * only when the tool read every log: it exited 0, or its only error is a last log cut off
 * mid-event; and the file has the tool's shape (its preamble first, one format description
 * event per log). Anything else — a log it could not open (no permission, purged between the
 * listing and the tool), a tool killed by a signal, stray text — is an error, so that the caller
 * tries another source or reports a possible loss: never "nothing to recover" from logs unread.
 */
final class SavedEvents {
    private static final Logger log = LoggerFactory.getLogger(SavedEvents.class);
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(30);
    /**
     * What the tools print, and only that, when a log ends inside an event (a crash mid-write, a
     * binlog server's copy in flight) and was closed properly (else they stop there and exit 0):
     * MariaDB {@code ERROR: Error in Log_event::read_log_event(): 'Event truncated', data_len: 65,
     * event_type: 19} then {@code ERROR: Could not read entry at offset 399081: Error in log format
     * or read error.}; MySQL 8 {@code ERROR: Could not read entry at offset N: Error in log format
     * or read error 1.} then {@code ERROR: binlog truncated in the middle of event; consider out of
     * disk space}.
     */
    private static final Pattern TRUNCATED =
            Pattern.compile("(?:ERROR: )?(?:Error in Log_event::read_log_event\\(\\): 'Event truncated'.*"
                    + "|binlog truncated in the middle of event.*)");

    private static final Pattern CANNOT_READ = Pattern.compile(
            "(?:ERROR: )?Could not read entry at offset \\d+: Error in log format or read error( 1)?\\.");

    /**
     * Runs its arguments with their output passed on in blocks of 64 KiB. The tools write each
     * event as they print it, a few hundred bytes per {@code write}, and {@code sshd} sends what
     * each read of the pipe returns as a packet of its own: ~4,000 packets for 2,000 one-row
     * transactions, each decrypted and authenticated on its own on the manager. Reblocked by
     * {@code dd}, 2 MB of the tool's text streamed in 63–82 ms instead of 104–274
     * (docs/measurements.md). The tool's exit status is the script's, as if it ran alone: POSIX
     * {@code sh} has no {@code pipefail}, so both statuses come back on descriptor 4. A {@code dd}
     * that fails (killed, out of memory) may have cut the text anywhere, even inside the last log
     * after a tool's own truncation error: the script then says so on standard error and exits 1,
     * which {@link #judge} never trusts. Where {@code dd} lacks {@code iflag=fullblock} or {@code
     * status=none} (not GNU, an old BusyBox) the tool runs as it is. One line, with no {@code !} and
     * no single quote: over an exec channel the login shell reads it first, quoted, and csh would
     * stop at a newline inside quotes or expand a {@code !}.
     */
    static final String IN_BLOCKS = "if dd bs=1 count=0 iflag=fullblock status=none </dev/null 2>/dev/null; then"
            + " exec 3>&1;"
            + " s=$( ( ( \"$@\" 3>&- 4>&-; echo \"t $?\" >&4 )"
            + " | ( dd bs=65536 iflag=fullblock status=none >&3 4>&-; echo \"d $?\" >&4 ) ) 4>&1 );"
            + " t=1; d=1; set -- $s;"
            + " while [ $# -ge 2 ]; do case $1 in t) t=$2;; d) d=$2;; esac; shift 2; done;"
            + " [ \"$d\" = 0 ] || { echo \"dd exited $d: the output of the binlog tool was cut\" >&2; exit 1; };"
            + " exit \"$t\";"
            + " fi;"
            + " exec \"$@\"";

    private SavedEvents() {}

    /**
     * The tool's text arrived to its end (the command ended and its output was read whole) but
     * cannot be trusted: unlike a stream that failed, no thread hands on its lines any more.
     */
    static final class Untrusted extends Mha4jException {
        private static final long serialVersionUID = 1L;

        Untrusted(String message) {
            super(message);
        }
    }

    static RemoteCommand inBlocks(List<String> tool) {
        List<String> line = new ArrayList<>(List.of("sh", "-c", IN_BLOCKS, "sh"));
        line.addAll(tool);
        return RemoteCommand.of(line).repeatable();
    }

    /**
     * Prints, with the flavor's own binlog tool on {@code server}'s host, the transactions of
     * {@code binlogs} that are not in {@code have}, its output streamed into {@code saved} on this
     * machine: no file on the host, no second transfer. Each line is also handed to {@code
     * merging}, when there is one, as it arrives: the text is read once, while the tool still
     * prints.
     *
     * @param what the source, for messages
     * @param offset the byte of the first log to start at, every transaction before it being in
     *     {@code have} ({@link Dialect#binlogToSqlFrom}); 0: the logs are searched for {@code have}
     * @param scan reads the text as it arrives (fresh: one for each run of the tool), made for
     *     {@code offset}
     * @param merging the merge of the text as it arrives, or null
     * @return what the tool printed
     * @throws Untrusted if the tool did not read every log to its end, or printed something else
     *     than its output (the file stays, as evidence)
     */
    static BinlogText print(
            RemoteShell shell,
            ServerConfig server,
            String what,
            Dialect dialect,
            GtidSet have,
            List<String> binlogs,
            long offset,
            Path saved,
            BinlogText.Scan scan,
            TransactionMerge.Writing merging) {
        String bindir = server.get(Parameter.CLIENT_BINDIR).orElse("");
        List<String> tool = offset > 0
                ? dialect.binlogToSqlFrom(bindir, have, binlogs, offset)
                : dialect.binlogToSql(bindir, have, binlogs, "");
        RemoteCommand print = RemoteCommand.of(tool).repeatable();
        RemoteCommand inBlocks = inBlocks(tool);
        CommandResult r = stream(out -> shell.run(inBlocks, TOOL_TIMEOUT, null, out), saved, scan, merging);
        BinlogText text = scan.done();
        String wrong = judge(r, text, binlogs.size());
        if (!wrong.isEmpty()) {
            throw new Untrusted("saving the binary logs of " + what + " failed on " + shell.target() + ": " + print
                    + " " + wrong + " (its output is kept in " + saved + ")");
        }
        if (!r.succeeded()) {
            log.warn(
                    "{}: {} exited {}: the last binary log {} ends inside an event (a crash mid-write);"
                            + " using every event before it",
                    what,
                    print,
                    r.exitCode(),
                    binlogs.get(binlogs.size() - 1));
        }
        if (!text.unfinished().isEmpty()) {
            log.warn(
                    "{}: transaction(s) {} were cut off in the binary log before their end: never committed on the"
                            + " master, not recovered",
                    what,
                    text.unfinished());
        }
        log.info("{}: saved the transactions the master lacks with {} ({} bytes, {})", what, print, size(saved), saved);
        return text;
    }

    /**
     * Runs {@code tool}, its output written to {@code saved} and each line handed to {@code scan}
     * and {@code merging} (or null) as it arrives. The failover's path and {@link
     * CompensationWarmup}'s are this one method: the same code, so that what the warm-up compiles
     * is what the failover runs.
     *
     * @param tool runs the tool with its output into the stream it is given
     */
    static CommandResult stream(
            Function<OutputStream, CommandResult> tool,
            Path saved,
            BinlogText.Scan scan,
            TransactionMerge.Writing merging) {
        try (OutputStream out = new LineTee(new BufferedOutputStream(Files.newOutputStream(saved), 64 * 1024), l -> {
            scan.line(l);
            if (merging != null) {
                merging.line(l);
            }
        })) {
            return tool.apply(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write saved events to " + saved, e);
        }
    }

    /**
     * Why the output cannot be trusted, or empty. Not decided by its size: the tools print their
     * preamble before opening any log, so a tool that could open none still printed bytes.
     */
    static String judge(CommandResult r, BinlogText text, int binlogs) {
        if (text.from() > 0) {
            // Started inside an event, the tools read garbage: they say so as a log cut off mid-event, and exit 0
            // when the log was not closed properly (a crash). A log really cut off is read again from its start.
            String error = r.stderr()
                    .lines()
                    .map(String::strip)
                    .filter(l -> l.startsWith("ERROR"))
                    .findFirst()
                    .orElse("");
            if (!r.succeeded() || !error.isEmpty()) {
                return "read from byte " + text.from() + " of the first log, exited " + r.exitCode()
                        + (error.isEmpty() ? ": " + r.firstErrorLine() : " saying '" + error + "'");
            }
            if (!text.misplaced().isEmpty()) {
                return "read from byte " + text.from() + " of the first log: " + text.misplaced();
            }
        }
        if (!r.succeeded() && !truncatedLast(r.stderr())) {
            return "exited " + r.exitCode() + (r.exitCode() >= 128 ? " (killed by a signal?)" : "") + ": "
                    + r.firstErrorLine();
        }
        if (!text.preamble()) {
            return "printed something else than the binlog tool's output: its first line is not " + BinlogText.PREAMBLE
                    + " but '" + abbreviate(text.firstLine()) + "'";
        }
        // Each log's format description event is printed when it is opened: fewer, and a log was not read
        // (for a failed tool, the cut-off event was not in the last log).
        if (text.logs() != binlogs) {
            return "read " + text.logs() + " of the " + binlogs + " binary log(s)"
                    + (r.succeeded() ? "" : " before failing: " + r.firstErrorLine());
        }
        if (r.succeeded() && !text.ended()) {
            return "exited 0 but its output has no closing '# End of log file'";
        }
        return "";
    }

    /** The tool's only errors say that a log ends inside an event (the caller checks that it is the last). */
    private static boolean truncatedLast(String stderr) {
        List<String> errors = stderr.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("WARNING"))
                .toList();
        return errors.stream().anyMatch(l -> TRUNCATED.matcher(l).matches())
                && errors.stream()
                        .allMatch(l -> TRUNCATED.matcher(l).matches()
                                || CANNOT_READ.matcher(l).matches());
    }

    private static String abbreviate(String line) {
        return line.length() > 80 ? line.substring(0, 80) + "…" : line;
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file, e);
        }
    }
}
