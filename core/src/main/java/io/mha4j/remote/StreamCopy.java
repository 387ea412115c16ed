package io.mha4j.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Copies a command's output into the caller's stream, or the caller's input into a command,
 * without ever leaving the producer blocked: when the receiving side fails (a full disk, a command
 * that exited without reading all of its input), the rest is still read and dropped, and the
 * failure is the outcome. For {@link RemoteShell} implementations.
 */
public final class StreamCopy {
    private static final int CHUNK = 64 * 1024;

    private StreamCopy() {}

    /**
     * Copies {@code from} into {@code to} on the calling thread until {@code from} ends; neither is closed.
     *
     * @return the failure of {@code to}, if it failed
     * @throws IOException if reading {@code from} fails
     */
    public static Optional<IOException> drainInto(InputStream from, OutputStream to) throws IOException {
        IOException failed = null;
        byte[] buf = new byte[CHUNK];
        for (int n; (n = from.read(buf)) >= 0; ) {
            if (failed == null) {
                try {
                    to.write(buf, 0, n);
                } catch (IOException e) {
                    failed = e;
                }
            }
        }
        if (failed == null) {
            try {
                to.flush();
            } catch (IOException e) {
                failed = e;
            }
        }
        return Optional.ofNullable(failed);
    }

    /**
     * {@link #drainInto} on a daemon thread named {@code thread}; {@code from} is closed at its end,
     * and {@code to} too when {@code closeTarget} (a command's standard input: it then sees its end).
     *
     * @return completes when {@code from} has ended, exceptionally with the first failure of either side
     */
    public static CompletableFuture<Void> start(InputStream from, OutputStream to, boolean closeTarget,
            String thread) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            Optional<IOException> failed;
            try (from) {
                failed = drainInto(from, to);
            } catch (IOException | RuntimeException e) {
                failed = Optional.of(e instanceof IOException io ? io : new IOException(e));
            }
            if (closeTarget) {
                try {
                    to.close();
                } catch (IOException e) {
                    // The command has gone: nothing left to tell it.
                }
            }
            failed.ifPresentOrElse(done::completeExceptionally, () -> done.complete(null));
        }, thread);
        t.setDaemon(true);
        t.start();
        return done;
    }
}
