package io.mha4j.internal.guard;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the guard watches.
 *
 * @param pingInterval between probes of a server that is away ({@code ping_interval}), and between
 *     reads of one that answers
 * @param refusedInterval between probes while the connection is refused (or cut off at once):
 *     the process is down but its host is up, a restart is near, and a refused connect costs nothing
 * @param rejoinTimeout how long a rejoined server may take to replicate ({@code apply_timeout})
 * @param rejoinOldMaster {@code rejoin_old_master}
 * @param workdir where errant transactions are saved ({@code manager_workdir})
 */
public record WatchSettings(
        Duration pingInterval,
        Duration refusedInterval,
        Duration rejoinTimeout,
        boolean rejoinOldMaster,
        Path workdir) {

    /** While refused, probe this often. */
    public static final Duration REFUSED_INTERVAL = Duration.ofMillis(20);
}
