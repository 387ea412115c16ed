package io.mha4j.failover;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.remote.RemoteShell;
import io.mha4j.remote.RemoteShells;
import io.mha4j.server.BinlogPosition;
import io.mha4j.server.ServerConnection;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a {@link io.mha4j.DataCompensator} works with.
 *
 * @param config the application's configuration ({@code master_binlog_dir}, {@code [binlogN]}, …)
 * @param deadMaster the dead master
 * @param deadMasterShell a shell on the dead master's host; empty when it does not answer over SSH
 * @param latestReceived where in the dead master's binary logs the latest replica stopped
 *     receiving: the file to start reading from; empty when no replica ever received anything
 * @param latestExecuted how far, in that file, the replica the new master caught up with had
 *     executed, with what it then held: where reading may start when the new master holds all of
 *     it; empty when unknown (its relay log not applied, a delayed replica)
 * @param newMaster the new master, already holding everything the latest replica had
 * @param shells shells to every database host
 * @param workdir the manager's working directory, where saved events are kept
 */
public record CompensationRequest(
        ApplicationConfig config,
        ServerConfig deadMaster,
        Optional<RemoteShell> deadMasterShell,
        Optional<BinlogPosition> latestReceived,
        Optional<ExecutedUpTo> latestExecuted,
        ServerConnection newMaster,
        RemoteShells shells,
        Path workdir) {

    /** A request that knows no executed position: the binary logs are read from the start of the first. */
    public CompensationRequest(
            ApplicationConfig config,
            ServerConfig deadMaster,
            Optional<RemoteShell> deadMasterShell,
            Optional<BinlogPosition> latestReceived,
            ServerConnection newMaster,
            RemoteShells shells,
            Path workdir) {
        this(config, deadMaster, deadMasterShell, latestReceived, Optional.empty(), newMaster, shells, workdir);
    }
}
