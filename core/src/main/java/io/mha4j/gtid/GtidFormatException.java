package io.mha4j.gtid;

/**
 * Thrown when text is not a GTID set of the flavor it was parsed as.
 *
 * <p>Carries everything an operator needs to find the mistake: the whole {@link #input()},
 * the {@link #errorOffset() offset} of the first character that does not fit, and the
 * {@link #problem()} in words. The message reads like
 * {@code malformed MySQL GTID set '3e11fa47-…:1-x' at character 39: expected a transaction
 * number, found 'x'}; it quotes the input on one line (newlines shown as {@code \n}) and
 * shortens a very long input around the error, so a 50 kB {@code gtid_executed} does not
 * flood the log.
 */
public final class GtidFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String input;
    private final int errorOffset;
    private final String problem;

    /**
     * @param what        what the text should have been, e.g. {@code "MySQL GTID set"}
     * @param input       the whole text that was parsed
     * @param errorOffset zero-based index into {@code input} of the first offending character
     *                    ({@code input.length()} when the text ended too early)
     * @param problem     what was expected and what was found
     */
    GtidFormatException(String what, String input, int errorOffset, String problem) {
        super("malformed " + what + " " + Quoting.around(input, errorOffset) + " at character " + (errorOffset + 1)
                + ": " + problem);
        this.input = input;
        this.errorOffset = errorOffset;
        this.problem = problem;
    }

    /** The complete text that failed to parse. */
    public String input() {
        return input;
    }

    /**
     * Zero-based index into {@link #input()} of the first character that does not fit, like
     * {@link java.text.ParseException#getErrorOffset()}; the message counts from 1.
     */
    public int errorOffset() {
        return errorOffset;
    }

    /** What was expected at {@link #errorOffset()} and what was found there. */
    public String problem() {
        return problem;
    }
}
