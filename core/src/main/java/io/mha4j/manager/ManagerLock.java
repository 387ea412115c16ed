package io.mha4j.manager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One manager per application: an OS file lock on {@code <manager_workdir>/<app>.lock}, held
 * for the manager's life. Unlike a pid in a file, an OS lock cannot outlive its process, is
 * not fooled by a reused pid or a zombie (MHA's check_status says "running" for a killed
 * manager's zombie), and check_status can test it without guessing.
 */
public final class ManagerLock implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private ManagerLock(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    public static Path pathOf(Path workdir, String application) {
        return workdir.resolve(application + ".lock");
    }

    /** The lock, or empty when another manager (in any process, this one included) holds it. */
    public static Optional<ManagerLock> tryAcquire(Path workdir, String application) {
        Path path = pathOf(workdir, application);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                return Optional.empty();
            }
            return Optional.of(new ManagerLock(path, ch, l));
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            return Optional.empty();
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("cannot lock " + path, e);
        }
    }

    /** Whether a manager holds the application's lock right now. */
    public static boolean isHeld(Path workdir, String application) {
        Optional<ManagerLock> probe = tryAcquire(workdir, application);
        probe.ifPresent(ManagerLock::close);
        return probe.isEmpty();
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // The channel closes below; the OS drops the lock with it.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Nothing left to release.
            }
        }
    }
}
