package io.mha4j.internal.monitor;

import io.mha4j.ClusterMonitor;
import io.mha4j.monitor.MonitorSettings;
import io.mha4j.spi.ClusterMonitorProvider;

/** The default monitor ({@code cluster_monitor=mha}). */
public final class MhaMonitorProvider implements ClusterMonitorProvider {
    @Override
    public String name() {
        return "mha";
    }

    @Override
    public ClusterMonitor create(MonitorSettings s) {
        return new MasterHealthCheck(
                new MasterHealthCheck.Settings(
                        s.config(), s.master(), s.replicas(), s.pingInterval(), s.trigger(), s.listeners()),
                s.scheduler().orElse(null),
                s.shells().orElse(null),
                s.probes().orElse(null));
    }
}
