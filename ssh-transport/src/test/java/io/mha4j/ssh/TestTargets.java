package io.mha4j.ssh;

import io.mha4j.remote.HostKeyPolicy;
import io.mha4j.remote.SshTarget;
import io.mha4j.testkit.OpenSshServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** {@link SshTarget}s for a test {@link OpenSshServer}, built with the record's constructor. */
final class TestTargets {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private TestTargets() {}

    /** The server as its own client key and known_hosts see it, host keys checked strictly. */
    static SshTarget of(OpenSshServer server) {
        return of(server, server.knownHostsFile(), HostKeyPolicy.STRICT);
    }

    static SshTarget of(OpenSshServer server, Path knownHosts, HostKeyPolicy policy) {
        return at(server.host(), server.port(), server.user(), server.clientKey(), knownHosts, policy);
    }

    static SshTarget at(String host, int port, String user, Path key, Path knownHosts, HostKeyPolicy policy) {
        return new SshTarget(
                user + "@" + host + "(" + host + ":" + port + ")",
                host,
                port,
                user,
                List.of(key),
                knownHosts,
                policy,
                CONNECT_TIMEOUT,
                Duration.ofSeconds(10),
                List.of());
    }
}
