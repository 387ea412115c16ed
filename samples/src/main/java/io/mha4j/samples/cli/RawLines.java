package io.mha4j.samples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A bench's raw results: {@code <dir>/trials.tsv}, one tab-separated line per trial under a header
 * line, created by the first run into the directory and appended to by later ones.
 */
final class RawLines {
    private final Path file;

    RawLines(Path dir, String header) {
        try {
            Files.createDirectories(dir);
            file = dir.resolve("trials.tsv");
            if (!Files.exists(file)) {
                Files.writeString(file, header + "\n", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + dir, e);
        }
    }

    /**
     * A trial's own directory, created new: one an earlier run left holds its manager's state
     * (failover.complete, the report), whose anti-flap rule would refuse the failover and whose
     * report would be read as this trial's.
     */
    static void createTrialDirectory(Path dir) throws IOException {
        if (Files.exists(dir)) {
            throw new IllegalStateException(dir + " holds an earlier run's trial: choose another --out");
        }
        Files.createDirectories(dir);
    }

    Path file() {
        return file;
    }

    void append(String line) {
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    /** Trials recorded so far, by every run into the directory. */
    int trials() {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return (int) lines.count() - 1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
