package io.mha4j.manager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code <manager_workdir>/<app>.monitoring}: one line saying what the running manager monitors
 * and guards, so that a second start can say it (MHA's status file keeps MHA's format and only
 * names the master).
 */
final class MonitoringNote {
    /** How the note of a manager that stands by while another leads begins. */
    static final String STANDING_BY = "stands by: ";

    private final Path path;

    MonitoringNote(Path workdir, String application) {
        this.path = workdir.resolve(application + ".monitoring");
    }

    void write(String line) {
        try {
            Files.writeString(path, line + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    Optional<String> read() {
        try {
            return Optional.of(Files.readString(path, StandardCharsets.UTF_8).strip());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }
}
