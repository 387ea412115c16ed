package io.mha4j.internal.failover;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Writes what it is given to a file and hands each complete line, read as ISO-8859-1 (every byte
 * one char, so the text round-trips exactly), to a consumer: the binlog tool's text is checked and
 * rewritten while it arrives, not in passes after it. A consumer's failure is this stream's
 * {@link IOException}, so that the command's output is still drained to its end.
 */
final class LineTee extends OutputStream {
    private final OutputStream file;
    private final Consumer<String> lines;
    private byte[] line = new byte[256];
    private int length;

    LineTee(OutputStream file, Consumer<String> lines) {
        this.file = file;
        this.lines = lines;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        file.write(b, off, len);
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                append(b, start, i - start);
                emit();
                start = i + 1;
            }
        }
        append(b, start, off + len - start);
    }

    private void append(byte[] b, int off, int len) {
        if (length + len > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, length + len));
        }
        System.arraycopy(b, off, line, length, len);
        length += len;
    }

    private void emit() throws IOException {
        String text = new String(line, 0, length, StandardCharsets.ISO_8859_1);
        length = 0;
        try {
            lines.accept(text);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void flush() throws IOException {
        file.flush();
    }

    /** The last line, if the text does not end with a newline, is handed on too. */
    @Override
    public void close() throws IOException {
        try (file) {
            if (length > 0) {
                emit();
            }
        }
    }
}
