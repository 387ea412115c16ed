package io.mha4j.monitor;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.remote.RemoteShells;
import io.mha4j.time.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link io.mha4j.spi.ClusterMonitorProvider} builds a monitor from: everything
 * {@link io.mha4j.ClusterMonitor.Builder} was told.
 *
 * @param config the application
 * @param master the master to watch
 * @param replicas the servers whose view of the master counts
 * @param pingInterval time between pings
 * @param trigger which verdict starts a failover
 * @param listeners observers of pings and verdicts
 * @param scheduler where pings run and time comes from; empty: the monitor makes its own
 * @param shells shells to the database hosts; empty: from the configuration
 * @param probes how the master and replicas are read; empty: SQL and SSH
 */
public record MonitorSettings(
        ApplicationConfig config,
        ServerConfig master,
        List<ServerConfig> replicas,
        Duration pingInterval,
        FailoverTrigger trigger,
        List<MonitorListener> listeners,
        Optional<Scheduler> scheduler,
        Optional<RemoteShells> shells,
        Optional<MonitorProbes> probes) {

    public MonitorSettings {
        replicas = List.copyOf(replicas);
        listeners = List.copyOf(listeners);
    }
}
