package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test server is a real sshd: OpenSSH's own client logs in to it, as to any host. */
class OpenSshServerIT {

    @TempDir
    Path temp;

    private OpenSshServer server;

    @BeforeEach
    void start() {
        server = OpenSshServer.builder().start();
    }

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void opensshsClientLogsInWithTheClientKeyAndVerifiesTheHostStrictly() throws Exception {
        Ssh result = ssh(server.knownHostsFile(), "echo", "hi");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).isEqualTo("hi\n");
        assertThat(server.user()).isEqualTo(System.getProperty("user.name"));
        assertThat(server.acceptedLogins()).isEqualTo(1);
    }

    @Test
    void sessionsGetAnEmptyHomeSoTheUsersDotfilesDoNotRun() throws Exception {
        Ssh home = ssh(server.knownHostsFile(), "echo $HOME; ls -A $HOME");

        assertThat(home.output()).isEqualTo(server.directory().resolve("home") + "\n");
    }

    @Test
    void itListensOnLoopbackOnly() throws IOException {
        assertThat(ListeningSockets.of(server.pid())).containsExactly("127.0.0.1:" + server.port());
        assertThat(server.host()).isEqualTo("127.0.0.1");
    }

    @Test
    void knownHostsListsEveryHostKeyType() throws IOException {
        List<String> lines = Files.readAllLines(server.knownHostsFile());

        assertThat(lines).hasSize(2).allMatch(l -> l.startsWith("[127.0.0.1]:" + server.port() + " "));
        assertThat(server.hostKeyFingerprints())
                .containsOnlyKeys("ssh-ed25519", "ssh-rsa")
                .allSatisfy((type, fingerprint) -> assertThat(fingerprint).startsWith("SHA256:"));
    }

    @Test
    void sftpWorksSoModernScpDoes() throws Exception {
        Path local = Files.writeString(temp.resolve("payload"), "bytes over sftp");
        Path remote = server.directory().resolve("copied");

        Process scp = new ProcessBuilder(
                        "scp",
                        "-F",
                        "/dev/null",
                        "-i",
                        server.clientKey().toString(),
                        "-o",
                        "UserKnownHostsFile=" + server.knownHostsFile(),
                        "-o",
                        "BatchMode=yes",
                        "-P",
                        Integer.toString(server.port()),
                        local.toString(),
                        server.user() + "@127.0.0.1:" + remote)
                .redirectErrorStream(true)
                .start();

        assertThat(scp.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(scp.exitValue())
                .as(new String(scp.getInputStream().readAllBytes()))
                .isZero();
        assertThat(remote).hasContent("bytes over sftp");
    }

    @Test
    void aStoppedServerStartsAgainOnTheSamePortWithTheSameKeys() throws Exception {
        int port = server.port();
        Map<String, String> keys = server.hostKeyFingerprints();
        long pid = server.pid();

        server.stop();
        assertThat(server.isRunning()).isFalse();
        assertThat(ProcessHandle.of(pid)).isEmpty();
        server.start();

        assertThat(server.port()).isEqualTo(port);
        assertThat(server.hostKeyFingerprints()).isEqualTo(keys);
        assertThat(ssh(server.knownHostsFile(), "true").exitCode()).isZero();
    }

    @Test
    void afterRotatingTheHostKeysTheOldKnownHostsIsRefused() throws Exception {
        Path old = Files.copy(server.knownHostsFile(), temp.resolve("known_hosts.old"));
        Map<String, String> before = server.hostKeyFingerprints();

        server.rotateHostKeys();

        assertThat(server.hostKeyFingerprints()).doesNotContainValue(before.get("ssh-ed25519"));
        Ssh refused = ssh(old, "true");
        assertThat(refused.exitCode()).isEqualTo(255);
        assertThat(refused.output()).contains("REMOTE HOST IDENTIFICATION HAS CHANGED");
        assertThat(ssh(server.knownHostsFile(), "true").exitCode()).isZero();
    }

    @Test
    void aRevokedClientKeyIsRefused() throws Exception {
        server.revokeClientKey();

        Ssh refused = ssh(server.knownHostsFile(), "true");

        assertThat(refused.exitCode()).isEqualTo(255);
        assertThat(refused.output()).contains("Permission denied (publickey)");
        server.authorizedKeys(List.of(Path.of(server.clientKey() + ".pub")));
        assertThat(ssh(server.knownHostsFile(), "true").exitCode()).isZero();
    }

    @Test
    void closeLeavesNoProcessAndNoDirectory() throws Exception {
        Path directory = server.directory();
        long pid = server.pid();
        assertThat(ssh(server.knownHostsFile(), "true").exitCode()).isZero();

        server.close();
        server.close();

        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThat(directory).doesNotExist();
    }

    @Test
    void theNextServerReapsTheServerAndDirectoryOfAJvmKilledWithSigkill() throws Exception {
        OrphanMaker.Orphan orphan = OrphanMaker.orphan("sshd");
        assertThat(ProcessHandle.of(orphan.serverPid()))
                .as("sshd outlives its SIGKILLed JVM")
                .isPresent();
        assertThat(orphan.directory()).isDirectory();

        try (OpenSshServer next = OpenSshServer.builder().start()) {
            assertThat(ProcessHandle.of(orphan.serverPid())).isEmpty();
            assertThat(orphan.directory()).doesNotExist();
            assertThat(next.directory()).isDirectory();
        }
    }

    record Ssh(int exitCode, String output, Duration took) {}

    private Ssh ssh(Path knownHosts, String... command) throws Exception {
        return ssh(server, knownHosts, command);
    }

    /** OpenSSH's client running {@code command} on {@code on}, timed. */
    static Ssh ssh(OpenSshServer on, Path knownHosts, String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of(
                "ssh",
                "-F",
                "/dev/null",
                "-i",
                on.clientKey().toString(),
                "-o",
                "UserKnownHostsFile=" + knownHosts,
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "BatchMode=yes",
                "-p",
                Integer.toString(on.port()),
                on.user() + "@" + on.host()));
        argv.addAll(List.of(command));
        return run(argv);
    }

    /** OpenSSH's sftp client running one {@code pwd} on {@code on} (a session of the sftp subsystem), timed. */
    static Ssh sftpPwd(OpenSshServer on) throws Exception {
        return run(
                List.of(
                        "sftp",
                        "-F",
                        "/dev/null",
                        "-i",
                        on.clientKey().toString(),
                        "-o",
                        "UserKnownHostsFile=" + on.knownHostsFile(),
                        "-o",
                        "StrictHostKeyChecking=yes",
                        "-b",
                        "-",
                        "-P",
                        Integer.toString(on.port()),
                        on.user() + "@" + on.host()),
                "pwd\n");
    }

    private static Ssh run(List<String> argv) throws Exception {
        return run(argv, "");
    }

    private static Ssh run(List<String> argv, String input) throws Exception {
        long started = System.nanoTime();
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try (var stdin = p.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Ssh(p.exitValue(), output, Duration.ofNanos(System.nanoTime() - started));
    }
}
