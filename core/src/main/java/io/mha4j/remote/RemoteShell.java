package io.mha4j.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Commands and files on one database host. Implementations: {@link LocalShell} for this
 * machine, and an SSH shell from the {@code ssh-transport} module. A shell may be used from
 * several threads; {@link #close()} releases its connection.
 */
public interface RemoteShell extends AutoCloseable {

    /** How messages name the host, e.g. {@code root@10.0.0.51(10.0.0.51:22)}. */
    String target();

    /**
     * Runs a command and waits for it.
     *
     * @throws RemoteShellException if the host cannot be reached, or the command does not end
     *     within {@code timeout} (it is then killed)
     */
    CommandResult run(RemoteCommand command, Duration timeout);

    /**
     * Runs a command with streams: {@code input} (when not null) is its standard input, ended when
     * exhausted; its standard output goes to {@code output} as it comes, never held in memory (the
     * result's {@code stdout} is then empty; {@code output} is not closed). Standard error is kept
     * as {@link #run(RemoteCommand, Duration)} keeps it. What the failover's compensation uses to
     * move binary-log text without files on either side.
     *
     * <p>This default suits a shell that can only run commands and move files: the streams go
     * through a private temporary directory on the host ({@code mktemp -d}), removed afterwards.
     * The input file — which may carry secrets, such as a client's option file — loses its name as
     * soon as the command's shell has opened it, before the command starts; only a command that
     * could not be started at all leaves it to the directory's removal, and a removal that fails
     * is logged naming the directory. Implementations stream directly.
     *
     * @param input the command's standard input, or null for none ({@code /dev/null})
     * @throws RemoteShellException as {@link #run(RemoteCommand, Duration)}, or when {@code output}
     *     cannot be written
     */
    default CommandResult run(RemoteCommand command, Duration timeout, InputStream input, OutputStream output) {
        CommandResult made = run(RemoteCommand.of("mktemp", "-d"), timeout);
        if (!made.succeeded()) {
            throw new RemoteShellException(
                    target(),
                    RemoteShellException.Kind.IO,
                    "cannot create a temporary directory (mktemp -d): " + made.firstErrorLine(),
                    null);
        }
        String dir = made.stdout().strip();
        try {
            RemoteCommand.Builder redirected;
            if (input == null) {
                redirected =
                        RemoteCommand.builder("sh").args("-c", "o=$1; shift; exec \"$@\" </dev/null >\"$o\"", "sh");
            } else {
                write(dir + "/in", input);
                redirected = RemoteCommand.builder("sh")
                        .args(
                                "-c",
                                "i=$1; shift; exec <\"$i\" && rm -f -- \"$i\" || exit 125; o=$1; shift; exec \"$@\" >\"$o\"",
                                "sh",
                                dir + "/in");
            }
            CommandResult r =
                    run(redirected.arg(dir + "/out").args(command.argv()).build(), timeout);
            try (InputStream out = read(dir + "/out", 0)) {
                out.transferTo(output);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy the output of " + command + " from " + target(), e);
            }
            return new CommandResult(r.exitCode(), "", r.stderr(), r.took());
        } finally {
            removeTemporary(dir, timeout);
        }
    }

    private void removeTemporary(String dir, Duration timeout) {
        String failure;
        try {
            CommandResult r = run(RemoteCommand.of("rm", "-rf", "--", dir).repeatable(), timeout);
            if (r.succeeded()) {
                return;
            }
            failure = r.firstErrorLine();
        } catch (RemoteShellException e) {
            failure = e.getMessage();
        }
        LoggerFactory.getLogger(RemoteShell.class)
                .warn(
                        "{}: cannot remove {} ({}); it may hold a command's"
                                + " input, secrets included: remove it by hand",
                        target(),
                        dir,
                        failure);
    }

    /**
     * Gets the shell ready for fast commands before they are needed: connects if it is not
     * connected and, where the transport can, starts what makes later commands cheap (an SSH
     * shell keeps a shell session open on the host, so that they no longer pay the remote user's
     * login shell). The monitor calls it while the master is healthy, so that a failover finds
     * its host ready; the failover itself calls {@link #connect}. Idempotent, and cheap when the
     * shell is ready already.
     *
     * @return what was found or done, for logs and reports, e.g. {@code reused connection #3 and
     *     its warm shell}
     * @throws RemoteShellException if the host cannot be reached
     */
    default String prepare(Duration timeout) {
        return "nothing to prepare";
    }

    /**
     * What a failover calls instead of {@link #prepare}: connects if it is not connected (within
     * {@code timeout}) and uses whatever {@code prepare} left ready, but waits for nothing slower
     * than a connection. A failover must not pay on its critical path what the monitor pays while
     * the master is healthy (a login shell that takes seconds, or never answers): a transport may
     * begin in the background what {@code prepare} would have done, bounded by {@code timeout},
     * for the commands that follow, provided none waits for it longer than it would have paid
     * without it.
     *
     * @return what was found or done, for logs and reports, e.g. {@code reused connection #3, no warm
     *     shell (its last start failed 20 s ago: …)} or {@code …, no warm shell yet (starting one beside
     *     the failover's commands)}
     * @throws RemoteShellException if the host cannot be reached
     */
    default String connect(Duration timeout) {
        return "connects on first use";
    }

    /**
     * Streams a file from {@code offset} to its end as it is now. Binary logs can be large:
     * the stream is never held in memory. The caller closes it.
     *
     * @throws RemoteShellException with {@link RemoteShellException.Kind#NO_SUCH_FILE} when absent
     */
    InputStream read(String path, long offset);

    /** Writes a file (replacing it), streaming {@code content}; creates no directories. */
    void write(String path, InputStream content);

    /** Describes a file, empty if it does not exist. */
    Optional<RemoteFile> stat(String path);

    @Override
    void close();
}
