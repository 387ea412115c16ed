package io.mha4j.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable set of explicitly given values, each with its origin. Lookups fall back to
 * the parameter's built-in default.
 */
public final class Settings {
    private static final Settings EMPTY = new Settings(Map.of());

    private final Map<Parameter<?>, Setting<?>> byParameter;

    private Settings(Map<Parameter<?>, Setting<?>> byParameter) {
        this.byParameter = byParameter;
    }

    public static Settings empty() {
        return EMPTY;
    }

    static Settings copyOf(Map<Parameter<?>, Setting<?>> settings) {
        return new Settings(Collections.unmodifiableMap(new LinkedHashMap<>(settings)));
    }

    /** The explicit value, or the built-in default, or empty when there is neither. */
    public <T> Optional<T> get(Parameter<T> parameter) {
        return setting(parameter).map(Setting::value).or(parameter::defaultValue);
    }

    /** The explicit setting, if the parameter was given. */
    @SuppressWarnings("unchecked")
    public <T> Optional<Setting<T>> setting(Parameter<T> parameter) {
        return Optional.ofNullable((Setting<T>) byParameter.get(parameter));
    }

    /** Where the effective value comes from; {@link Origin#BUILT_IN} when not given. */
    public Origin origin(Parameter<?> parameter) {
        Setting<?> s = byParameter.get(parameter);
        return s == null ? Origin.BUILT_IN : s.origin();
    }

    public boolean isSet(Parameter<?> parameter) {
        return byParameter.containsKey(parameter);
    }

    public Collection<Setting<?>> explicitSettings() {
        return byParameter.values();
    }

    Map<Parameter<?>, Setting<?>> asMap() {
        return byParameter;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settings other && byParameter.equals(other.byParameter);
    }

    @Override
    public int hashCode() {
        return byParameter.hashCode();
    }

    @Override
    public String toString() {
        return byParameter.values().toString();
    }
}
