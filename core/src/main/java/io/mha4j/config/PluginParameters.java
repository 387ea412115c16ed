package io.mha4j.config;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/** The parameters the {@link ParameterProvider}s on the classpath declare, by name; loaded once. */
final class PluginParameters {
    static final Map<String, Parameter<?>> ALL = load();

    private PluginParameters() {}

    private static Map<String, Parameter<?>> load() {
        Map<String, Parameter<?>> byName = new LinkedHashMap<>();
        Set<String> providers = new HashSet<>();
        for (ClassLoader loader : loaders()) {
            for (ParameterProvider provider : ServiceLoader.load(ParameterProvider.class, loader)) {
                if (!providers.add(provider.getClass().getName())) {
                    continue; // the same provider, seen through both loaders
                }
                for (Parameter<?> p : provider.parameters()) {
                    if (Parameter.isBuiltIn(p.name())) {
                        throw new IllegalStateException("parameter " + p.name() + " of " + p.module() + " ("
                                + provider.getClass().getName() + ") is one of " + Parameter.CORE + "'s");
                    }
                    Parameter<?> other = byName.putIfAbsent(p.name(), p);
                    if (other != null && other != p) {
                        throw new IllegalStateException("parameter " + p.name() + " is declared by both "
                                + other.module() + " and " + p.module() + " ("
                                + provider.getClass().getName() + ")");
                    }
                }
            }
        }
        return Collections.unmodifiableMap(byName);
    }

    /** The thread's context class loader (an application server's), then the one that loaded mha4j. */
    private static Set<ClassLoader> loaders() {
        Set<ClassLoader> loaders = new LinkedHashSet<>();
        Optional.ofNullable(Thread.currentThread().getContextClassLoader()).ifPresent(loaders::add);
        loaders.add(PluginParameters.class.getClassLoader());
        return loaders;
    }
}
