package io.mha4j.internal.plugin;

import io.mha4j.Mha4jException;
import io.mha4j.spi.NamedProvider;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The one loader for every SPI: finds providers with {@link ServiceLoader} and picks the one a
 * configuration names. An unknown name lists the names that exist; two providers with one
 * name are an error naming both classes, rather than a silent first-wins.
 */
public final class PluginLoader {
    private PluginLoader() {}

    /**
     * @throws Mha4jException for an unknown or ambiguous name
     */
    public static <T extends NamedProvider> T load(Class<T> type, String name, ClassLoader classLoader) {
        Map<String, T> byName = all(type, classLoader);
        T provider = byName.get(name);
        if (provider == null) {
            throw new Mha4jException("no " + type.getSimpleName() + " named '" + name + "'; available: "
                    + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet()))
                    + " (a provider's module must be on the classpath)");
        }
        return provider;
    }

    public static <T extends NamedProvider> T load(Class<T> type, String name) {
        return load(type, name, Thread.currentThread().getContextClassLoader());
    }

    /** Every provider of {@code type} by name, sorted. */
    public static <T extends NamedProvider> Map<String, T> all(Class<T> type, ClassLoader classLoader) {
        Map<String, T> byName = new TreeMap<>();
        for (T provider : ServiceLoader.load(type, classLoader)) {
            T other = byName.putIfAbsent(provider.name(), provider);
            if (other != null) {
                throw new Mha4jException("two " + type.getSimpleName() + "s are named '" + provider.name() + "': "
                        + other.getClass().getName() + " and " + provider.getClass().getName());
            }
        }
        return byName;
    }
}
