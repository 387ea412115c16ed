package io.mha4j.spi;

import io.mha4j.config.ServerConfig;
import io.mha4j.remote.RemoteShell;

/**
 * Opens {@link RemoteShell}s to database hosts. Selected by the {@code remote_shell}
 * parameter: {@code ssh} (module ssh-transport) or {@code local} (this machine, for
 * single-host setups and tests).
 */
public interface RemoteShellProvider extends NamedProvider {

    /**
     * Opens a shell to {@code host}'s host. An SSH implementation reaches it as
     * {@link io.mha4j.remote.SshTarget#of} resolves the server's SSH settings; one that needs no
     * SSH (the local shell) ignores them. Implementations may connect lazily.
     *
     * @param host the configured server whose host the shell runs commands on
     *
     * @throws io.mha4j.remote.RemoteShellException if the host cannot be reached or refuses us
     */
    RemoteShell create(ServerConfig host);
}
