package io.mha4j.ssh;

import io.mha4j.remote.CommandResult;
import io.mha4j.remote.CommandStreams;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShellException;
import io.mha4j.remote.RemoteShellException.Kind;
import io.mha4j.remote.SshTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands over exec channels of their own on the shell's connection: at most {@code limit} at
 * once, each announcing its pid (see {@link AnnouncedPid}) so that on timeout it and everything it
 * started are killed from one more session, reserved for that.
 */
final class ExecChannels {
    private static final Logger log = LoggerFactory.getLogger(ExecChannels.class);
    /** OpenSSH's ssh reports 255 when the remote command died of a signal; so do we. */
    private static final int EXIT_KILLED_BY_SIGNAL = 255;

    private final SshTarget target;
    private final LiveConnection connection;
    private final int limit;
    private final Semaphore sessions;
    /** One kill at a time: the one session kept free for it is enough (see SshRemoteShell.MAX_CONCURRENT_COMMANDS). */
    private final Semaphore killing = new Semaphore(1, true);

    private final AtomicLong commandNumbers = new AtomicLong();

    ExecChannels(SshTarget target, LiveConnection connection, int limit) {
        this.target = target;
        this.connection = connection;
        this.limit = limit;
        this.sessions = new Semaphore(limit, true);
    }

    /** Runs a command over an exec channel of its own; {@code output} null keeps its output in the result. */
    CommandResult run(RemoteCommand command, Duration timeout, InputStream input, OutputStream output) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        acquire(
                sessions,
                command,
                timeout,
                " did not start within " + timeout.toMillis() + " ms: " + limit + " commands were running");
        try {
            Session session = openSession(command, deadline);
            try (session) {
                log.debug("{}: running {}", target.name(), command);
                Session.Command running = session.exec(AnnouncedPid.commandLine(command));
                AnnouncedPid pid = new AnnouncedPid();
                CommandStreams streams = CommandStreams.start(
                        "mha4j-ssh-" + target.name() + "-" + commandNumbers.incrementAndGet(),
                        input,
                        running.getOutputStream(),
                        running.getInputStream(),
                        output,
                        pid.strip(running.getErrorStream()));
                if (!awaitEnd(running, deadline)) {
                    kill(running, pid.pid(), command);
                    throw new RemoteShellException(
                            target.name(),
                            Kind.TIMEOUT,
                            command + " did not finish within " + timeout.toMillis() + " ms; killed it",
                            null);
                }
                Integer status = running.getExitStatus();
                if (status == null) {
                    log.info("{}: {} ended by signal {}", target.name(), command, running.getExitSignal());
                }
                CommandStreams.Taken taken = streams.take(target.name(), command);
                return new CommandResult(
                        status == null ? EXIT_KILLED_BY_SIGNAL : status,
                        taken.stdout(),
                        taken.stderr(),
                        Duration.ofNanos(System.nanoTime() - start));
            }
        } catch (IOException e) {
            throw SshFailures.during(target, "running " + command, e);
        } finally {
            sessions.release();
        }
    }

    /** Kills the process group of a command that timed out in the warm shell (the warm shell's own group). */
    void killGroup(RemoteCommand command, long pid) {
        try {
            run(AnnouncedPid.killGroup(pid), target.connectTimeout(), null, null);
            log.warn("{}: {} timed out in the warm shell; killed its process group {}", target.name(), command, pid);
        } catch (RemoteShellException e) {
            log.warn("{}: cannot kill process group {} of {}: {}", target.name(), pid, command, e.getMessage());
        }
    }

    /**
     * Opens an exec session. sshd frees a session slot only when it has processed the close of
     * an earlier one, so a burst of short commands can briefly find all of its MaxSessions
     * taken although fewer than {@code limit} run; such a refusal is retried with a short,
     * growing pause until the command's deadline.
     */
    private Session openSession(RemoteCommand command, long deadline) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return connection.with("opening a session for " + command, SshConnection::startSession);
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

    private void acquire(Semaphore permits, RemoteCommand command, Duration timeout, String busy) {
        try {
            if (!permits.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new RemoteShellException(target.name(), Kind.TIMEOUT, command + busy, null);
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
     * its pid, else the signal request (which sshd honours for non-root logins only: a root login's
     * command would survive, hence the session kept free for this).
     */
    private void kill(Session.Command running, long pid, RemoteCommand command) {
        if (pid > 0) {
            Duration bound = target.connectTimeout();
            try {
                acquire(killing, command, bound, ": no session to kill it within " + bound.toMillis() + " ms");
                // The kill session's slot may be one sshd has not yet seen closed (a kill just before):
                // retried like any session, within the bound.
                try (Session killer = openSession(AnnouncedPid.killGroup(pid), System.nanoTime() + bound.toNanos())) {
                    Session.Command kill =
                            killer.exec(AnnouncedPid.killGroup(pid).shellLine());
                    kill.join(bound.toMillis(), TimeUnit.MILLISECONDS);
                    log.warn("{}: {} timed out; killed its process group {}", target.name(), command, pid);
                    return;
                } finally {
                    killing.release();
                }
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
}
