package io.mha4j.config;

/**
 * A parameter's value and where it came from. Prints secrets as {@code xxx}.
 *
 * @param <T> the parameter's type
 */
public record Setting<T>(Parameter<T> parameter, T value, Origin origin) {

    public Setting {
        value = parameter.cast(value);
    }

    @Override
    public String toString() {
        return parameter.name() + "=" + parameter.display(value) + " (" + origin.describe() + ")";
    }
}
