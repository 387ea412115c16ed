package io.mha4j.monitor;

import io.mha4j.config.ServerConfig;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything the monitor observes, behind one seam: the real probes ping over JDBC, read
 * replicas' status, try SSH and run {@code secondary_check_script}; tests give fakes and run
 * the detection rules in virtual time. Every method must return within a bounded time, and
 * may be called from several threads at once (never for the same replica at once).
 */
public interface MonitorProbes extends AutoCloseable {

    /** Pings the master once; a failed ping is an outcome, not an exception. */
    PingOutcome ping();

    /**
     * Reads a replica's view of its source now.
     *
     * @throws io.mha4j.Mha4jException when the replica cannot be read
     */
    ReplicaSample readReplica(ServerConfig replica);

    /**
     * Whether the master's host answers SSH: true when sshd answered (even refusing our key),
     * false when nothing listens or nothing answers in time; empty when it cannot be told.
     */
    Optional<Boolean> sshReachable();

    /** Runs {@code secondary_check_script}: its exit code, or empty when none is configured. */
    OptionalInt secondaryCheck();

    /** Releases connections. */
    @Override
    default void close() {}
}
