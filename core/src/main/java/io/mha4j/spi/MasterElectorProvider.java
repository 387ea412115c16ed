package io.mha4j.spi;

import io.mha4j.MasterElector;
import io.mha4j.config.ApplicationConfig;

/**
 * Makes the {@link MasterElector} that chooses the new master. Selected by the {@code master_elector} parameter; found with
 * {@link java.util.ServiceLoader}. A stateless MasterElector may be its own provider ({@code create} returns
 * {@code this}).
 */
public interface MasterElectorProvider extends NamedProvider {

    /** The MasterElector for {@code config}'s application; called when a failover or switchover is built. */
    MasterElector create(ApplicationConfig config);
}
