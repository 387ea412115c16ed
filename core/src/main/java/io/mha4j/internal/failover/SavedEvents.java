package io.mha4j.internal.failover;

import io.mha4j.Mha4jException;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.gtid.GtidSet;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShell;
import io.mha4j.server.Dialect;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saved events: the text the flavor's binlog tool prints of the transactions a server lacks,
 * streamed from the host holding the binary logs straight into a file on the manager, and the
 * GTIDs in such a file, as {@code mariadb-binlog} and {@code mysqlbinlog} print them: MariaDB's
 * event comment {@code # ... GTID 0-1-42 trans} and MySQL's
 * {@code SET @@SESSION.GTID_NEXT= 'uuid:42'}. Read line by line: the file may be large.
 */
final class SavedEvents {
    private static final Logger log = LoggerFactory.getLogger(SavedEvents.class);
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(30);
    /** An event header: {@code #261125  4:25:25 server id 1  end_log_pos 642 CRC32 0x… \tGTID 0-1-3 trans}. */
    private static final Pattern MARIADB = Pattern.compile(
            "^#\\d{6}\\s+\\d{1,2}:\\d{2}:\\d{2}\\s+server id \\d+\\s+end_log_pos \\d+.*\\sGTID (\\d+-\\d+-\\d+)\\b");
    private static final Pattern MYSQL = Pattern.compile("GTID_NEXT\\s*=\\s*'([0-9a-fA-F-]{36}(?::[A-Za-z0-9_]+)?:\\d+)'");

    private SavedEvents() {}

    /**
     * Prints, with the flavor's own binlog tool on {@code server}'s host, the transactions of
     * {@code binlogs} that are not in {@code have}, its output streamed into {@code saved} on this
     * machine: no file on the host, no second transfer.
     *
     * @param what the source, for messages
     * @return the tool's command line, for messages
     * @throws Mha4jException if the tool failed before printing anything
     */
    static String print(RemoteShell shell, ServerConfig server, String what, Dialect dialect, GtidSet have,
            List<String> binlogs, Path saved) {
        RemoteCommand print = RemoteCommand.of(dialect.binlogToSql(server.get(Parameter.CLIENT_BINDIR).orElse(""),
                have, binlogs, "")).repeatable();
        CommandResult r;
        try (OutputStream out = Files.newOutputStream(saved)) {
            r = shell.run(print, TOOL_TIMEOUT, null, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write saved events to " + saved, e);
        }
        long bytes = size(saved);
        if (!r.succeeded()) {
            // A log cut off mid-event (a crash, a binlog server's copy in flight) ends in a read error after
            // every complete event was printed: keep those, the GTID check decides.
            if (bytes == 0) {
                throw new Mha4jException("saving the binary logs of " + what + " failed on " + shell.target() + ": "
                        + print + " exited " + r.exitCode() + ": " + r.firstErrorLine());
            }
            log.warn("{}: {} exited {} ({}); using the events it printed", what, print, r.exitCode(),
                    r.firstErrorLine());
        }
        log.info("{}: saved the transactions the master lacks with {} ({} bytes, {})", what, print, bytes, saved);
        return print.toString();
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file, e);
        }
    }

    /** Every GTID in the file, in order, as text ({@code 0-1-42} or {@code uuid:42}). */
    static List<String> gtids(Path file) {
        List<String> found = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = in.readLine()) != null) {
                Matcher m = (line.startsWith("#") ? MARIADB : MYSQL).matcher(line);
                if (m.find()) {
                    found.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read saved events " + file + ": " + e.getMessage(), e);
        }
        return found;
    }
}
