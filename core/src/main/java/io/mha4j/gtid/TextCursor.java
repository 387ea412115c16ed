package io.mha4j.gtid;

/**
 * A read position in GTID text that both parsers share: it skips whitespace between tokens
 * (servers print {@code ",\n"} between sources and people paste with spaces), reads numbers
 * without overflow, and turns every mistake into a {@link GtidFormatException} that points at
 * the offending character.
 */
final class TextCursor {

    private static final int LONGEST_QUOTED_TOKEN = 40;

    private final String what;
    private final String text;
    private int position;

    /** @param what what the text should be, for messages, e.g. {@code "MySQL GTID set"} */
    TextCursor(String what, String text) {
        this.what = what;
        this.text = text;
    }

    int position() {
        return position;
    }

    /** Skips whitespace and returns where the next token starts, for errors that point at it. */
    int startToken() {
        skipWhitespace();
        return position;
    }

    /** True when nothing but whitespace is left. */
    boolean atEnd() {
        skipWhitespace();
        return position == text.length();
    }

    /** The next non-blank character, or {@code 0} at the end. */
    char peek() {
        skipWhitespace();
        return position == text.length() ? 0 : text.charAt(position);
    }

    /** Consumes {@code token} if it comes next (after any whitespace). */
    boolean consume(String token) {
        skipWhitespace();
        if (text.startsWith(token, position)) {
            position += token.length();
            return true;
        }
        return false;
    }

    /** Consumes {@code token} or fails saying it was {@code expected}. */
    void expect(String token, String expected) {
        if (!consume(token)) {
            throw failHere("expected " + expected + ", " + found());
        }
    }

    /**
     * Reads the run of characters that satisfy {@code part}, starting at the next non-blank
     * one; empty if the next character does not.
     */
    String read(CharPredicate part) {
        skipWhitespace();
        int start = position;
        while (position < text.length() && part.test(text.charAt(position))) {
            position++;
        }
        return text.substring(start, position);
    }

    /** Moves back to {@code earlier}, so that a failure can point at the start of a token. */
    void rewind(int earlier) {
        position = earlier;
    }

    /**
     * Reads a decimal number in {@code min..max}.
     *
     * @param noun     what the number is, for messages, e.g. {@code "transaction number"}
     * @param beyondMax extra words when the number exceeds {@code max}, or empty
     */
    long readNumber(String noun, long min, long max, String beyondMax) {
        skipWhitespace();
        int start = position;
        String digits = read(TextCursor::isDigit);
        if (digits.isEmpty()) {
            throw failHere("expected a " + noun + ", " + found());
        }
        String significant = digits.replaceFirst("^0+(?=.)", "");
        String maxText = Long.toString(max);
        boolean tooLarge = significant.length() > maxText.length()
                || (significant.length() == maxText.length() && significant.compareTo(maxText) > 0);
        if (tooLarge) {
            throw failAt(start, noun + " " + digits + " is too large: the largest is " + max + beyondMax);
        }
        long value = Long.parseLong(significant);
        if (value < min) {
            throw failAt(start, noun + " " + digits + " is too small: the smallest is " + min);
        }
        return value;
    }

    /** A failure at the current position; the caller throws it. */
    GtidFormatException failHere(String problem) {
        skipWhitespace();
        return failAt(position, problem);
    }

    /** A failure at {@code offset}; the caller throws it. */
    GtidFormatException failAt(int offset, String problem) {
        return new GtidFormatException(what, text, offset, problem);
    }

    /** Describes what stands at the current position: "found 'x7'" or the end of the text. */
    String found() {
        skipWhitespace();
        if (position == text.length()) {
            return "found the end of the text";
        }
        int end = position;
        while (end < text.length()
                && end - position < LONGEST_QUOTED_TOKEN
                && ",:".indexOf(text.charAt(end)) < 0
                && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        // A lone separator is the whole story: show it rather than an empty quote.
        return "found '" + text.substring(position, Math.max(end, position + 1)) + "'";
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void skipWhitespace() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }

    /** {@link java.util.function.Predicate} for {@code char}, to avoid boxing every character. */
    @FunctionalInterface
    interface CharPredicate {
        boolean test(char c);
    }
}
