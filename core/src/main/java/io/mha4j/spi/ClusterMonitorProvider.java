package io.mha4j.spi;

import io.mha4j.ClusterMonitor;
import io.mha4j.monitor.MonitorSettings;

/**
 * Makes {@link ClusterMonitor}s. Selected by the {@code cluster_monitor} parameter (default
 * {@code mha}: MHA's pings with second opinions and the fast path); found with
 * {@link java.util.ServiceLoader}.
 */
public interface ClusterMonitorProvider extends NamedProvider {

    ClusterMonitor create(MonitorSettings settings);
}
