package io.mha4j.spi;

import io.mha4j.TopologyRewirer;
import io.mha4j.config.ApplicationConfig;

/**
 * Makes the {@link TopologyRewirer} that repoints replicas. Selected by the {@code topology_rewirer} parameter; found with
 * {@link java.util.ServiceLoader}. A stateless TopologyRewirer may be its own provider ({@code create} returns
 * {@code this}).
 */
public interface TopologyRewirerProvider extends NamedProvider {

    /** The TopologyRewirer for {@code config}'s application; called when a failover or switchover is built. */
    TopologyRewirer create(ApplicationConfig config);
}
