package io.mha4j.internal.plugin;

import io.mha4j.Mha4jException;
import io.mha4j.spi.NamedProvider;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The one loader for every SPI: finds providers with {@link ServiceLoader}, by name. Two
 * providers with one name are an error naming both classes, rather than a silent first-wins.
 * {@link Plugins} picks the one a configuration names.
 */
public final class PluginLoader {
    private PluginLoader() {}

    /**
     * Every provider of {@code type} by name, sorted.
     *
     * @throws Mha4jException when two providers have one name
     */
    public static <T extends NamedProvider> Map<String, T> all(Class<T> type, ClassLoader classLoader) {
        Map<String, T> byName = new TreeMap<>();
        for (T provider : ServiceLoader.load(type, classLoader)) {
            T other = byName.putIfAbsent(provider.name(), provider);
            if (other != null) {
                throw new Mha4jException("two " + type.getSimpleName() + "s are named '" + provider.name() + "': "
                        + other.getClass().getName() + " and "
                        + provider.getClass().getName());
            }
        }
        return byName;
    }
}
