package io.mha4j.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A password or other credential. It prints as {@code xxx} (MHA's mask) everywhere: in
 * {@code toString}, in records that contain it, and therefore in every log line and error
 * message. Only {@link #reveal()} gives the value, and only code that talks to a server
 * should call it.
 */
public final class Secret {
    /** The mask MHA prints instead of a password; users grep their logs for it. */
    public static final String MASK = "xxx";

    private static final Secret EMPTY = new Secret("");

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        if (value == null) {
            throw new NullPointerException("secret value");
        }
        return value.isEmpty() ? EMPTY : new Secret(value);
    }

    public static Secret empty() {
        return EMPTY;
    }

    /** The clear value, for the one place that hands it to a server. */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other
                && MessageDigest.isEqual(
                        value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return MASK;
    }
}
