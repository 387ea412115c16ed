package io.mha4j.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.remote.CommandResult;
import io.mha4j.remote.HostKeyPolicy;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShellException;
import io.mha4j.remote.RemoteShellException.Kind;
import io.mha4j.remote.SshTarget;
import io.mha4j.testkit.OpenSshServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One connection per shell, reused, replaced when lost; and what a refused connection says. */
class SshConnectionIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static OpenSshServer server;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() {
        server = OpenSshServer.builder().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyCommandAndFileOperationOfAShellUsesOneConnection() throws Exception {
        long loginsBefore = server.acceptedLogins();
        Path file = Files.writeString(server.directory().resolve("reused"), "x");
        try (SshRemoteShell shell = new SshRemoteShell(TestTargets.of(server))) {
            for (int i = 0; i < 5; i++) {
                assertThat(shell.run(RemoteCommand.of("true"), TIMEOUT).exitCode())
                        .isZero();
                assertThat(shell.stat(file.toString())).isPresent();
                try (InputStream in = shell.read(file.toString(), 0)) {
                    assertThat(in.readAllBytes()).containsExactly('x');
                }
            }
        }

        assertThat(server.acceptedLogins() - loginsBefore).isEqualTo(1);
    }

    @Test
    void manyThreadsRunCommandsAtOnceOnOneConnection() throws Exception {
        long loginsBefore = server.acceptedLogins();
        int commands = 3 * SshRemoteShell.MAX_CONCURRENT_COMMANDS;
        ExecutorService pool = Executors.newFixedThreadPool(commands);
        try (SshRemoteShell shell = new SshRemoteShell(TestTargets.of(server))) {
            // Beyond sshd's MaxSessions (10): the shell must queue them, not fail them.
            List<Future<CommandResult>> results = IntStream.range(0, commands)
                    .mapToObj(i -> pool.submit(() -> shell.run(RemoteCommand.of("echo", "n" + i), TIMEOUT)))
                    .toList();

            for (int i = 0; i < commands; i++) {
                assertThat(results.get(i).get().stdout()).isEqualTo("n" + i + "\n");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.acceptedLogins() - loginsBefore).isEqualTo(1);
    }

    @Test
    void commandsTimingOutTogetherWhileEverySessionIsTakenAreAllKilled() throws Exception {
        int commands = SshRemoteShell.MAX_CONCURRENT_COMMANDS + 1;
        ExecutorService pool = Executors.newFixedThreadPool(commands);
        try (SshRemoteShell shell = new SshRemoteShell(TestTargets.of(server))) {
            // The SFTP session and the warm shell take their sessions; one command runs in the warm shell, the
            // others take every exec session the shell allows: the kills need the one left (root ignores signals).
            assertThat(shell.stat(server.directory().toString())).isPresent();
            assertThat(shell.prepare(TIMEOUT)).contains("warm shell");
            List<Future<CommandResult>> runs = IntStream.range(0, commands)
                    .mapToObj(i -> pool.submit(() -> shell.run(
                            RemoteCommand.of("sh", "-c", "sleep 63.04" + i + " & sleep 63.05" + i + "; wait"),
                            Duration.ofSeconds(3))))
                    .toList();
            for (Future<CommandResult> run : runs) {
                assertThatThrownBy(run::get)
                        .cause()
                        .isInstanceOfSatisfying(
                                RemoteShellException.class,
                                e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT));
            }

            org.awaitility.Awaitility.await("every timed-out sleep is gone")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> ProcessHandle.allProcesses()
                            .noneMatch(p -> p.info()
                                    .commandLine()
                                    .filter(c -> c.contains("sleep 63.0"))
                                    .isPresent()));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aConnectionLostToAServerRestartIsReplacedAtTheNextCommand() {
        long loginsBefore = server.acceptedLogins();
        try (SshRemoteShell shell = new SshRemoteShell(TestTargets.of(server))) {
            assertThat(shell.run(RemoteCommand.of("true"), TIMEOUT).exitCode()).isZero();

            server.stop();
            server.start();

            assertThat(shell.run(RemoteCommand.of("echo", "again"), TIMEOUT).stdout())
                    .isEqualTo("again\n");
            assertThat(shell.stat(server.directory().toString())).isPresent();
        }
        assertThat(server.acceptedLogins() - loginsBefore).isEqualTo(2);
    }

    @Test
    void aRefusedKeyIsAuthenticationRefusedNamingUserAndKey() {
        server.revokeClientKey();
        try (SshRemoteShell shell = new SshRemoteShell(TestTargets.of(server))) {
            assertThatThrownBy(() -> shell.run(RemoteCommand.of("true"), TIMEOUT))
                    .isInstanceOfSatisfying(
                            RemoteShellException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION_REFUSED))
                    .hasMessageContaining("user " + server.user())
                    .hasMessageContaining(server.clientKey().toString())
                    .hasMessageContaining("authorized_keys");
        } finally {
            server.authorizedKeys(List.of(Path.of(server.clientKey() + ".pub")));
        }
    }

    @Test
    void anEncryptedKeyIsNamedAsUnsupportedWithoutItsPassphrase() throws Exception {
        Path key = temp.resolve("id_encrypted");
        String passphrase = "correct horse battery";
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-f", key.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(keygen.waitFor()).isZero();
        SshTarget target = TestTargets.at(
                server.host(), server.port(), server.user(), key, server.knownHostsFile(), HostKeyPolicy.STRICT);

        try (SshRemoteShell shell = new SshRemoteShell(target)) {
            assertThatThrownBy(() -> shell.run(RemoteCommand.of("true"), TIMEOUT))
                    .isInstanceOfSatisfying(
                            RemoteShellException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.IO))
                    .hasMessageContaining(key.toString())
                    .hasMessageContaining("encrypted keys are not supported")
                    .hasMessageNotContaining(passphrase);
        }
    }

    @Test
    void aPortWithNothingListeningIsUnreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        SshTarget target = TestTargets.at(
                "127.0.0.1", port, server.user(), server.clientKey(), server.knownHostsFile(), HostKeyPolicy.STRICT);

        try (SshRemoteShell shell = new SshRemoteShell(target)) {
            assertThatThrownBy(() -> shell.stat("/"))
                    .isInstanceOfSatisfying(
                            RemoteShellException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE))
                    .hasMessageContaining("connection refused by 127.0.0.1:" + port);
        }
    }

    @Test
    void aServerThatNeverGreetsIsATimeoutWithinTheConnectTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            // It accepts (the backlog does) but never sends a banner: a stopped sshd, a thrashing host.
            Duration connectTimeout = Duration.ofSeconds(1);
            SshTarget target = new SshTarget(
                    "silent",
                    "127.0.0.1",
                    silent.getLocalPort(),
                    server.user(),
                    List.of(server.clientKey()),
                    server.knownHostsFile(),
                    HostKeyPolicy.STRICT,
                    connectTimeout,
                    Duration.ofSeconds(10),
                    List.of());
            long started = System.nanoTime();

            try (SshRemoteShell shell = new SshRemoteShell(target)) {
                assertThatThrownBy(() -> shell.run(RemoteCommand.of("true"), TIMEOUT))
                        .isInstanceOfSatisfying(
                                RemoteShellException.class,
                                e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT))
                        .hasMessageContaining("within 1000 ms");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(connectTimeout.multipliedBy(3));
        }
    }
}
