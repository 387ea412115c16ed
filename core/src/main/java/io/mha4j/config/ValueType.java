package io.mha4j.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a parameter's text becomes a typed value and back. Parsing never guesses: a value it
 * does not understand is rejected with a message that says what was expected (HikariCP's
 * habit of silently resetting bad values is what we avoid).
 *
 * @param <T> the Java type of the parameter
 */
public interface ValueType<T> {

    /**
     * Parses the text of a value (already trimmed and unquoted).
     *
     * @throws IllegalArgumentException with a message completing "value '...' ..." such as
     *     "is not a positive integer"
     */
    T parse(String text);

    /** The text form, such that {@code parse(format(v))} equals {@code v}. */
    default String format(T value) {
        return String.valueOf(value);
    }

    Class<T> javaType();

    /** Free text, taken as it is. */
    static ValueType<String> text() {
        return Text.INSTANCE;
    }

    /** Text that must not be empty. */
    static ValueType<String> nonEmptyText() {
        return NonEmptyText.INSTANCE;
    }

    /** A credential; shown as {@code xxx}. */
    static ValueType<Secret> secret() {
        return SecretType.INSTANCE;
    }

    /** An integer of at least 1, as MHA's {@code check_positive_int}. */
    static ValueType<Integer> positiveInt() {
        return new IntRange(1, Integer.MAX_VALUE, "a positive integer");
    }

    /** A TCP port, 1 to 65535. */
    static ValueType<Integer> port() {
        return new IntRange(1, 65535, "a port (1-65535)");
    }

    /** A positive number of seconds, decimals allowed ({@code 0.5}), as a Duration. */
    static ValueType<Duration> seconds() {
        return Seconds.INSTANCE;
    }

    /** MHA's 0/1 switches. */
    static ValueType<Boolean> flag() {
        return Flag.INSTANCE;
    }

    /** MHA's {@code ping_type}: CONNECT, SELECT or INSERT, any case. */
    static ValueType<PingType> pingType() {
        return PingTypeType.INSTANCE;
    }

    /** One of a fixed set of words, compared case-insensitively and kept in lower case. */
    static ValueType<String> oneOf(String... words) {
        return new OneOf(Set.of(words), List.of(words));
    }

    /** A comma-separated list; whitespace anywhere is dropped, as MHA does for binlog dirs. */
    static ValueType<List<String>> commaList() {
        return CommaList.INSTANCE;
    }

    enum Text implements ValueType<String> {
        INSTANCE;

        @Override
        public String parse(String text) {
            return text;
        }

        @Override
        public Class<String> javaType() {
            return String.class;
        }
    }

    enum NonEmptyText implements ValueType<String> {
        INSTANCE;

        @Override
        public String parse(String text) {
            if (text.isBlank()) {
                throw new IllegalArgumentException("is empty");
            }
            return text;
        }

        @Override
        public Class<String> javaType() {
            return String.class;
        }
    }

    enum SecretType implements ValueType<Secret> {
        INSTANCE;

        @Override
        public Secret parse(String text) {
            return Secret.of(text);
        }

        @Override
        public String format(Secret value) {
            return value.reveal();
        }

        @Override
        public Class<Secret> javaType() {
            return Secret.class;
        }
    }

    record IntRange(int min, int max, String expected) implements ValueType<Integer> {
        @Override
        public Integer parse(String text) {
            // Digits only: MHA rejects "3s", "+3" and "3.5" too.
            if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("is not " + expected);
            }
            long value;
            try {
                value = Long.parseLong(text);
            } catch (NumberFormatException tooLong) {
                throw new IllegalArgumentException("is not " + expected);
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("is not " + expected);
            }
            return (int) value;
        }

        @Override
        public Class<Integer> javaType() {
            return Integer.class;
        }
    }

    enum Seconds implements ValueType<Duration> {
        INSTANCE;

        @Override
        public Duration parse(String text) {
            if (!text.matches("\\d{1,6}(\\.\\d{1,3})?")) {
                throw new IllegalArgumentException("is not a number of seconds such as 4 or 0.5");
            }
            Duration d =
                    Duration.ofMillis(new BigDecimal(text).movePointRight(3).longValue());
            if (d.isZero()) {
                throw new IllegalArgumentException("is not a positive number of seconds");
            }
            return d;
        }

        @Override
        public String format(Duration value) {
            return BigDecimal.valueOf(value.toMillis())
                    .movePointLeft(3)
                    .stripTrailingZeros()
                    .toPlainString();
        }

        @Override
        public Class<Duration> javaType() {
            return Duration.class;
        }
    }

    enum Flag implements ValueType<Boolean> {
        INSTANCE;

        @Override
        public Boolean parse(String text) {
            // MHA takes any Perl-true value; we accept only what it documents, so that
            // "no_master=no" is an error rather than a silent "yes".
            return switch (text) {
                case "0" -> false;
                case "1" -> true;
                default -> throw new IllegalArgumentException("is not 0 or 1");
            };
        }

        @Override
        public String format(Boolean value) {
            return value ? "1" : "0";
        }

        @Override
        public Class<Boolean> javaType() {
            return Boolean.class;
        }
    }

    enum PingTypeType implements ValueType<PingType> {
        INSTANCE;

        @Override
        public PingType parse(String text) {
            String upper = text.toUpperCase(Locale.ROOT);
            return Arrays.stream(PingType.values())
                    .filter(t -> t.name().equals(upper))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("is not CONNECT, SELECT or INSERT"));
        }

        @Override
        public Class<PingType> javaType() {
            return PingType.class;
        }
    }

    record OneOf(Set<String> words, List<String> inOrder) implements ValueType<String> {
        @Override
        public String parse(String text) {
            String lower = text.toLowerCase(Locale.ROOT);
            if (!words.contains(lower)) {
                throw new IllegalArgumentException("is not one of " + String.join(", ", inOrder));
            }
            return lower;
        }

        @Override
        public Class<String> javaType() {
            return String.class;
        }
    }

    enum CommaList implements ValueType<List<String>> {
        INSTANCE;

        @Override
        public List<String> parse(String text) {
            List<String> items = Arrays.stream(text.replaceAll("\\s", "").split(","))
                    .filter(s -> !s.isEmpty())
                    .collect(Collectors.toUnmodifiableList());
            if (items.isEmpty()) {
                throw new IllegalArgumentException("is empty");
            }
            return items;
        }

        @Override
        public String format(List<String> value) {
            return String.join(",", value);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Class<List<String>> javaType() {
            return (Class<List<String>>) (Class<?>) List.class;
        }
    }
}
