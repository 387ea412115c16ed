package io.mha4j.ssh;

import io.mha4j.remote.BoundedOutput;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteFile;
import io.mha4j.remote.RemoteShell;
import io.mha4j.remote.RemoteShellException;
import io.mha4j.remote.RemoteShellException.Kind;
import io.mha4j.remote.SshTarget;
import io.mha4j.remote.StreamCopy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.FileMode;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.SFTPClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RemoteShell} over SSH (sshj): one connection per target, opened on first use and
 * reused by every command and file operation, as MHA's many {@code ssh} invocations are not.
 * Commands are exec sessions multiplexed on it, so several threads may run commands at once;
 * files move over one SFTP session on it, streamed both ways.
 *
 * <p>Every exec session (and the SFTP subsystem) starts the remote user's login shell, which on
 * real hosts can take a second or more ({@code .bashrc} running {@code pyenv init}, conda,
 * profile scripts). Once {@linkplain #prepare prepared}, the shell keeps a {@link WarmShell} on
 * the connection — one {@code sh} whose login shell ran once — and runs commands there while it
 * is free: a command then costs a round trip and a fork, not a login.
 *
 * <p>A connection found dead (the keep-alive or the reader noticed) is replaced at the next
 * operation. An operation whose session or file could not even be opened because the
 * connection had just died is retried once on a new connection: nothing ran yet. A command
 * that was running when the connection died is not re-run; it fails with {@link Kind#IO}.
 *
 * <p>Host keys are checked per {@link SshTarget#hostKeyPolicy()} against
 * {@link SshTarget#knownHostsFile()}; failures are {@link RemoteShellException}s whose kind and
 * message say what to fix.
 */
public final class SshRemoteShell implements RemoteShell {

    /**
     * Commands running at once on the connection; more wait their turn (within their timeout).
     * OpenSSH's sshd allows ten sessions per connection by default ({@code MaxSessions}): the SFTP
     * session may hold one, the warm shell another.
     */
    public static final int MAX_CONCURRENT_COMMANDS = 8;

    private static final Logger log = LoggerFactory.getLogger(SshRemoteShell.class);
    private static final int WRITES_IN_FLIGHT = 16;
    /** OpenSSH's ssh reports 255 when the remote command died of a signal; so do we. */
    private static final int EXIT_KILLED_BY_SIGNAL = 255;

    private final SshTarget target;
    private final Config config;
    private final Semaphore sessions = new Semaphore(MAX_CONCURRENT_COMMANDS, true);
    private final Object connecting = new Object();
    private final AtomicLong commandNumbers = new AtomicLong();
    private final WarmSlot warm;
    private volatile SshConnection connection;
    private volatile boolean closed;

    /** A shell to {@code target}; nothing connects until the first operation. */
    public SshRemoteShell(SshTarget target) {
        this.target = target;
        DefaultConfig c = new DefaultConfig();
        // keepalive@openssh.com requests expect replies, so a silent peer is declared dead; the default heartbeat
        // never declares anything.
        c.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        this.config = c;
        this.warm = new WarmSlot(target.name(), this::startWarmShell, this::killGroup);
    }

    @Override
    public String target() {
        return target.name();
    }

    /**
     * Runs {@code command.shellLine()}: every argument single-quoted, so the remote shell
     * interprets nothing in it. In the {@linkplain #prepare warm shell} when there is one and it
     * is free (no login shell paid); otherwise over an exec channel of its own, where the login
     * shell {@code exec}s it after announcing its pid (see {@link AnnouncedPid}), so on timeout the
     * command and everything it started are killed and its channel closed. A command killed by a
     * signal reports exit code 255 over an exec channel, as OpenSSH's client does, and 128+n in the
     * warm shell, as a shell does.
     */
    @Override
    public CommandResult run(RemoteCommand command, Duration timeout) {
        return warm.tryRun(command, timeout, null).orElseGet(() -> exec(command, timeout, null, null));
    }

    /** Streams both ways without files; a command without input runs in the warm shell when it is free. */
    @Override
    public CommandResult run(RemoteCommand command, Duration timeout, InputStream input, OutputStream output) {
        Objects.requireNonNull(output, "output");
        Optional<CommandResult> warmRun = input == null ? warm.tryRun(command, timeout, output) : Optional.empty();
        return warmRun.orElseGet(() -> exec(command, timeout, input, output));
    }

    /**
     * Connects if need be and starts a {@link WarmShell}: the login shell runs now, once, and later
     * commands run in the warm shell with no login shell of their own. A warm shell that cannot be
     * started (no {@code sh}, a login shell that never ends) is logged, remembered for a while (see
     * {@link WarmSlot}), and commands use exec channels as before. Connecting is bounded by the
     * target's connect timeout, starting the warm shell by {@code timeout}.
     */
    @Override
    public String prepare(Duration timeout) {
        return link() + ", " + warm.prepare(timeout);
    }

    /**
     * Connects if need be (within the target's connect timeout, {@code ssh_connection_timeout}) and
     * reuses the warm shell if one is open, starting none: exec channels serve the failover otherwise.
     */
    @Override
    public String connect(Duration timeout) {
        return link() + ", " + warm.describe();
    }

    private String link() {
        SshConnection before = connection;
        boolean wasConnected = before != null && before.isAlive();
        SshConnection c = connection();
        return wasConnected && c == before ? "reused connection #" + c.number()
                : "connected (connection #" + c.number() + ") in " + c.took().toMillis() + " ms";
    }

    private WarmShell startWarmShell(Duration timeout) {
        try {
            return withConnection("starting a warm shell", c -> WarmShell.start(c.shellChannel(), target.name(),
                    timeout));
        } catch (IOException e) {
            throw SshFailures.during(target, "starting a warm shell", e);
        }
    }

    private void killGroup(RemoteCommand command, long pid) {
        try {
            exec(AnnouncedPid.killGroup(pid), target.connectTimeout(), null, null);
            log.warn("{}: {} timed out in the warm shell; killed its process group {}", target.name(), command, pid);
        } catch (RemoteShellException e) {
            log.warn("{}: cannot kill process group {} of {}: {}", target.name(), pid, command, e.getMessage());
        }
    }

    /** Runs a command over an exec channel of its own; {@code output} null keeps its output in the result. */
    private CommandResult exec(RemoteCommand command, Duration timeout, InputStream input, OutputStream output) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        acquireSession(command, timeout);
        try {
            Session session = openSession(command, deadline);
            try (session) {
                log.debug("{}: running {}", target.name(), command);
                Session.Command running = session.exec(AnnouncedPid.commandLine(command));
                AnnouncedPid pid = new AnnouncedPid();
                String thread = "mha4j-ssh-" + target.name() + "-" + commandNumbers.incrementAndGet();
                CompletableFuture<Void> feeding = input == null ? CompletableFuture.completedFuture(null)
                        : StreamCopy.start(input, running.getOutputStream(), true, thread + "-in");
                BoundedOutput out = output == null ? BoundedOutput.drain(running.getInputStream(), thread + "-out")
                        : null;
                CompletableFuture<Void> copying = output == null ? CompletableFuture.completedFuture(null)
                        : StreamCopy.start(running.getInputStream(), output, false, thread + "-out");
                BoundedOutput err = BoundedOutput.drain(pid.strip(running.getErrorStream()), thread + "-err");
                if (!awaitEnd(running, deadline)) {
                    kill(running, pid.pid(), command);
                    throw new RemoteShellException(target.name(), Kind.TIMEOUT, command + " did not finish within "
                            + timeout.toMillis() + " ms; killed it", null);
                }
                Integer status = running.getExitStatus();
                if (status == null) {
                    log.info("{}: {} ended by signal {}", target.name(), command, running.getExitSignal());
                }
                String stdout = out == null ? "" : out.join();
                String stderr = err.join();
                outputTaken(copying, command);
                // A command that exits without reading all of its input ends the feed with a broken pipe: not an error.
                feeding.exceptionally(e -> null).join();
                return new CommandResult(status == null ? EXIT_KILLED_BY_SIGNAL : status, stdout, stderr,
                        Duration.ofNanos(System.nanoTime() - start));
            }
        } catch (IOException e) {
            throw SshFailures.during(target, "running " + command, e);
        } finally {
            sessions.release();
        }
    }

    private void outputTaken(CompletableFuture<Void> copying, RemoteCommand command) {
        try {
            copying.join();
        } catch (CompletionException e) {
            throw new RemoteShellException(target.name(), Kind.IO, "cannot take the output of " + command + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Opens an exec session. sshd frees a session slot only when it has processed the close of
     * an earlier one, so a burst of short commands can briefly find all of its MaxSessions
     * taken although fewer than {@link #MAX_CONCURRENT_COMMANDS} run; such a refusal is retried
     * with a short, growing pause until the command's deadline.
     */
    private Session openSession(RemoteCommand command, long deadline) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return withConnection("opening a session for " + command, SshConnection::startSession);
            } catch (OpenFailException e) {
                long pause = TimeUnit.MILLISECONDS.toNanos(Math.min(200, 10L * attempt));
                if (System.nanoTime() + pause >= deadline) {
                    throw e;
                }
                log.debug("{}: session refused ({}), attempt {}; retrying", target.name(), e.getMessage(), attempt);
                LockSupport.parkNanos(pause);
            }
        }
    }

    private void acquireSession(RemoteCommand command, Duration timeout) {
        try {
            if (!sessions.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new RemoteShellException(target.name(), Kind.TIMEOUT, command + " did not start within "
                        + timeout.toMillis() + " ms: " + MAX_CONCURRENT_COMMANDS + " commands were running", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteShellException(target.name(), Kind.IO, command + " interrupted", e);
        }
    }

    /** Waits for the channel to close (the command ended and its output is in); false on timeout. */
    private static boolean awaitEnd(Session.Command running, long deadline) throws ConnectionException {
        try {
            running.join(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (ConnectionException e) {
            if (e.getCause() instanceof TimeoutException) {
                // It may have ended just as the wait ran out.
                return !running.isOpen();
            }
            throw e;
        }
    }

    /**
     * Kills a timed-out command: its whole process group from a second session when it announced
     * its pid, else the signal request (which sshd honours for non-root logins only).
     */
    private void kill(Session.Command running, long pid, RemoteCommand command) {
        if (pid > 0) {
            try (Session killer = withConnection("killing " + command, SshConnection::startSession)) {
                Session.Command kill = killer.exec(AnnouncedPid.killGroup(pid).shellLine());
                kill.join(target.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
                log.warn("{}: {} timed out; killed its process group {}", target.name(), command, pid);
                return;
            } catch (IOException | RemoteShellException e) {
                log.warn("{}: cannot kill process group {} of {}: {}", target.name(), pid, command, e.toString());
            }
        }
        try {
            running.signal(Signal.KILL);
            log.warn("{}: {} timed out; sent SIGKILL", target.name(), command);
        } catch (IOException e) {
            log.warn("{}: cannot signal {}: {}", target.name(), command, e.toString());
        }
    }

    /**
     * Streams {@code path} from {@code offset} over SFTP with a bounded read-ahead; closing the
     * stream closes the remote file.
     */
    @Override
    public InputStream read(String path, long offset) {
        try {
            return withConnection("reading " + path, c -> new SftpInputStream(
                    c.sftp().open(path, EnumSet.of(OpenMode.READ)), offset));
        } catch (IOException e) {
            throw SshFailures.during(target, "reading " + path, e);
        }
    }

    /** Streams {@code content} into {@code path} over SFTP, replacing the file; creates no directories. */
    @Override
    public void write(String path, InputStream content) {
        try {
            net.schmizz.sshj.sftp.RemoteFile file = withConnection("writing " + path,
                    c -> c.sftp().open(path, EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.TRUNC)));
            try (file; OutputStream out = file.new RemoteFileOutputStream(0, WRITES_IN_FLIGHT)) {
                // One SFTP write per chunk: sshj sends whatever one write() gets as one packet, and sshd's
                // sftp-server drops packets past 256 KiB (transferTo would hand over whole arrays).
                byte[] chunk = new byte[SftpInputStream.CHUNK];
                long bytes = 0;
                for (int n; (n = content.read(chunk)) >= 0; bytes += n) {
                    out.write(chunk, 0, n);
                }
                log.debug("{}: wrote {} bytes to {}", target.name(), bytes, path);
            }
        } catch (IOException e) {
            throw SshFailures.during(target, "writing " + path, e);
        }
    }

    /** SFTP {@code stat} (following symbolic links); empty if nothing is at {@code path}. */
    @Override
    public Optional<RemoteFile> stat(String path) {
        try {
            FileAttributes a = withConnection("stat of " + path, c -> c.sftp().statExistence(path));
            if (a == null) {
                return Optional.empty();
            }
            return Optional.of(new RemoteFile(path, a.getSize(), Instant.ofEpochSecond(a.getMtime()),
                    a.getType() == FileMode.Type.DIRECTORY, a.getMode().getPermissionsMask() & 0777));
        } catch (IOException e) {
            throw SshFailures.during(target, "stat of " + path, e);
        }
    }

    /** Closes the connection; the shell cannot be used afterwards. Idempotent. */
    @Override
    public void close() {
        warm.close();
        synchronized (connecting) {
            closed = true;
            if (connection != null) {
                connection.close();
                connection = null;
            }
        }
    }

    @Override
    public String toString() {
        return "SshRemoteShell(" + target.name() + ")";
    }

    /** Does {@code action} on the live connection; retries once on a new one if the old one turns out dead. */
    private <T> T withConnection(String what, ConnectionAction<T> action) throws IOException {
        SshConnection c = connection();
        try {
            return action.apply(c);
        } catch (IOException e) {
            if (c.isAlive()) {
                throw e;
            }
            log.info("{}: connection #{} lost while {} ({}); reconnecting once", target.name(), c.number(), what,
                    e.toString());
            return action.apply(replace(c));
        }
    }

    /** The live connection, connecting (or reconnecting) now if there is none; one thread connects, others wait. */
    private SshConnection connection() {
        SshConnection c = connection;
        if (c != null && c.isAlive()) {
            return c;
        }
        synchronized (connecting) {
            if (closed) {
                throw new RemoteShellException(target.name(), Kind.IO, "the shell is closed", null);
            }
            c = connection;
            if (c != null && c.isAlive()) {
                return c;
            }
            if (c != null) {
                log.info("{}: connection #{} lost; reconnecting", target.name(), c.number());
                c.close();
            }
            connection = SshConnection.open(target, config);
            return connection;
        }
    }

    private SshConnection replace(SshConnection dead) {
        synchronized (connecting) {
            if (connection == dead) {
                dead.close();
                connection = null;
            }
        }
        return connection();
    }

    @FunctionalInterface
    private interface ConnectionAction<T> {
        T apply(SshConnection connection) throws IOException;
    }
}
