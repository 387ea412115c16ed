package io.mha4j.server;

import io.mha4j.Mha4jException;

/** A server version mha4j cannot manage, with the reason. */
public final class UnsupportedServerException extends Mha4jException {
    private static final long serialVersionUID = 1L;

    public UnsupportedServerException(ServerVersion version, String reason) {
        super(version.text() + " is not supported: " + reason);
    }
}
