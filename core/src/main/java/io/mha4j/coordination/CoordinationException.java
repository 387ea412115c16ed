package io.mha4j.coordination;

import io.mha4j.Mha4jException;

/**
 * The managers' shared state could not be read (the coordination went away between two calls): a
 * manager that gets it acts on nothing it would have read, and looks again.
 */
public final class CoordinationException extends Mha4jException {
    public CoordinationException(String message, Throwable cause) {
        super(message, cause);
    }
}
