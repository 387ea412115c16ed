package io.mha4j.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Cutting one stream into pieces at markers, whatever the pieces hold and however the bytes arrive. */
class MarkedStreamTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Hands out at most {@code chunk} bytes per read, as a network channel does. */
    private static InputStream trickling(byte[] data, int chunk) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    private static byte[] readAll(MarkedStream.Piece piece, int bufferSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[bufferSize];
        for (int n; (n = piece.read(b, 0, b.length)) >= 0; ) {
            out.write(b, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void eachPieceEndsAtItsMarkerAndTheStatusLineFollows() throws IOException {
        MarkedStream s = new MarkedStream(new ByteArrayInputStream(ascii("a b\n\nN1 0\nsecond\n\nN2 127\n")));

        MarkedStream.Piece first = s.until(ascii("\nN1 "));
        assertThat(readAll(first, 100)).isEqualTo(ascii("a b\n"));
        assertThat(first.found()).isTrue();
        assertThat(s.line(16)).isEqualTo("0");

        MarkedStream.Piece second = s.until(ascii("\nN2 "));
        assertThat(readAll(second, 100)).isEqualTo(ascii("second\n"));
        assertThat(s.line(16)).isEqualTo("127");
    }

    @Test
    void anEmptyOutputIsAnEmptyPiece() throws IOException {
        MarkedStream s = new MarkedStream(new ByteArrayInputStream(ascii("\nN 0\n")));

        MarkedStream.Piece piece = s.until(ascii("\nN "));

        assertThat(readAll(piece, 10)).isEmpty();
        assertThat(piece.found()).isTrue();
        assertThat(s.line(16)).isEqualTo("0");
    }

    @Test
    void bytesThatStartLikeTheMarkerAreDataWhenTheMatchBreaks() throws IOException {
        // "\nN\nN" begins the marker twice over; "\nNN" and "\nNx" break it late.
        String data = "x\nN\nNy\nNN\nNx\n\nN";
        MarkedStream s = new MarkedStream(new ByteArrayInputStream(ascii(data + "\nN 3\n")));

        MarkedStream.Piece piece = s.until(ascii("\nN "));

        assertThat(new String(readAll(piece, 3), StandardCharsets.ISO_8859_1)).isEqualTo(data);
        assertThat(s.line(16)).isEqualTo("3");
    }

    @Test
    void aMarkerWhosePrefixRecursIsFoundAfterAPartialMatch() throws IOException {
        // "aab" in "aaab": the KMP fall-back keeps "aa" when the third "a" breaks the match.
        MarkedStream s = new MarkedStream(new ByteArrayInputStream(ascii("xaaab!\n")));

        MarkedStream.Piece piece = s.until(ascii("aab"));

        assertThat(readAll(piece, 1)).isEqualTo(ascii("xa"));
        assertThat(piece.found()).isTrue();
        assertThat(s.line(16)).as("nothing past the marker was consumed").isEqualTo("!");
    }

    @Test
    void binaryOutputOfAnySizeComesThroughWhateverTheChunkingAndBufferSizes() throws IOException {
        byte[] payload = new byte[300_000];
        new Random(42).nextBytes(payload);
        byte[] marker = ascii("\nmha4j-0123456789abcdef0123456789abcdef ");
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.write(payload);
        wire.write(marker);
        wire.write(ascii("0\n"));
        for (int chunk : new int[] {1, 7, 4096, 100_000}) {
            MarkedStream s = new MarkedStream(trickling(wire.toByteArray(), chunk));

            MarkedStream.Piece piece = s.until(marker);

            assertThat(readAll(piece, 8192)).as("chunks of %d", chunk).isEqualTo(payload);
            assertThat(s.line(16)).isEqualTo("0");
        }
    }

    @Test
    void textWhoseLinesStartLikeTheMarkerComesThroughWholeAndInLargeReads() throws IOException {
        byte[] marker = ascii("\nmha4j-0123456789abcdef0123456789abcdef ");
        Random random = new Random(7);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        while (text.size() < 300_000) {
            // a line, then a newline followed by 0..marker-1 bytes of the marker: a match that breaks
            text.write(ascii("BINLOG line " + random.nextInt(1000)));
            text.write(marker, 0, 1 + random.nextInt(marker.length - 1));
        }
        byte[] payload = text.toByteArray();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.write(payload);
        wire.write(marker);
        wire.write(ascii("0\n"));
        for (int bufferSize : new int[] {1, 3, 8192}) {
            MarkedStream s = new MarkedStream(new ByteArrayInputStream(wire.toByteArray()));
            MarkedStream.Piece piece = s.until(marker);
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buf = new byte[bufferSize];
            int reads = 0;
            for (int n; (n = piece.read(buf, 0, buf.length)) >= 0; reads++) {
                read.write(buf, 0, n);
            }

            assertThat(read.toByteArray()).as("buffer of %d", bufferSize).isEqualTo(payload);
            assertThat(s.line(16)).isEqualTo("0");
            if (bufferSize == 8192) {
                assertThat(reads)
                        .as("broken matches do not cut reads short: 300 kB in about 300000 / 8192 reads")
                        .isLessThan(2 * payload.length / bufferSize + 10);
            }
        }
    }

    @Test
    void aStreamThatEndsBeforeTheMarkerEndsThePieceUnfoundWithEveryByte() throws IOException {
        MarkedStream s = new MarkedStream(new ByteArrayInputStream(ascii("partial output\nN")));

        MarkedStream.Piece piece = s.until(ascii("\nN "));

        assertThat(new String(readAll(piece, 5), StandardCharsets.ISO_8859_1))
                .as("bytes that looked like the marker's start are data")
                .isEqualTo("partial output\nN");
        assertThat(piece.found()).isFalse();
        assertThatThrownBy(() -> s.line(16)).isInstanceOf(IOException.class);
    }

    @Test
    void aStatusLineLongerThanAllowedIsRefused() {
        MarkedStream s = new MarkedStream(new ByteArrayInputStream(ascii("12345678901234567890\n")));

        assertThatThrownBy(() -> s.line(16)).isInstanceOf(IOException.class).hasMessageContaining("longer than 16");
    }
}
