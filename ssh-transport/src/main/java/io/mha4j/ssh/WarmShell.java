package io.mha4j.ssh;

import io.mha4j.remote.BoundedOutput;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.CommandStreams;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShellException;
import io.mha4j.remote.RemoteShellException.Kind;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ObjLongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A POSIX {@code sh} kept running on a host, fed commands on its standard input: the remote
 * user's login shell — profile scripts, {@code pyenv init}, conda, anything in {@code .bashrc},
 * a second or more on some hosts — runs once, when the warm shell starts (while the master is
 * healthy), instead of once per command during a failover.
 *
 * <p>The protocol, one command at a time: the line
 * {@code ( exec CMD ) </dev/null; printf '\n%s %d\n' N "$?"; printf '\n%s\n' N >&2}, where
 * {@code N} is a fresh random nonce; the command's output is what its standard output carries up
 * to {@code \nN }, followed by its exit status and a newline, and its standard error is what the
 * error stream carries up to {@code \nN\n}. A 128-bit nonce does not occur by chance in any output,
 * binary included. The subshell keeps a command from changing the warm shell (a {@code cd}, an
 * {@code exit}), {@code exec} makes it behave as over an exec channel (a builtin without a program
 * fails with 127), and {@code /dev/null} keeps it off the command stream. A command killed by a
 * signal reports the shell's {@code 128+n}.
 *
 * <p>A command that times out, or a stream that breaks, leaves the shell unusable: it is closed
 * (the caller then kills its process group, {@link #pid()}, where the command runs too) and a new
 * one is started when next prepared.
 *
 * <p>A command whose line could not be sent may still have run: part of it, or all, may have
 * reached {@code sh} before the stream broke. Only a {@linkplain RemoteCommand#isRepeatable()
 * repeatable} command that delivered no output is then handed back to go elsewhere; any other is
 * an error saying that whether it ran is unknown.
 */
final class WarmShell implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WarmShell.class);

    /** What the exec channel runs: the login shell runs once and hands its process to {@code sh}. */
    static final String COMMAND = "exec sh";

    private static final int STATUS_LINE = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong THREADS = new AtomicLong();
    /**
     * The warm shells' background work (reading their streams; for {@link WarmSlot}, killing a
     * timed-out command's group): daemon threads, named. Core's {@code NamedDaemonThreads} is
     * internal, which a plugin module may not use ({@code ArchitectureTest}).
     */
    static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mha4j-warm-shell-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /** The session a warm shell talks through: an SSH exec channel running {@link #COMMAND}, or a local {@code sh} in tests. */
    interface Channel extends AutoCloseable {
        OutputStream input();

        InputStream output();

        InputStream errors();

        boolean isOpen();

        @Override
        void close();
    }

    private final Channel channel;
    private final String name;
    private final MarkedStream out;
    private final MarkedStream err;
    private final long pid;
    /** Held while a command runs; a permit, not a lock, so that a command its caller gave up can free it on ending. */
    private final Semaphore busy = new Semaphore(1);

    private volatile boolean broken;
    /** Kills the process group of a command that outlived its timeout (the shell's own: {@link #pid}). */
    private volatile ObjLongConsumer<RemoteCommand> onTimeout = (command, group) -> {};

    private WarmShell(Channel channel, String name, MarkedStream out, MarkedStream err, long pid) {
        this.channel = channel;
        this.name = name;
        this.out = out;
        this.err = err;
        this.pid = pid;
    }

    /**
     * Waits until the shell on {@code channel} answers: what the login shell printed before is
     * dropped (logged at debug).
     *
     * @throws RemoteShellException if it does not answer within {@code timeout} (the channel is then closed)
     */
    static WarmShell start(Channel channel, String name, Duration timeout) {
        MarkedStream out = new MarkedStream(channel.output());
        MarkedStream err = new MarkedStream(channel.errors());
        String nonce = nonce();
        CompletableFuture<Long> ready = CompletableFuture.supplyAsync(
                () -> {
                    MarkedStream.Piece noise = out.until((nonce + " ").getBytes(StandardCharsets.US_ASCII));
                    String printed = BoundedOutput.readAll(noise);
                    if (!noise.found()) {
                        throw new IllegalStateException("the shell ended before it answered" + said(printed));
                    }
                    return Long.parseLong(uncheckedLine(out));
                },
                READERS);
        CompletableFuture<String> errors = CompletableFuture.supplyAsync(
                () -> {
                    MarkedStream.Piece noise = err.until((nonce + "\n").getBytes(StandardCharsets.US_ASCII));
                    String printed = BoundedOutput.readAll(noise);
                    if (!noise.found()) {
                        throw new IllegalStateException("the shell ended before it answered" + said(printed));
                    }
                    return printed;
                },
                READERS);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            IOException unsent = null;
            try {
                send(channel, "printf '%s %s\\n' " + nonce + " \"$$\"; printf '%s\\n' " + nonce + " >&2\n");
            } catch (IOException e) {
                // A login shell that exited: its readers tell what it printed.
                unsent = e;
            }
            long pid = ready.get(remaining(deadline), TimeUnit.NANOSECONDS);
            if (unsent != null) {
                throw unsent;
            }
            String noise = errors.get(remaining(deadline), TimeUnit.NANOSECONDS);
            if (!noise.isBlank()) {
                log.debug("{}: the login shell printed on stderr: {}", name, noise.strip());
            }
            return new WarmShell(channel, name, out, err, pid);
        } catch (TimeoutException e) {
            channel.close();
            throw new RemoteShellException(
                    name, Kind.TIMEOUT, "the warm shell did not answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException | ExecutionException | RuntimeException e) {
            channel.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new RemoteShellException(name, Kind.IO, "cannot start a warm shell: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
            throw new RemoteShellException(name, Kind.IO, "interrupted while starting a warm shell", e);
        }
    }

    /**
     * Who kills a command's process group when it outlives its timeout, whether its caller waited or
     * gave up; called off the caller's path.
     */
    void onTimeout(ObjLongConsumer<RemoteCommand> killer) {
        this.onTimeout = killer;
    }

    /** The shell's pid: its process group, which every command it runs shares. */
    long pid() {
        return pid;
    }

    boolean isOpen() {
        return !broken && channel.isOpen();
    }

    /** Whether a command runs in it now. */
    boolean isBusy() {
        return busy.availablePermits() == 0;
    }

    /**
     * Runs {@code command} if the shell is free and open; empty, so that the caller uses another
     * channel, when another command holds it or it is closed (nothing ran), or when a repeatable
     * command could not be sent (it may have run: running it again does no harm).
     *
     * @param output where the command's standard output goes, or null to keep it (bounded) in the result
     * @throws RemoteShellException {@link Kind#TIMEOUT} when it did not end in time (the shell is closed; the
     *     caller kills {@link #pid()}'s group), {@link Kind#IO} when the shell broke while it ran, or while a
     *     command not to be repeated was sent (whether it ran is unknown)
     */
    Optional<CommandResult> tryRun(RemoteCommand command, Duration timeout, OutputStream output) {
        if (!busy.tryAcquire()) {
            return Optional.empty();
        }
        boolean handedOn = false;
        try {
            if (!isOpen()) {
                return Optional.empty();
            }
            return run(command, timeout, output);
        } catch (Abandoned e) {
            handedOn = true;
            throw e.failure;
        } finally {
            if (!handedOn) {
                busy.release();
            }
        }
    }

    /** A command whose caller was interrupted, left to end on its own: its end frees the shell (see {@link #run}). */
    private static final class Abandoned extends RuntimeException {
        private final RemoteShellException failure;

        Abandoned(RemoteShellException failure) {
            super(null, null, false, false);
            this.failure = failure;
        }
    }

    /** Empty when the command could not be sent and may go elsewhere: see {@link #unsent}. */
    private Optional<CommandResult> run(RemoteCommand command, Duration timeout, OutputStream output) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String nonce = nonce();
        AtomicReference<IOException> sinkFailure = new AtomicReference<>();
        CountingOutput sink = output == null ? null : new CountingOutput(output);
        CompletableFuture<Output> stdout = CompletableFuture.supplyAsync(
                () -> {
                    MarkedStream.Piece piece = out.until(("\n" + nonce + " ").getBytes(StandardCharsets.US_ASCII));
                    String kept = "";
                    if (sink == null) {
                        kept = BoundedOutput.readAll(piece);
                    } else {
                        // Read to the marker even when the caller's output fails, so that the next command starts in
                        // step.
                        drain(piece, sink).ifPresent(sinkFailure::set);
                    }
                    if (!piece.found()) {
                        throw new IllegalStateException("the shell ended while " + command + " ran");
                    }
                    return new Output(kept, Integer.parseInt(uncheckedLine(out)));
                },
                READERS);
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(
                () -> {
                    MarkedStream.Piece piece = err.until(("\n" + nonce + "\n").getBytes(StandardCharsets.US_ASCII));
                    String kept = BoundedOutput.readAll(piece);
                    if (!piece.found()) {
                        throw new IllegalStateException("the shell ended while " + command + " ran");
                    }
                    return kept;
                },
                READERS);
        try {
            log.debug("{}: running {} in the warm shell", name, command);
            try {
                send(
                        channel,
                        "( exec " + command.shellLine() + " ) </dev/null; printf '\\n%s %d\\n' " + nonce
                                + " \"$?\"; printf '\\n%s\\n' " + nonce + " >&2\n");
            } catch (IOException e) {
                breakDown();
                return unsent(command, e, stdout, sink, deadline);
            }
            Output result = stdout.get(remaining(deadline), TimeUnit.NANOSECONDS);
            String errors = stderr.get(remaining(deadline), TimeUnit.NANOSECONDS);
            if (sinkFailure.get() != null) {
                throw new RemoteShellException(
                        name,
                        Kind.IO,
                        "cannot take the output of " + command + ": "
                                + sinkFailure.get().getMessage(),
                        sinkFailure.get());
            }
            return Optional.of(new CommandResult(
                    result.status(), result.kept(), errors, Duration.ofNanos(System.nanoTime() - start)));
        } catch (TimeoutException e) {
            breakDown();
            CompletableFuture.runAsync(() -> onTimeout.accept(command, pid), READERS);
            throw new RemoteShellException(
                    name, Kind.TIMEOUT, command + " did not finish within " + timeout.toMillis() + " ms", null);
        } catch (ExecutionException e) {
            breakDown();
            throw new RemoteShellException(
                    name,
                    Kind.IO,
                    "the warm shell broke while running " + command + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            RemoteShellException failure = new RemoteShellException(name, Kind.IO, command + " interrupted", e);
            if (sink != null) {
                // Its output goes to a stream the caller may close now: the shell cannot be left to finish it.
                breakDown();
                throw failure;
            }
            // The caller gave up, not the shell (a monitor closing while its SSH probe ran): the command ends on
            // its own within its timeout, and the shell is free again once both markers are read — broken down
            // only if they do not come in time. Breaking it down here cost the failover that followed a login shell.
            CompletableFuture.allOf(stdout, stderr)
                    .orTimeout(remaining(deadline), TimeUnit.NANOSECONDS)
                    .whenCompleteAsync(
                            (ended, error) -> {
                                try {
                                    if (error != null) {
                                        Throwable cause =
                                                error instanceof CompletionException ? error.getCause() : error;
                                        log.info(
                                                "{}: {}, abandoned by its caller, {}; closing the {}",
                                                name,
                                                command,
                                                cause instanceof TimeoutException
                                                        ? "did not end within its timeout"
                                                        : "did not end cleanly (" + cause + ")",
                                                this);
                                        breakDown();
                                        if (cause instanceof TimeoutException) {
                                            onTimeout.accept(command, pid);
                                        }
                                    }
                                } finally {
                                    busy.release();
                                }
                            },
                            READERS);
            throw new Abandoned(failure);
        }
    }

    /** A command's standard output as kept (empty when streamed) and its exit status. */
    private record Output(String kept, int status) {}

    /**
     * After a send that failed (the shell is closed already): empty, so that the caller runs the
     * command elsewhere, only when running it twice does no harm — it is repeatable, and none of
     * its output reached the caller's stream, which a second run would then add to.
     *
     * @throws RemoteShellException {@link Kind#IO} naming the command: whether it ran is unknown
     */
    private Optional<CommandResult> unsent(
            RemoteCommand command,
            IOException failure,
            CompletableFuture<Output> reader,
            CountingOutput sink,
            long deadline) {
        String why;
        if (!command.isRepeatable()) {
            why = "it is not run again: running it twice may do harm";
        } else if (sink != null && printedSomething(reader, sink, deadline)) {
            why = "part of its output reached the caller";
        } else {
            log.info("{}: the {} has gone ({}); {} goes elsewhere", name, this, failure.getMessage(), command);
            return Optional.empty();
        }
        log.warn(
                "{}: the {} broke while {} was sent to it ({}); whether it ran is unknown: {}",
                name,
                this,
                command,
                failure.getMessage(),
                why);
        throw new RemoteShellException(
                name,
                Kind.IO,
                "the " + this + " broke while " + command + " was sent to it (" + failure.getMessage()
                        + "): whether it ran is unknown; " + why,
                failure);
    }

    /** Whether the reader, which ends now that the shell is closed, handed any byte on; true if it did not end. */
    private static boolean printedSomething(CompletableFuture<Output> reader, CountingOutput sink, long deadline) {
        try {
            reader.get(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            // The shell ended before the command's marker: what counts is what it passed on.
        } catch (TimeoutException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
        return sink.count() > 0;
    }

    /** The caller's output, counting what reaches it. */
    private static final class CountingOutput extends FilterOutputStream {
        private final AtomicLong count = new AtomicLong();

        CountingOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            count.incrementAndGet();
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            count.addAndGet(len);
            out.write(b, off, len);
        }

        long count() {
            return count.get();
        }
    }

    private void breakDown() {
        broken = true;
        channel.close();
    }

    @Override
    public void close() {
        broken = true;
        channel.close();
    }

    @Override
    public String toString() {
        return "warm shell (pid " + pid + ")";
    }

    private static void send(Channel channel, String line) throws IOException {
        OutputStream in = channel.input();
        in.write(line.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static String nonce() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return "mha4j-" + HexFormat.of().formatHex(b);
    }

    private static String uncheckedLine(MarkedStream s) {
        try {
            return s.line(STATUS_LINE).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<IOException> drain(InputStream piece, OutputStream output) {
        try {
            return CommandStreams.drainInto(piece, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String said(String printed) {
        return printed.isBlank() ? "" : " (it printed: " + printed.strip() + ")";
    }
}
