package io.mha4j.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mha4j.remote.HostKeyPolicy;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShellException;
import io.mha4j.remote.RemoteShellException.Kind;
import io.mha4j.testkit.OpenSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host key checking against a real sshd: strict, accept-new, off, unknown versus changed. */
class SshHostKeyIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    private OpenSshServer server;

    @BeforeEach
    void start() {
        server = OpenSshServer.builder().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void runTrue(Path knownHosts, HostKeyPolicy policy) {
        try (SshRemoteShell shell = new SshRemoteShell(TestTargets.of(server, knownHosts, policy))) {
            assertThat(shell.run(RemoteCommand.of("true"), TIMEOUT).exitCode()).isZero();
        }
    }

    private RemoteShellException refusal(Path knownHosts, HostKeyPolicy policy) {
        try (SshRemoteShell shell = new SshRemoteShell(TestTargets.of(server, knownHosts, policy))) {
            return catchThrowableOfType(RemoteShellException.class, () -> shell.run(RemoteCommand.of("true"), TIMEOUT));
        }
    }

    @Test
    void strictRefusesAHostNotInKnownHostsAndSaysHowToAddIt() {
        Path empty = temp.resolve("known_hosts");

        RemoteShellException e = refusal(empty, HostKeyPolicy.STRICT);

        assertThat(e.kind()).isEqualTo(Kind.HOST_KEY_UNKNOWN);
        assertThat(e.getMessage())
                .contains(server.user() + "@127.0.0.1(127.0.0.1:" + server.port() + ")")
                .contains(server.hostKeyFingerprints().get("ssh-ed25519"))
                .contains("ssh-keyscan -p " + server.port() + " 127.0.0.1 >> " + empty);
        assertThat(empty).doesNotExist();
    }

    @Test
    void acceptNewRecordsAnUnknownHostsKeyWhichStrictThenAccepts() throws Exception {
        Path knownHosts = temp.resolve("ssh/known_hosts");

        runTrue(knownHosts, HostKeyPolicy.ACCEPT_NEW);

        List<String> lines = Files.readAllLines(knownHosts);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("[127.0.0.1]:" + server.port() + " ssh-ed25519 ");
        assertThat(Files.readAllLines(server.knownHostsFile())).contains(lines.get(0));
        runTrue(knownHosts, HostKeyPolicy.STRICT);
        assertThat(Files.readAllLines(knownHosts)).hasSize(1);
    }

    @Test
    void aChangedHostKeyIsRefusedEvenUnderAcceptNewAndTheFileIsLeftAlone() throws Exception {
        Path old = Files.copy(server.knownHostsFile(), temp.resolve("known_hosts"));
        byte[] oldBytes = Files.readAllBytes(old);
        server.rotateHostKeys();

        for (HostKeyPolicy policy : List.of(HostKeyPolicy.ACCEPT_NEW, HostKeyPolicy.STRICT)) {
            RemoteShellException e = refusal(old, policy);

            assertThat(e.kind()).as(policy.name()).isEqualTo(Kind.HOST_KEY_CHANGED);
            assertThat(e.getMessage())
                    .contains("changed")
                    .contains(server.hostKeyFingerprints().get("ssh-ed25519"))
                    .contains("remove the old line from " + old);
        }
        assertThat(old).hasBinaryContent(oldBytes);
    }

    @Test
    void offAcceptsEvenAChangedKey() throws Exception {
        Path old = Files.copy(server.knownHostsFile(), temp.resolve("known_hosts"));
        server.rotateHostKeys();

        runTrue(old, HostKeyPolicy.OFF);
    }

    @Test
    void aKnownHostsWithOnlyTheRsaLineOfAHostWithSeveralKeysIsEnough() throws Exception {
        Path rsaOnly = temp.resolve("known_hosts");
        Files.write(
                rsaOnly,
                Files.readAllLines(server.knownHostsFile()).stream()
                        .filter(l -> l.contains(" ssh-rsa "))
                        .toList());

        runTrue(rsaOnly, HostKeyPolicy.STRICT);
    }
}
