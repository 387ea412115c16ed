package io.mha4j.server;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in a binary or relay log: file name and byte offset. Files of one server compare
 * by their numeric suffix ({@code mysql-bin.000010} after {@code mysql-bin.000009}), not as
 * strings (MHA compares them as strings, which breaks after {@code .999999}).
 */
public record BinlogPosition(String file, long position) implements Comparable<BinlogPosition> {
    private static final Pattern SUFFIX = Pattern.compile("^(.*)\\.(\\d+)$");

    private static final Comparator<BinlogPosition> ORDER = Comparator.comparing((BinlogPosition p) -> p.baseName())
            .thenComparingLong(BinlogPosition::sequence)
            .thenComparing(BinlogPosition::file)
            .thenComparingLong(BinlogPosition::position);

    public BinlogPosition {
        if (file == null || file.isEmpty()) {
            throw new IllegalArgumentException("binlog file name is empty");
        }
        if (position < 0) {
            throw new IllegalArgumentException("negative binlog position " + position);
        }
    }

    /** {@code mysql-bin} for {@code mysql-bin.000042}. */
    public String baseName() {
        Matcher m = SUFFIX.matcher(file);
        return m.matches() ? m.group(1) : file;
    }

    /** 42 for {@code mysql-bin.000042}; -1 when the name has no numeric suffix. */
    public long sequence() {
        Matcher m = SUFFIX.matcher(file);
        if (!m.matches()) {
            return -1;
        }
        try {
            return Long.parseLong(m.group(2));
        } catch (NumberFormatException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public int compareTo(BinlogPosition o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return file + ":" + position;
    }
}
