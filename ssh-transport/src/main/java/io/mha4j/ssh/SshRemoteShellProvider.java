package io.mha4j.ssh;

import io.mha4j.config.ServerConfig;
import io.mha4j.remote.RemoteShell;
import io.mha4j.remote.SshTarget;
import io.mha4j.spi.RemoteShellProvider;

/**
 * {@code remote_shell=ssh} (the default): an {@link SshRemoteShell} per host. Found by
 * {@link java.util.ServiceLoader} when this module is on the classpath.
 */
public final class SshRemoteShellProvider implements RemoteShellProvider {

    public static final String NAME = "ssh";

    @Override
    public String name() {
        return NAME;
    }

    /** A shell that connects on first use, so opening it never fails. */
    @Override
    public RemoteShell create(ServerConfig host) {
        return new SshRemoteShell(SshTarget.of(host));
    }
}
