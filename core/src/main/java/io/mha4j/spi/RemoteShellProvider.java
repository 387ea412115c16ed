package io.mha4j.spi;

import io.mha4j.remote.RemoteShell;
import io.mha4j.remote.SshTarget;

/**
 * Opens {@link RemoteShell}s to database hosts. Selected by the {@code remote_shell}
 * parameter: {@code ssh} (module ssh-transport) or {@code local} (this machine, for
 * single-host setups and tests).
 */
public interface RemoteShellProvider extends NamedProvider {

    /**
     * Opens a shell to the target. Implementations may connect lazily.
     *
     * @throws io.mha4j.remote.RemoteShellException if the host cannot be reached or refuses us
     */
    RemoteShell open(SshTarget target);
}
