package io.mha4j.ssh;

import io.mha4j.remote.CommandResult;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteFile;
import io.mha4j.remote.RemoteShell;
import io.mha4j.remote.RemoteShellException;
import io.mha4j.remote.RemoteShellException.Kind;
import io.mha4j.remote.SshTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;

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

    /** OpenSSH sshd's default {@code MaxSessions}: sessions allowed on one connection. */
    private static final int SSHD_MAX_SESSIONS = 10;

    /**
     * Commands running at once on the connection; more wait their turn (within their timeout).
     * sshd allows {@link #SSHD_MAX_SESSIONS} sessions per connection by default; three are
     * kept for the SFTP session, the warm shell and the session that kills a timed-out command's
     * process group. That one must always find a slot: the fallback, a signal request, is ignored
     * by sshd for root logins, so a refused kill session would leave the command running.
     */
    public static final int MAX_CONCURRENT_COMMANDS = SSHD_MAX_SESSIONS - 3;

    /** 40,000 lines of 76 characters, as base64 lines of the tool's text come. */
    private static final RemoteCommand STREAM_WARM_UP = RemoteCommand.of(
            "sh",
            "-c",
            "yes BINLOGwarmupAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA | head -n 40000");

    private static final AtomicBoolean STREAM_WARMED = new AtomicBoolean();

    private final SshTarget target;
    private final LiveConnection connection;
    private final ExecChannels exec;
    private final SftpFiles files;
    private final WarmSlot warm;
    /** The fastest exec command so far (nanoseconds): what the remote user's login shell costs at most. */
    private final AtomicLong fastestExec = new AtomicLong(Long.MAX_VALUE);

    /** A shell to {@code target}; nothing connects until the first operation. */
    public SshRemoteShell(SshTarget target) {
        this.target = target;
        DefaultConfig config = new DefaultConfig();
        // keepalive@openssh.com requests expect replies, so a silent peer is declared dead; the default heartbeat
        // never declares anything.
        config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        this.connection = new LiveConnection(target, () -> SshConnection.open(target, config));
        this.exec = new ExecChannels(target, connection, MAX_CONCURRENT_COMMANDS);
        this.files = new SftpFiles(target, connection);
        this.warm = new WarmSlot(target.name(), this::startWarmShell, exec::killGroup);
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
        return warm.tryRun(command, timeout, null, loginShellCost())
                .orElseGet(() -> overExec(command, timeout, null, null));
    }

    /** Streams both ways without files; a command without input runs in the warm shell when it is free. */
    @Override
    public CommandResult run(RemoteCommand command, Duration timeout, InputStream input, OutputStream output) {
        Objects.requireNonNull(output, "output");
        Optional<CommandResult> warmRun =
                input == null ? warm.tryRun(command, timeout, output, loginShellCost()) : Optional.empty();
        return warmRun.orElseGet(() -> overExec(command, timeout, input, output));
    }

    private CommandResult overExec(RemoteCommand command, Duration timeout, InputStream input, OutputStream output) {
        CommandResult result = exec.run(command, timeout, input, output);
        fastestExec.accumulateAndGet(result.took().toNanos(), Math::min);
        return result;
    }

    /** How long a warm shell's start under way is worth waiting for: no longer than an exec channel took. */
    private Duration loginShellCost() {
        long fastest = fastestExec.get();
        return fastest == Long.MAX_VALUE ? Duration.ZERO : Duration.ofNanos(fastest);
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
        String prepared = link() + ", " + warm.prepare(timeout);
        return STREAM_WARMED.compareAndSet(false, true) ? prepared + ", " + warmUpStream(timeout) : prepared;
    }

    /**
     * Streams about 3 MB of text through the warm shell once per JVM, so that what carries the
     * binlog tool's text in a failover (sshj's decryption, {@link MarkedStream}) is compiled before
     * it is needed: a fresh JVM's first failover spent 180–460 ms in that step where a compiled
     * one spends 80–200 (docs/measurements.md). Only in the warm shell, never over an exec channel
     * (which would cost a login shell); whatever happens, the shell stays as it was.
     */
    private String warmUpStream(Duration timeout) {
        long started = System.nanoTime();
        try {
            Optional<CommandResult> r =
                    warm.tryRun(STREAM_WARM_UP, timeout, OutputStream.nullOutputStream(), Duration.ZERO);
            return r.map(done -> "streamed a warm-up text in " + (System.nanoTime() - started) / 1_000_000 + " ms")
                    .orElse("no warm-up stream (no warm shell)");
        } catch (RuntimeException e) {
            return "no warm-up stream (" + e.getMessage() + ")";
        }
    }

    /**
     * Connects if need be (within the target's connect timeout, {@code ssh_connection_timeout}) and
     * reuses the warm shell if one is open. If there is none (the master died before the monitor's
     * start ended), starts one in the background, bounded by {@code timeout}, and waits for nothing:
     * the failover's first command runs over an exec channel meanwhile, paying the login shell once,
     * and the next ones find the warm shell open (see {@link WarmSlot}).
     */
    @Override
    public String connect(Duration timeout) {
        return link() + ", " + warm.startBeside(timeout);
    }

    private String link() {
        SshConnection before = connection.current();
        boolean wasConnected = before != null && before.isAlive();
        SshConnection c = connection.get();
        return wasConnected && c == before
                ? "reused connection #" + c.number()
                : "connected (connection #" + c.number() + ") in " + c.took().toMillis() + " ms";
    }

    private WarmShell startWarmShell(Duration timeout) {
        try {
            return connection.with(
                    "starting a warm shell", c -> WarmShell.start(c.shellChannel(), target.name(), timeout));
        } catch (IOException e) {
            throw SshFailures.during(target, "starting a warm shell", e);
        }
    }

    /**
     * Streams {@code path} from {@code offset} over SFTP with a bounded read-ahead; closing the
     * stream closes the remote file.
     */
    @Override
    public InputStream read(String path, long offset) {
        return files.read(path, offset);
    }

    /** Streams {@code content} into {@code path} over SFTP, replacing the file; creates no directories. */
    @Override
    public void write(String path, InputStream content) {
        files.write(path, content);
    }

    /** SFTP {@code stat} (following symbolic links); empty if nothing is at {@code path}. */
    @Override
    public Optional<RemoteFile> stat(String path) {
        return files.stat(path);
    }

    /** Closes the warm shell and the connection; the shell cannot be used afterwards. Idempotent. */
    @Override
    public void close() {
        warm.close();
        connection.close();
    }

    @Override
    public String toString() {
        return "SshRemoteShell(" + target.name() + ")";
    }
}
