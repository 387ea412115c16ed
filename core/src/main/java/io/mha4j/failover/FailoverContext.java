package io.mha4j.failover;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.remote.RemoteShells;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link io.mha4j.FailoverHook} sees of a running failover.
 *
 * @param config the application's configuration
 * @param deadMaster the master being replaced
 * @param newMaster the elected master, once elected
 * @param shells the remote shells to the database hosts
 * @param workdir the manager's working directory
 */
public record FailoverContext(
        ApplicationConfig config,
        ServerConfig deadMaster,
        Optional<ServerConfig> newMaster,
        RemoteShells shells,
        Path workdir) {

    public FailoverContext {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(deadMaster, "deadMaster");
        Objects.requireNonNull(newMaster, "newMaster");
    }

    public FailoverContext withNewMaster(ServerConfig elected) {
        return new FailoverContext(config, deadMaster, Optional.of(elected), shells, workdir);
    }

    /** The elected master; only from {@link FailoverPhase#RECOVER_NEW_MASTER}'s activation on. */
    public ServerConfig requireNewMaster() {
        return newMaster.orElseThrow(() -> new IllegalStateException("no new master elected yet"));
    }
}
