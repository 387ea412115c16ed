package io.mha4j.manager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code <manager_workdir>/<app>.master_status.health} in MHA's format: one line
 * {@code <pid>\t<code>:<NAME>[\tmaster:<hostname>]}. Its modification time is the manager's
 * heartbeat: it is touched at every successful ping, and check_status calls a manager whose
 * file is too old hung.
 */
public final class StatusFile {

    /** What the file says, and when it was last written or touched. */
    public record Entry(long pid, String status, Optional<String> master, Instant modified) {
        public Optional<ManagerStatus> parsedStatus() {
            return ManagerStatus.parseLabel(status);
        }
    }

    private final Path path;
    private String lastWritten;

    public StatusFile(Path workdir, String application) {
        this.path = workdir.resolve(application + ".master_status.health");
    }

    public Path path() {
        return path;
    }

    /** Writes the status; when nothing changed, only the modification time moves (MHA's update_status_time). */
    public synchronized void update(long pid, ManagerStatus status, Optional<String> masterHostname, Instant now) {
        String line = pid + "\t" + status.label()
                + masterHostname.map(h -> "\tmaster:" + h).orElse("");
        try {
            if (line.equals(lastWritten) && Files.exists(path)) {
                Files.setLastModifiedTime(path, FileTime.from(now));
                return;
            }
            Path tmp = path.resolveSibling("." + path.getFileName() + ".tmp");
            Files.writeString(tmp, line, StandardCharsets.UTF_8);
            Files.setLastModifiedTime(tmp, FileTime.from(now));
            try {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
            lastWritten = line;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    public Optional<Entry> read() {
        try {
            String line = Files.readString(path, StandardCharsets.UTF_8).strip();
            Instant modified = Files.getLastModifiedTime(path).toInstant();
            String[] parts = line.split("\t");
            long pid = Long.parseLong(parts[0].trim());
            String status = parts.length > 1 ? parts[1] : "";
            Optional<String> master = parts.length > 2 && parts[2].startsWith("master:")
                    ? Optional.of(parts[2].substring("master:".length()))
                    : Optional.empty();
            return Optional.of(new Entry(pid, status, master, modified));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(path + " is not a status file: it does not start with a pid", e);
        }
    }

    public void delete() {
        try {
            Files.deleteIfExists(path);
            lastWritten = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }
}
