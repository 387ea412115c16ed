package io.mha4j.samples.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/** Command-line values that name a constant of an enum by its label. */
final class Labels {
    private Labels() {}

    /**
     * The constant whose label is {@code text} (case and surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the option and the labels it takes
     */
    static <E extends Enum<E>> E parse(E[] constants, Function<E, String> label, String text, String option) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(constants)
                .filter(c -> label.apply(c).equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(option + " must be one of "
                        + Arrays.stream(constants).map(label).toList() + ", not '" + text + "'"));
    }
}
