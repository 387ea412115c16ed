package io.mha4j.testkit;

/**
 * Everything the sandbox cannot do, with the node, command or file involved in the message.
 * Unchecked: a test that cannot get its servers has nothing sensible to recover with.
 */
public class SandboxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
