package io.mha4j.internal.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineTeeTest {
    @Test
    void everyByteReachesTheFileAndEveryLineTheConsumerWhateverTheWrites() throws IOException {
        byte[] text =
                "first line\nsecond \u00e9\u00ff line\n\nlast without newline".getBytes(StandardCharsets.ISO_8859_1);
        for (int chunk : new int[] {1, 3, 7, text.length}) {
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            List<String> lines = new ArrayList<>();
            try (LineTee tee = new LineTee(file, lines::add)) {
                for (int i = 0; i < text.length; i += chunk) {
                    tee.write(text, i, Math.min(chunk, text.length - i));
                }
            }

            assertThat(file.toByteArray()).as("chunks of %d", chunk).isEqualTo(text);
            assertThat(lines)
                    .as("chunks of %d", chunk)
                    .containsExactly("first line", "second \u00e9\u00ff line", "", "last without newline");
        }
    }

    @Test
    void aConsumersFailureIsTheStreamsIoException() {
        LineTee tee = new LineTee(new ByteArrayOutputStream(), l -> {
            throw new UncheckedIOException(new IOException("disk full"));
        });

        assertThatThrownBy(() -> tee.write("a line\n".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IOException.class)
                .hasMessage("disk full");
    }
}
