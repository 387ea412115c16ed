package io.mha4j.remote;

import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;

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
