package io.mha4j.remote;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.internal.plugin.Plugins;
import io.mha4j.spi.RemoteShellProvider;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link RemoteShell} per host for the life of an operation, opened on first use and
 * closed together: SSH connections are reused, never opened per command.
 */
public final class RemoteShells implements AutoCloseable {
    private final RemoteShellProvider provider;
    // Keyed by the whole target: two servers on one host may use different keys or policies.
    private final Map<SshTarget, RemoteShell> open = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public RemoteShells(RemoteShellProvider provider) {
        this.provider = provider;
    }

    /** Uses the provider the application's {@code remote_shell} names. */
    public static RemoteShells forApplication(ApplicationConfig config) {
        return new RemoteShells(Plugins.remoteShell(config));
    }

    public RemoteShellProvider provider() {
        return provider;
    }

    /**
     * The shell to a server's host, opened now if it is not yet.
     *
     * @throws RemoteShellException if it cannot be opened (nothing is cached then)
     */
    public RemoteShell shellFor(ServerConfig server) {
        SshTarget target = SshTarget.of(server);
        RemoteShell shell = open.computeIfAbsent(target, t -> {
            if (closed) {
                throw new RemoteShellException(t.name(), RemoteShellException.Kind.IO, "the shells are closed", null);
            }
            return provider.create(server);
        });
        if (closed) {
            // Closed while it opened: close() may not have seen it.
            closeShell(target);
            throw new RemoteShellException(target.name(), RemoteShellException.Kind.IO, "the shells are closed", null);
        }
        return shell;
    }

    /**
     * Closes the shell to {@code gone}'s host (its connection, and the warm shell the monitor kept
     * there) unless one of {@code staying} uses the same one, as servers sharing a host and login
     * do: after a failover the old master's is of no more use, and its host may be gone for good.
     * A later {@link #shellFor} opens a new one.
     *
     * @return whether a shell was closed
     */
    public boolean release(ServerConfig gone, Collection<ServerConfig> staying) {
        SshTarget target = SshTarget.of(gone);
        if (staying.stream()
                .anyMatch(
                        s -> !s.block().equals(gone.block()) && SshTarget.of(s).equals(target))) {
            return false;
        }
        return closeShell(target);
    }

    private boolean closeShell(SshTarget target) {
        RemoteShell shell = open.remove(target);
        if (shell != null) {
            shell.close();
        }
        return shell != null;
    }

    /** Closes every shell; {@link #shellFor} opens none afterwards. */
    @Override
    public void close() {
        closed = true;
        open.keySet().forEach(this::closeShell);
    }
}
