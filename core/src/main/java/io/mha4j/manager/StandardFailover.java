package io.mha4j.manager;

import io.mha4j.FailoverHook;
import io.mha4j.check.Topology;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.MasterFailover;
import io.mha4j.monitor.ReplicaView;
import io.mha4j.monitor.Verdict;
import io.mha4j.remote.RemoteShells;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@link FailoverAction#standard}: {@link MasterFailover} as the manager runs it. The manager has
 * applied the anti-flap rule and writes the outcome files itself; {@code --remove_dead_master_conf}
 * and the working directory come from its options; the replicas the monitor could not read are
 * left out from the start; with the manager's shells the failover pays no new SSH connection.
 */
final class StandardFailover implements FailoverAction {
    private final UnaryOperator<MasterFailover.Builder> customize;

    StandardFailover(UnaryOperator<MasterFailover.Builder> customize) {
        this.customize = customize;
    }

    @Override
    public FailoverReport failover(
            ApplicationConfig config, Topology topology, Verdict verdict, ManagerOptions options) {
        return run(MasterFailover.builder(config), config, topology, verdict, options);
    }

    @Override
    public FailoverReport failover(
            ApplicationConfig config, Topology topology, Verdict verdict, ManagerOptions options, RemoteShells shells) {
        return run(MasterFailover.builder(config).shells(shells), config, topology, verdict, options);
    }

    @Override
    public FailoverReport failover(
            ApplicationConfig config,
            Topology topology,
            Verdict verdict,
            ManagerOptions options,
            RemoteShells shells,
            FailoverHook lead) {
        return run(MasterFailover.builder(config).shells(shells).hookFirst(lead), config, topology, verdict, options);
    }

    private FailoverReport run(
            MasterFailover.Builder b,
            ApplicationConfig config,
            Topology topology,
            Verdict verdict,
            ManagerOptions options) {
        return customize
                .apply(b)
                .unresponsive(unresponsiveReplicas(config, verdict))
                .recordOutcome(false)
                .workdir(options.workdir().orElse(config.managerWorkdir()))
                .removeDeadMasterConf(options.removeDeadMasterConf())
                .build()
                .run(topology.master());
    }

    /** The replicas the monitor could not read when it judged the master dead, by block, with why. */
    private static Map<String, String> unresponsiveReplicas(ApplicationConfig config, Verdict verdict) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ReplicaView v : verdict.evidence().replicas()) {
            if (!v.readable()) {
                config.servers().stream()
                        .filter(s -> s.displayName().equals(v.server()))
                        .findFirst()
                        .ifPresent(s -> out.put(s.block(), v.detail()));
            }
        }
        return out;
    }
}
