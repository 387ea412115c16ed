package io.mha4j.manager;

import io.mha4j.ClusterMonitor;
import io.mha4j.check.Topology;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.monitor.MonitorListener;
import io.mha4j.remote.RemoteShells;
import java.util.List;

/** Builds the manager's monitor of a topology: {@link ClusterMonitor#builder}, or a test's fake. */
@FunctionalInterface
interface Monitors {
    ClusterMonitor build(
            ApplicationConfig monitored, Topology topology, RemoteShells shells, List<MonitorListener> listeners);

    Monitors STANDARD = (monitored, topology, shells, listeners) -> {
        ClusterMonitor.Builder b = ClusterMonitor.builder(monitored, topology.master())
                .replicas(topology.replicas())
                .remoteShells(shells);
        listeners.forEach(b::listener);
        return b.build();
    };
}
