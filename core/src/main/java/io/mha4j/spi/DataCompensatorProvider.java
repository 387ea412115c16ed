package io.mha4j.spi;

import io.mha4j.DataCompensator;
import io.mha4j.config.ApplicationConfig;

/**
 * Makes the {@link DataCompensator} that recovers what only the dead master had. Selected by the {@code data_compensator} parameter; found with
 * {@link java.util.ServiceLoader}. A stateless DataCompensator may be its own provider ({@code create} returns
 * {@code this}).
 */
public interface DataCompensatorProvider extends NamedProvider {

    /** The DataCompensator for {@code config}'s application; called when a failover or switchover is built. */
    DataCompensator create(ApplicationConfig config);
}
