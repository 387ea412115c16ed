package io.mha4j.check;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.internal.plugin.Plugins;

/**
 * Whether every plugin a configuration names ({@code remote_shell}, {@code cluster_monitor},
 * {@code master_elector}, {@code data_compensator}, {@code topology_rewirer}, {@code
 * failover_hooks}) is on the classpath. A monitor's build, {@link ReplicationCheck}, the
 * manager's start and a failover's build check it themselves; a host that reads a configuration
 * for later use calls this, so that a typo fails now and not when the master has died.
 */
public final class PluginCheck {
    private PluginCheck() {}

    /**
     * @throws io.mha4j.config.ConfigException naming the file, line and parameter of the first name
     *     that resolves to nothing, the names that exist, and the artifact of a known one that is absent
     */
    public static void check(ApplicationConfig config) {
        Plugins.check(config);
    }
}
