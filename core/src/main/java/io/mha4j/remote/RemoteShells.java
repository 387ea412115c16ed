package io.mha4j.remote;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.internal.plugin.PluginLoader;
import io.mha4j.spi.RemoteShellProvider;
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

    public RemoteShells(RemoteShellProvider provider) {
        this.provider = provider;
    }

    /** Uses the provider the application's {@code remote_shell} names. */
    public static RemoteShells forApplication(ApplicationConfig config) {
        return new RemoteShells(PluginLoader.load(RemoteShellProvider.class,
                config.get(Parameter.REMOTE_SHELL).orElse("ssh"), RemoteShells.class.getClassLoader()));
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
        return open.computeIfAbsent(target, provider::open);
    }

    @Override
    public void close() {
        open.values().forEach(RemoteShell::close);
        open.clear();
    }
}
