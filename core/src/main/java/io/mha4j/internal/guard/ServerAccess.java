package io.mha4j.internal.guard;

import io.mha4j.config.ServerConfig;
import io.mha4j.gtid.GtidSet;
import io.mha4j.guard.GuardedRole;
import io.mha4j.server.ServerState;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the guard does to servers, behind one seam: over JDBC and the remote shell in
 * production ({@link SqlServerAccess}), scripted in unit tests. Methods throw
 * {@link io.mha4j.server.SqlFailure} (or another runtime exception) when a server does not
 * answer or refuses.
 */
public interface ServerAccess {

    /**
     * Connects to a guarded server (one SQL handshake).
     *
     * @throws io.mha4j.server.SqlFailure of kind {@code CONNECTION_REFUSED} when nothing listens
     */
    Link open(ServerConfig server);

    /** Reads the current master once. */
    ServerState readMaster(ServerConfig master);

    /** An open session to one guarded server; used by one thread at a time. */
    interface Link extends AutoCloseable {

        ServerState read();

        /**
         * Waits on the connection for up to {@code max}, returning early (throwing) when it breaks:
         * a restart of the server is noticed at once, not at the next read.
         */
        void hold(Duration max);

        /** {@link Fence#run}: read_only, offline_mode, application sessions killed. */
        Fence.Result fence();

        /**
         * Starts replication from {@code master} by GTID: an old master from everything it executed
         * (its own writes are in its binary log only), a replica through the topology rewirer.
         */
        void rejoin(GuardedRole role, ServerConfig master, ServerState state);

        /** The statement a human runs to rejoin it, password {@code xxx}. */
        String rejoinStatement(ServerConfig master, ServerState state);

        /**
         * Saves, with the flavor's binlog tool on its host, its transactions not in {@code have}
         * into {@code file} on this machine.
         */
        void saveTransactions(GtidSet have, Path file);

        @Override
        void close();
    }
}
