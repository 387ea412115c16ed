package io.mha4j.manager;

import io.mha4j.check.Topology;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.monitor.Verdict;

/**
 * What the manager does with a dead master: {@link io.mha4j.failover.MasterFailover#action()} by
 * default; a host application or a test may substitute its own.
 */
@FunctionalInterface
public interface FailoverAction {

    /** The outcome of a failover attempt. */
    enum Outcome {
        /** The new master is writable and every replica follows it. */
        SUCCEEDED,
        /** The new master is writable; some replica could not be rewired (MHA's exit code 10). */
        PARTIAL,
        /** Nothing usable was achieved. */
        FAILED
    }

    Outcome failover(ApplicationConfig config, Topology topology, Verdict verdict, ManagerOptions options);
}
