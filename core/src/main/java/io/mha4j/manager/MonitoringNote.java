package io.mha4j.manager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code <manager_workdir>/<app>.monitoring}: one line saying what the running manager monitors
 * and guards, so that a second start can say it (MHA's status file keeps MHA's format and only
 * names the master).
 */
final class MonitoringNote {
    /** How the line of a manager that stands by while another leads begins. */
    static final String STANDING_BY = "this manager stands by: ";

    private final Path path;

    MonitoringNote(Path workdir, String application) {
        this.path = workdir.resolve(application + ".monitoring");
    }

    /** What it monitors, then what check_status adds about the managers (none with one manager). */
    void write(String monitoring, List<String> about) {
        List<String> lines = new ArrayList<>(List.of(monitoring));
        lines.addAll(about);
        try {
            // written whole, then moved: the monitor's thread and the manager's write it, check_status reads it
            Path next = path.resolveSibling(
                    path.getFileName() + "." + Thread.currentThread().getId() + ".tmp");
            Files.writeString(next, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            Files.move(next, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    /** What the manager monitors, e.g. {@code monitors master server1 with replicas [server2]}. */
    Optional<String> read() {
        return lines().stream().findFirst();
    }

    /** What it says about itself and the other managers (its role, each one's view), for check_status. */
    List<String> about() {
        List<String> lines = lines();
        return lines.isEmpty() ? List.of() : lines.subList(1, lines.size());
    }

    private List<String> lines() {
        try {
            return Files.readString(path, StandardCharsets.UTF_8)
                    .strip()
                    .lines()
                    .toList();
        } catch (NoSuchFileException e) {
            return List.of();
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
