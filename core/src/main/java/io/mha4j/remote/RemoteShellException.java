package io.mha4j.remote;

import io.mha4j.Mha4jException;

/**
 * A remote operation that could not be done, with the host and a kind that tells an operator
 * what to fix: a key to install, a host key to verify, a host to bring up.
 */
public final class RemoteShellException extends Mha4jException {
    private static final long serialVersionUID = 1L;

    /** Why it failed. */
    public enum Kind {
        /** The host refused every key offered (or the user). */
        AUTHENTICATION_REFUSED,
        /** The host's key is not in known_hosts and the policy does not accept new keys. */
        HOST_KEY_UNKNOWN,
        /** The host presented a key other than the one known_hosts holds: possibly an attack. */
        HOST_KEY_CHANGED,
        /** Nothing answered: connection refused, no route, unknown name. */
        UNREACHABLE,
        /** No answer in time. */
        TIMEOUT,
        /** A file that was to be read does not exist. */
        NO_SUCH_FILE,
        /** Anything else that went wrong on the way. */
        IO
    }

    private final String host;
    private final Kind kind;

    public RemoteShellException(String host, Kind kind, String detail, Throwable cause) {
        super(host + ": " + detail, cause);
        this.host = host;
        this.kind = kind;
    }

    public String host() {
        return host;
    }

    public Kind kind() {
        return kind;
    }
}
