package io.mha4j.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The three streams of a command that a {@link RemoteShell} runs, handled as every implementation
 * must: the caller's input fed in on a thread of its own, the output kept ({@link BoundedOutput})
 * or streamed into the caller's stream, the errors kept. The command is never left blocked on a
 * full pipe: when the receiving side fails (a full disk, a command that exited without reading all
 * of its input), the rest is still read and dropped, and the failure is the outcome. For
 * implementations of {@link RemoteShell}; one class so that each of them does not write it again.
 */
public final class CommandStreams {
    private static final int CHUNK = 64 * 1024;

    private final CompletableFuture<Void> feeding;
    private final BoundedOutput kept;
    private final CompletableFuture<Void> copying;
    private final BoundedOutput errors;

    private CommandStreams(
            CompletableFuture<Void> feeding,
            BoundedOutput kept,
            CompletableFuture<Void> copying,
            BoundedOutput errors) {
        this.feeding = feeding;
        this.kept = kept;
        this.copying = copying;
        this.errors = errors;
    }

    /** What a command printed: its standard output (empty when it was streamed) and its standard error. */
    public record Taken(String stdout, String stderr) {}

    /**
     * Starts moving the streams of a command that has just started, on daemon threads named
     * {@code threads-in}, {@code -out} and {@code -err}.
     *
     * @param input the caller's input, or null for none ({@code stdin} is then left alone)
     * @param stdin the command's standard input, closed once {@code input} has ended
     * @param stdout the command's standard output
     * @param output where the caller wants {@code stdout}, or null to keep it (bounded) for {@link #take}
     * @param stderr the command's standard error, kept (bounded)
     */
    public static CommandStreams start(
            String threads,
            InputStream input,
            OutputStream stdin,
            InputStream stdout,
            OutputStream output,
            InputStream stderr) {
        CompletableFuture<Void> feeding =
                input == null ? CompletableFuture.completedFuture(null) : copy(input, stdin, true, threads + "-in");
        BoundedOutput kept = output == null ? BoundedOutput.drain(stdout, threads + "-out") : null;
        CompletableFuture<Void> copying = output == null
                ? CompletableFuture.completedFuture(null)
                : copy(stdout, output, false, threads + "-out");
        return new CommandStreams(feeding, kept, copying, BoundedOutput.drain(stderr, threads + "-err"));
    }

    /**
     * Once the command has ended: what it printed.
     *
     * @throws RemoteShellException {@link RemoteShellException.Kind#IO} when the caller's output could not take it
     */
    public Taken take(String target, RemoteCommand command) {
        String stdout = kept == null ? "" : kept.join();
        String stderr = errors.join();
        try {
            copying.join();
        } catch (CompletionException e) {
            throw new RemoteShellException(
                    target,
                    RemoteShellException.Kind.IO,
                    "cannot take the output of " + command + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
        // A command that exits without reading all of its input ends the feed with a broken pipe: not an error.
        feeding.exceptionally(e -> null).join();
        return new Taken(stdout, stderr);
    }

    /**
     * Copies {@code from} into {@code to} on the calling thread until {@code from} ends; neither is
     * closed. A failing {@code to} does not stop the reading.
     *
     * @return the failure of {@code to}, if it failed
     * @throws IOException if reading {@code from} fails
     */
    public static Optional<IOException> drainInto(InputStream from, OutputStream to) throws IOException {
        return drainInto(from, to, false);
    }

    /**
     * @param flushWhenIdle whether {@code to} is flushed each time {@code from} has nothing more
     *     at hand: a command's standard input fed as its source grows (a file still written), whose
     *     last bytes must not wait in a buffer for more
     */
    private static Optional<IOException> drainInto(InputStream from, OutputStream to, boolean flushWhenIdle)
            throws IOException {
        IOException failed = null;
        byte[] buf = new byte[CHUNK];
        for (int n; (n = from.read(buf)) >= 0; ) {
            if (failed == null) {
                try {
                    to.write(buf, 0, n);
                    if (flushWhenIdle && from.available() == 0) {
                        to.flush();
                    }
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
    private static CompletableFuture<Void> copy(InputStream from, OutputStream to, boolean closeTarget, String thread) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    Optional<IOException> failed;
                    try (from) {
                        failed = drainInto(from, to, closeTarget);
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
                },
                thread);
        t.setDaemon(true);
        t.start();
        return done;
    }
}
