package io.mha4j.spi;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.coordination.Coordination;

/**
 * Makes a manager's {@link Coordination}. Selected by the {@code coordination} parameter (default
 * {@code local}: one manager, always the leader); found with {@link java.util.ServiceLoader}.
 */
public interface CoordinationProvider extends NamedProvider {

    /** The coordination of one manager of {@code config}'s application; not started. */
    Coordination create(ApplicationConfig config);
}
