package io.mha4j.spi;

import io.mha4j.FailoverHook;
import io.mha4j.config.ApplicationConfig;

/**
 * Makes a {@link FailoverHook}. Enabled by name in the {@code failover_hooks} parameter (several,
 * in order); found with {@link java.util.ServiceLoader}. A stateless hook may be its own provider
 * ({@code create} returns {@code this}).
 */
public interface FailoverHookProvider extends NamedProvider {

    /** The hook for {@code config}'s application; called when a failover, switchover or check is built. */
    FailoverHook create(ApplicationConfig config);
}
