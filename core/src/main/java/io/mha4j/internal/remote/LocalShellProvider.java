package io.mha4j.internal.remote;

import io.mha4j.config.ServerConfig;
import io.mha4j.remote.LocalShell;
import io.mha4j.remote.RemoteShell;
import io.mha4j.spi.RemoteShellProvider;

/**
 * {@code remote_shell=local}: every host is this machine. For managers that run on the only
 * database host, and for sandboxes where every "host" is 127.0.0.1.
 */
public final class LocalShellProvider implements RemoteShellProvider {
    public static final String NAME = "local";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RemoteShell create(ServerConfig host) {
        return LocalShell.INSTANCE;
    }
}
