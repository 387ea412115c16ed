/**
 * What a plugin implements: one shape for every extension point. A provider has a {@link
 * io.mha4j.spi.NamedProvider#name()} that configuration selects, is found with {@link
 * java.util.ServiceLoader} (checked when the configuration is, so a typo fails at start) and makes
 * its role with one {@code create} call whose argument is what the instance serves: the
 * application ({@link io.mha4j.spi.MasterElectorProvider}, {@link
 * io.mha4j.spi.DataCompensatorProvider}, {@link io.mha4j.spi.TopologyRewirerProvider}, {@link
 * io.mha4j.spi.FailoverHookProvider}, {@link io.mha4j.spi.CoordinationProvider}), one watched
 * master ({@link io.mha4j.spi.ClusterMonitorProvider}) or one host ({@link
 * io.mha4j.spi.RemoteShellProvider}). A role that holds nothing of its own may be its own provider.
 */
package io.mha4j.spi;
