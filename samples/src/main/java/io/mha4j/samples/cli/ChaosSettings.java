package io.mha4j.samples.cli;

import java.nio.file.Path;

/**
 * How {@code bench chaos} runs its trials.
 *
 * @param nodes servers per sandbox (master and replicas)
 * @param pingInterval the manager's {@code ping_interval}, seconds
 * @param slaveNetTimeout the sandbox servers' {@code slave_net_timeout}, seconds (lowered from MariaDB's 60 to keep
 *     trials short; the replicas' heartbeat period is half of it)
 * @param maxPauseSeconds the longest SIGSTOP of the master (a pause is drawn from 1 s to this)
 * @param maxCutSeconds the longest network cut (drawn from 5 s to this)
 * @param settleSeconds how long each trial keeps watching after its fault ended (and after a failover)
 * @param namespaces whether to build network namespaces (else everything runs on 127.0.0.1)
 * @param out where the raw results and one log per trial go
 */
record ChaosSettings(
        int nodes,
        int pingInterval,
        int slaveNetTimeout,
        int maxPauseSeconds,
        int maxCutSeconds,
        int settleSeconds,
        boolean namespaces,
        Path out) {

    ChaosSettings {
        if (nodes < 3) {
            throw new IllegalArgumentException("--nodes must be at least 3 (a master and two replicas), not " + nodes);
        }
        if (maxPauseSeconds < 1 || maxCutSeconds < 5 || settleSeconds < 1 || pingInterval < 1 || slaveNetTimeout < 2) {
            throw new IllegalArgumentException("--max_pause >= 1, --max_cut >= 5, --settle >= 1, --ping_interval >= 1"
                    + " and --slave_net_timeout >= 2 are required");
        }
    }

    /** The longest a trial may run before it is declared stuck and killed. */
    long trialBudgetSeconds() {
        return 150L + Math.max(maxPauseSeconds, maxCutSeconds) + 2L * settleSeconds;
    }
}
