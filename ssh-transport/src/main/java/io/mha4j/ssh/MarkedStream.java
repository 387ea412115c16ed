package io.mha4j.ssh;

import java.io.IOException;
import java.io.InputStream;

/**
 * One long stream cut into pieces by markers: the standard output (or error) of a
 * {@link WarmShell}, where every command's output is followed by a marker of its own. A piece
 * is read as an {@link InputStream} that ends where its marker begins; the marker is consumed,
 * nothing after it is. Bytes are scanned in bulk (a binary log's text can be large) with the
 * Knuth–Morris–Pratt automaton, so a marker split across reads, or output that looks like the
 * start of a marker, is handled. Not thread-safe: one piece is read at a time.
 */
final class MarkedStream {
    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int limit;

    MarkedStream(InputStream in) {
        this.in = in;
    }

    /** The bytes before the next occurrence of {@code marker}; see {@link Piece#found()}. */
    Piece until(byte[] marker) {
        if (marker.length == 0) {
            throw new IllegalArgumentException("an empty marker");
        }
        return new Piece(marker);
    }

    /**
     * The text up to the next newline (consumed, not returned), at most {@code max} bytes: what
     * follows a command's marker (its exit status).
     *
     * @throws IOException if the stream ends first, or the line is longer
     */
    String line(int max) throws IOException {
        StringBuilder s = new StringBuilder();
        while (true) {
            if (pos == limit && !fill()) {
                throw new IOException("the stream ended inside a line");
            }
            byte b = buf[pos++];
            if (b == '\n') {
                return s.toString();
            }
            if (s.length() == max) {
                throw new IOException("a line longer than " + max + " bytes where a status was expected");
            }
            s.append((char) (b & 0xff));
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        pos = 0;
        limit = Math.max(n, 0);
        return n > 0;
    }

    /** {@code failure[i]}: the length of the longest proper prefix of {@code marker[0..i]} that is also its suffix. */
    private static int[] failure(byte[] marker) {
        int[] f = new int[marker.length];
        for (int i = 1, k = 0; i < marker.length; i++) {
            while (k > 0 && marker[i] != marker[k]) {
                k = f[k - 1];
            }
            if (marker[i] == marker[k]) {
                k++;
            }
            f[i] = k;
        }
        return f;
    }

    /** The bytes of the underlying stream up to a marker. Closing it does not close the underlying stream. */
    final class Piece extends InputStream {
        private final byte[] marker;
        private final int[] failure;
        /** Marker bytes matched so far: held back, they are data if the match breaks. */
        private int matched;
        /** A broken match gives back {@code marker[released..releasedEnd)} as data, before anything else. */
        private int released;

        private int releasedEnd;
        private boolean found;
        private boolean ended;

        private Piece(byte[] marker) {
            this.marker = marker.clone();
            this.failure = failure(marker);
        }

        /** Whether the piece ended at its marker; false while unread, or when the stream ended first. */
        boolean found() {
            return found;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (true) {
                if (released < releasedEnd) {
                    int n = Math.min(len, releasedEnd - released);
                    System.arraycopy(marker, released, b, off, n);
                    released += n;
                    return n;
                }
                if (found || ended) {
                    return -1;
                }
                if (pos == limit && !fill()) {
                    ended = true;
                    // The stream ended inside what looked like the marker: those bytes were data.
                    giveBack(matched);
                    matched = 0;
                    continue;
                }
                int n = scan(b, off, len);
                if (n > 0) {
                    return n;
                }
            }
        }

        /** Scans the buffer into {@code b}: stops at the marker, at a broken match, or when {@code b} is full. */
        private int scan(byte[] b, int off, int len) {
            int n = 0;
            while (pos < limit && n < len) {
                byte x = buf[pos];
                if (x == marker[matched]) {
                    matched++;
                    pos++;
                    if (matched == marker.length) {
                        found = true;
                        return n;
                    }
                } else if (matched > 0) {
                    // x is looked at again against the shorter match, after the bytes given back: inline
                    // when they fit, so that text whose every line starts like the marker ("\n") is not
                    // read one line, and one byte, at a time.
                    int keep = failure[matched - 1];
                    int back = matched - keep;
                    matched = keep;
                    if (len - n < back) {
                        giveBack(back);
                        return n;
                    }
                    System.arraycopy(marker, 0, b, off + n, back);
                    n += back;
                } else {
                    b[off + n++] = x;
                    pos++;
                }
            }
            return n;
        }

        /**
         * The first {@code count} held-back bytes are data after all: they are {@code marker[0..count)}
         * because what is held back is always a prefix of the marker, and the bytes still held after
         * a fall-back are its suffix, so equal to its prefix.
         */
        private void giveBack(int count) {
            released = 0;
            releasedEnd = count;
        }

        @Override
        public void close() {
            // The underlying stream carries the next pieces.
        }
    }
}
