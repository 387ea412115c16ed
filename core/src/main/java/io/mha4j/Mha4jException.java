package io.mha4j;

/**
 * Root of mha4j's small family of unchecked exceptions. Every subclass carries the state an
 * operator needs to act (which server, which parameter, what was seen) in its message, and
 * keeps its cause.
 */
public class Mha4jException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Mha4jException(String message) {
        super(message);
    }

    public Mha4jException(String message, Throwable cause) {
        super(message, cause);
    }
}
