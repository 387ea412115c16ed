package io.mha4j.internal.failover;

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
 * The GTIDs in a file of saved events, as {@code mariadb-binlog} and {@code mysqlbinlog} print
 * them: MariaDB's event comment {@code # ... GTID 0-1-42 trans} and MySQL's
 * {@code SET @@SESSION.GTID_NEXT= 'uuid:42'}. Read line by line: the file may be large.
 */
final class SavedEvents {
    /** An event header: {@code #261125  4:25:25 server id 1  end_log_pos 642 CRC32 0x… \tGTID 0-1-3 trans}. */
    private static final Pattern MARIADB = Pattern.compile(
            "^#\\d{6}\\s+\\d{1,2}:\\d{2}:\\d{2}\\s+server id \\d+\\s+end_log_pos \\d+.*\\sGTID (\\d+-\\d+-\\d+)\\b");
    private static final Pattern MYSQL = Pattern.compile("GTID_NEXT\\s*=\\s*'([0-9a-fA-F-]{36}(?::[A-Za-z0-9_]+)?:\\d+)'");

    private SavedEvents() {}

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
