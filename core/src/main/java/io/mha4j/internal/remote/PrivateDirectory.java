package io.mha4j.internal.remote;

import io.mha4j.Mha4jException;
import io.mha4j.config.Secret;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShell;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fresh {@code 0700} directory under {@code remote_workdir} on a database host, for files only
 * mha4j may read — client option files holding a password, saved events — removed on close.
 */
public final class PrivateDirectory implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PrivateDirectory.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final RemoteShell shell;
    private final String path;

    private PrivateDirectory(RemoteShell shell, String path) {
        this.shell = shell;
        this.path = path;
    }

    /** @throws Mha4jException naming the directory and {@code remote_workdir} when it cannot be made */
    public static PrivateDirectory create(RemoteShell shell, String workdir) {
        String dir = workdir + "/mha4j-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        CommandResult r =
                shell.run(RemoteCommand.of("mkdir", "-m", "700", "-p", dir).repeatable(), TIMEOUT);
        if (!r.succeeded()) {
            throw new Mha4jException(
                    "cannot create " + dir + " on " + shell.target() + " (remote_workdir): " + r.firstErrorLine());
        }
        return new PrivateDirectory(shell, dir);
    }

    public String path() {
        return path;
    }

    public String resolve(String name) {
        return path + "/" + name;
    }

    /**
     * Writes a MySQL client option file ({@code [client]} user, password, and host/port when
     * given) so that client programs get the password without it appearing on a command line.
     *
     * @return its path
     */
    public String clientOptions(String user, Secret password, String host, int port) {
        String file = resolve("client.cnf");
        shell.write(
                file,
                new ByteArrayInputStream(
                        ClientOptions.text(user, password, host, port).getBytes(StandardCharsets.UTF_8)));
        return file;
    }

    @Override
    public void close() {
        try {
            shell.run(RemoteCommand.of("rm", "-rf", "--", path).repeatable(), TIMEOUT);
        } catch (RuntimeException e) {
            log.warn("could not remove {} on {}: {}", path, shell.target(), e.getMessage());
        }
    }
}
