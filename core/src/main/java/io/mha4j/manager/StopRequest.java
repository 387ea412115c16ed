package io.mha4j.manager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Stopping one application of a manager process that runs several ({@code mha4j manager
 * --conf=a.cnf --conf=b.cnf}), where {@code stop}'s SIGTERM would end them all: such a process
 * marks each application it runs ({@code <manager_workdir>/<app>.shared_manager}, holding its
 * pid) and stops the one whose request file {@code stop} writes ({@code <app>.stop_request}).
 * A process that runs one application marks nothing and is stopped by SIGTERM, as MHA's. A mark
 * left by a process that died names a pid that is not the status file's, and is ignored.
 */
public final class StopRequest {
    private final Path mark;
    private final Path request;

    public StopRequest(Path workdir, String application) {
        this.mark = workdir.resolve(application + ".shared_manager");
        this.request = workdir.resolve(application + ".stop_request");
    }

    /** Marks the application as run by process {@code pid} among others; a request left from before is dropped. */
    public void offer(long pid) {
        try {
            Files.createDirectories(mark.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + mark.getParent(), e);
        }
        delete(request);
        write(mark, Long.toString(pid));
    }

    /** Whether process {@code pid} runs this application among others and stops it on request. */
    public boolean offeredBy(long pid) {
        try {
            return Files.readString(mark, StandardCharsets.UTF_8).strip().equals(Long.toString(pid));
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + mark, e);
        }
    }

    /** Asks the process that {@link #offer}ed to stop this application. */
    public void request() {
        write(request, "stop\n");
    }

    public boolean requested() {
        return Files.exists(request);
    }

    /** Removes the mark and any request: the application no longer runs. */
    public void withdraw() {
        delete(mark);
        delete(request);
    }

    public Path requestFile() {
        return request;
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }
}
