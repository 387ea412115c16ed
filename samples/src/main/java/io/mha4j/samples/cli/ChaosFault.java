package io.mha4j.samples.cli;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The faults of {@code bench chaos}, by the name used on the command line and in the raw
 * results. Each says whether it needs network namespaces and whether the master stays reachable
 * by its replicas throughout (then any failover is an invariant violation).
 */
enum ChaosFault {
    /** kill -9 of the master's mysqld. */
    KILL("kill", false, false),
    /** SIGTERM: the master shuts down cleanly. */
    SHUTDOWN("shutdown", false, false),
    /** SIGSTOP of the master for 1 s to --max_pause, then SIGCONT. */
    SIGSTOP("sigstop", false, false),
    /** A transaction written directly on a replica (its own GTID domain or the master's), then kill -9 of the master. */
    ERRANT("errant", false, false),
    /** kill -9 or shutdown of the master, and after the failover the old master starts again, writable (as my.cnf has it). */
    RESTART("restart", false, false),
    /** A replica SIGSTOPped, the master killed, the replica resumed 5 to 30 s after the kill. */
    FROZEN_REPLICA("frozen-replica", false, false),
    /** The manager's address cut off from the master only (the replicas and the application still reach it). */
    MANAGER_CUT("manager-cut", true, true),
    /** The master cut off from everyone: replicas, manager, application. */
    MASTER_ISOLATED("master-isolated", true, false);

    final String label;
    final boolean needsNamespaces;
    final boolean masterStaysReachable;

    ChaosFault(String label, boolean needsNamespaces, boolean masterStaysReachable) {
        this.label = label;
        this.needsNamespaces = needsNamespaces;
        this.masterStaysReachable = masterStaysReachable;
    }

    static ChaosFault parse(String label) {
        return Arrays.stream(values())
                .filter(f -> f.label.equals(label.trim()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown fault '" + label + "'; faults: " + labels()));
    }

    static String labels() {
        return Arrays.stream(values()).map(f -> f.label).collect(Collectors.joining(","));
    }

    static List<ChaosFault> all() {
        return List.of(values());
    }
}
