package io.mha4j.remote;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link RemoteShell} for this machine: the manager's own host, or every host of a
 * single-machine sandbox. Commands run without a shell.
 */
public final class LocalShell implements RemoteShell {
    /** The shared instance; it holds no resources. */
    public static final LocalShell INSTANCE = new LocalShell();
    /** How long a killed command may take to end. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private LocalShell() {}

    @Override
    public String target() {
        return "localhost";
    }

    @Override
    public CommandResult run(RemoteCommand command, Duration timeout) {
        return start(command, timeout, null, null);
    }

    /** Streams without files: {@code input} is copied into the process on a thread of its own. */
    @Override
    public CommandResult run(RemoteCommand command, Duration timeout, InputStream input, OutputStream output) {
        return start(command, timeout, input, Objects.requireNonNull(output, "output"));
    }

    @Override
    public String prepare(Duration timeout) {
        return "commands run on this machine";
    }

    @Override
    public String connect(Duration timeout) {
        return prepare(timeout);
    }

    private CommandResult start(RemoteCommand command, Duration timeout, InputStream input, OutputStream output) {
        long start = System.nanoTime();
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(command.argv());
            if (input == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            p = pb.start();
        } catch (IOException e) {
            throw new RemoteShellException(
                    target(), RemoteShellException.Kind.IO, "cannot start " + command + ": " + e.getMessage(), e);
        }
        CommandStreams streams = CommandStreams.start(
                "mha4j-local-" + p.pid(), input, p.getOutputStream(), p.getInputStream(), output, p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new RemoteShellException(
                        target(),
                        RemoteShellException.Kind.TIMEOUT,
                        command + " did not finish within " + timeout.toMillis() + " ms; " + kill(p),
                        null);
            }
        } catch (InterruptedException e) {
            String killed = kill(p);
            Thread.currentThread().interrupt();
            throw new RemoteShellException(
                    target(), RemoteShellException.Kind.IO, command + " interrupted; " + killed, e);
        }
        CommandStreams.Taken taken = streams.take(target(), command);
        return new CommandResult(
                p.exitValue(), taken.stdout(), taken.stderr(), Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Kills {@code p} and what it started, and waits (bounded, even when interrupted) until they
     * have ended: a caller that goes on — reading what the command did, running it elsewhere — must
     * not find it still at work.
     *
     * @return what became of them, for the caller's message
     */
    private static String kill(Process p) {
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        all.add(p.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        try {
            for (ProcessHandle h : all) {
                while (h.isAlive()) {
                    try {
                        h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException e) {
                        break;
                    } catch (TimeoutException e) {
                        return "killed it, but pid " + h.pid() + " had not ended " + KILL_WAIT.toMillis()
                                + " ms later: it may still be at work";
                    }
                }
            }
            return "killed it (" + all.size() + " process(es)), and they have ended";
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public InputStream read(String path, long offset) {
        try {
            FileChannel ch = FileChannel.open(Path.of(path), StandardOpenOption.READ);
            ch.position(offset);
            return Channels.newInputStream(ch);
        } catch (NoSuchFileException e) {
            throw new RemoteShellException(target(), RemoteShellException.Kind.NO_SUCH_FILE, "no such file " + path, e);
        } catch (IOException e) {
            throw new RemoteShellException(
                    target(), RemoteShellException.Kind.IO, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(String path, InputStream content) {
        try {
            Files.copy(content, Path.of(path), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new RemoteShellException(
                    target(), RemoteShellException.Kind.IO, "cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<RemoteFile> stat(String path) {
        try {
            PosixFileAttributes a = Files.readAttributes(Path.of(path), PosixFileAttributes.class);
            int mode = 0;
            for (PosixFilePermission perm : a.permissions()) {
                mode |= 1 << (8 - perm.ordinal());
            }
            return Optional.of(
                    new RemoteFile(path, a.size(), a.lastModifiedTime().toInstant(), a.isDirectory(), mode));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new RemoteShellException(
                    target(), RemoteShellException.Kind.IO, "cannot stat " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // Nothing to release.
    }
}
