package io.mha4j.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The JVM that owns a sandbox directory, recorded in a file {@code owner} inside it. A JVM
 * killed with SIGKILL runs no shutdown hook, so a later sandbox uses this record to tell an
 * orphaned directory (owner gone) from a neighbour's (owner alive). The start instant guards
 * against a recycled pid.
 */
record Owner(long pid, Optional<Instant> start) {

    static final String FILE_NAME = "owner";

    /** This JVM. */
    static Owner current() {
        ProcessHandle self = ProcessHandle.current();
        return new Owner(self.pid(), self.info().startInstant());
    }

    /**
     * Creates a new directory {@code root/<prefix><pid>-<random>} owned by this JVM: the owner
     * file is written before anything else goes in, so the reaper never mistakes it for stale.
     */
    static Path createOwnedDirectory(Path root, String prefix) throws IOException {
        Path directory = root.resolve(prefix + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt()));
        Files.createDirectory(directory);
        try {
            current().writeTo(directory);
        } catch (IOException e) {
            DirectoryTree.delete(directory);
            throw e;
        }
        return directory;
    }

    /** Writes this owner into {@code dir} (the directory must exist). */
    void writeTo(Path dir) throws IOException {
        String text = "pid=" + pid + "\n" + start.map(s -> "start=" + s + "\n").orElse("");
        Files.writeString(dir.resolve(FILE_NAME), text, StandardCharsets.UTF_8);
    }

    /** The owner recorded in {@code dir}; empty when there is none or it cannot be read. */
    static Optional<Owner> readFrom(Path dir) {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(dir.resolve(FILE_NAME), StandardCharsets.UTF_8)) {
            p.load(in);
            long pid = Long.parseLong(p.getProperty("pid", "").trim());
            Optional<Instant> start =
                    Optional.ofNullable(p.getProperty("start")).map(s -> Instant.parse(s.trim()));
            return Optional.of(new Owner(pid, start));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Whether the recorded process still runs and is the same process (same start instant). */
    boolean isAlive() {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .map(h -> start.isEmpty()
                        || h.info()
                                .startInstant()
                                .map(s -> s.equals(start.get()))
                                .orElse(true))
                .orElse(false);
    }
}
