package io.mha4j.manager;

import io.mha4j.FailoverHook;
import io.mha4j.check.Topology;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.MasterFailover;
import io.mha4j.monitor.Verdict;
import io.mha4j.remote.RemoteShells;
import java.util.function.UnaryOperator;

/**
 * What the manager does with a dead master: {@link #standard()} by default; a host application or a test may substitute its own. The report tells the manager
 * what to do next: nothing changed ({@code REFUSED}: monitor again), a new master
 * ({@code SUCCEEDED}/{@code PARTIAL}: guard the old master and the replicas it names as not
 * recovered, monitor the new master), or a failure ({@code FAILED}: stop, flag the error).
 */
@FunctionalInterface
public interface FailoverAction {

    FailoverReport failover(ApplicationConfig config, Topology topology, Verdict verdict, ManagerOptions options);

    /** {@link io.mha4j.failover.MasterFailover} as the manager runs it: the default. */
    static FailoverAction standard() {
        return standard(b -> b);
    }

    /**
     * {@link #standard()}, each failover's builder first passed through {@code customize} (to add
     * hooks, say).
     */
    static FailoverAction standard(UnaryOperator<MasterFailover.Builder> customize) {
        return new StandardFailover(customize);
    }

    /**
     * As the manager calls it: with the manager's shells, which the monitor kept connected to the
     * master's host (a warm shell there), so that the failover pays no new SSH connection and no
     * login shell; the action does not close them. By default the shells are not used.
     */
    default FailoverReport failover(
            ApplicationConfig config, Topology topology, Verdict verdict, ManagerOptions options, RemoteShells shells) {
        return failover(config, topology, verdict, options);
    }

    /**
     * As the manager calls it when several managers share the application ({@code coordination}):
     * {@code lead} is a hook that vetoes the next phase once this manager no longer leads, so that a
     * manager cut off from its coordination stops before its next change. An action that does not
     * run hooks ignores it (the default).
     */
    default FailoverReport failover(
            ApplicationConfig config,
            Topology topology,
            Verdict verdict,
            ManagerOptions options,
            RemoteShells shells,
            FailoverHook lead) {
        return failover(config, topology, verdict, options, shells);
    }
}
