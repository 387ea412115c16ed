package io.mha4j.internal.plugin;

import io.mha4j.DataCompensator;
import io.mha4j.FailoverHook;
import io.mha4j.MasterElector;
import io.mha4j.Mha4jException;
import io.mha4j.TopologyRewirer;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ConfigException;
import io.mha4j.config.Origin;
import io.mha4j.config.Parameter;
import io.mha4j.spi.ClusterMonitorProvider;
import io.mha4j.spi.CoordinationProvider;
import io.mha4j.spi.DataCompensatorProvider;
import io.mha4j.spi.FailoverHookProvider;
import io.mha4j.spi.MasterElectorProvider;
import io.mha4j.spi.NamedProvider;
import io.mha4j.spi.RemoteShellProvider;
import io.mha4j.spi.TopologyRewirerProvider;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The plugins an application's configuration names ({@code remote_shell}, {@code cluster_monitor},
 * {@code master_elector}, {@code data_compensator}, {@code topology_rewirer}, {@code
 * failover_hooks}), each resolved in one place. {@link #check} resolves them all when the
 * configuration is checked — read by a command ({@code io.mha4j.check.PluginCheck}), {@code
 * check_repl}, the manager's start, a monitor's or a failover's build — so that a typo fails
 * then, naming the file, line and the names that exist, and not when the master has died.
 *
 * <p>Providers are looked for with the thread's context class loader (an application server's)
 * and with the one that loaded mha4j, so that a plugin is found from any thread.
 */
public final class Plugins {
    /** Names mha4j's own modules provide outside core: the artifact to add when one is absent. */
    private static final Map<String, String> ARTIFACTS = Map.of(
            Parameter.REMOTE_SHELL.name() + "=ssh", "io.mha4j:mha4j-ssh-transport",
            Parameter.FAILOVER_HOOKS.name() + "=vip", "io.mha4j:mha4j-vip-ifconfig",
            Parameter.FAILOVER_HOOKS.name() + "=email", "io.mha4j:mha4j-notify-email",
            Parameter.COORDINATION.name() + "=zookeeper", "io.mha4j:mha4j-coordination-zookeeper");

    private Plugins() {}

    /**
     * Resolves every plugin the configuration names.
     *
     * @throws ConfigException naming where the first unknown name was set, and the names that exist
     */
    public static void check(ApplicationConfig config) {
        remoteShell(config);
        checkAllButRemoteShell(config);
    }

    /** {@link #check} for a caller that was handed its remote shells: {@code remote_shell} is not its concern. */
    public static void checkAllButRemoteShell(ApplicationConfig config) {
        clusterMonitor(config);
        coordination(config);
        one(config, Parameter.MASTER_ELECTOR, MasterElectorProvider.class);
        one(config, Parameter.DATA_COMPENSATOR, DataCompensatorProvider.class);
        one(config, Parameter.TOPOLOGY_REWIRER, TopologyRewirerProvider.class);
        failoverHookProviders(config);
    }

    public static RemoteShellProvider remoteShell(ApplicationConfig config) {
        return one(config, Parameter.REMOTE_SHELL, RemoteShellProvider.class);
    }

    public static CoordinationProvider coordination(ApplicationConfig config) {
        return one(config, Parameter.COORDINATION, CoordinationProvider.class);
    }

    public static ClusterMonitorProvider clusterMonitor(ApplicationConfig config) {
        return one(config, Parameter.CLUSTER_MONITOR, ClusterMonitorProvider.class);
    }

    public static MasterElector masterElector(ApplicationConfig config) {
        return one(config, Parameter.MASTER_ELECTOR, MasterElectorProvider.class)
                .create(config);
    }

    public static DataCompensator dataCompensator(ApplicationConfig config) {
        return one(config, Parameter.DATA_COMPENSATOR, DataCompensatorProvider.class)
                .create(config);
    }

    public static TopologyRewirer topologyRewirer(ApplicationConfig config) {
        return one(config, Parameter.TOPOLOGY_REWIRER, TopologyRewirerProvider.class)
                .create(config);
    }

    /** The hooks {@code failover_hooks} names, in its order, each made for {@code config}. */
    public static List<FailoverHook> failoverHooks(ApplicationConfig config) {
        return failoverHookProviders(config).stream()
                .map(provider -> provider.create(config))
                .toList();
    }

    private static List<FailoverHookProvider> failoverHookProviders(ApplicationConfig config) {
        return config.value(Parameter.FAILOVER_HOOKS).stream()
                .map(name -> load(config, Parameter.FAILOVER_HOOKS, FailoverHookProvider.class, name))
                .toList();
    }

    private static <T extends NamedProvider> T one(
            ApplicationConfig config, Parameter<String> parameter, Class<T> type) {
        return load(config, parameter, type, config.get(parameter).orElseThrow());
    }

    private static <T extends NamedProvider> T load(
            ApplicationConfig config, Parameter<?> parameter, Class<T> type, String name) {
        Origin origin = config.origin(parameter);
        Map<String, T> byName = new TreeMap<>();
        try {
            for (ClassLoader loader : classLoaders()) {
                PluginLoader.all(type, loader).forEach(byName::putIfAbsent);
            }
        } catch (Mha4jException e) {
            throw ConfigException.at(origin, origin.section(), parameter.name(), e.getMessage());
        }
        T provider = byName.get(name);
        if (provider != null) {
            return provider;
        }
        String artifact = ARTIFACTS.get(parameter.name() + "=" + name);
        throw ConfigException.at(
                origin,
                origin.section(),
                parameter.name(),
                // the role a user configures (an elector), not the class that makes it
                "no " + type.getSimpleName().replaceFirst("Provider$", "")
                        + " named '" + name + "'" + (origin.kind() == Origin.Kind.BUILT_IN ? " (the default)" : "")
                        + (artifact != null ? ": it comes with " + artifact + ", which is not on the classpath" : "")
                        + "; available: " + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet())));
    }

    /** The thread's context class loader (an application server's, say), then the one that loaded mha4j. */
    private static Set<ClassLoader> classLoaders() {
        Set<ClassLoader> loaders = new LinkedHashSet<>();
        Optional.ofNullable(Thread.currentThread().getContextClassLoader()).ifPresent(loaders::add);
        loaders.add(Plugins.class.getClassLoader());
        return loaders;
    }
}
