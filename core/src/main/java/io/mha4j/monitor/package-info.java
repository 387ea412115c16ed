/**
 * What the {@link io.mha4j.ClusterMonitor} tells: each ping's {@link io.mha4j.monitor.PingOutcome},
 * and {@link io.mha4j.monitor.Verdict}s about the master, each with the {@link
 * io.mha4j.monitor.Evidence} it was decided from; the {@link io.mha4j.monitor.FailoverTrigger}
 * that says which verdict starts a failover; and the {@link io.mha4j.monitor.MonitorProbes}
 * seam through which the monitor sees the world.
 */
package io.mha4j.monitor;
