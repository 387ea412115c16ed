package io.mha4j.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of one {@link OpenSshServer}, every one inside its directory so that deleting the
 * directory removes the server without a trace: host keys, the client key pair,
 * {@code authorized_keys}, the client's {@code known_hosts}, {@code sshd_config}, the log.
 * Every path in the configuration is absolute: sshd refuses a relative config path and
 * resolves relative ones against {@code /}.
 */
final class SshdDirectory {

    /**
     * The host key types generated. Two, because a client must cope with a host that has
     * several (sshj 0.40.0 fails when known_hosts lists only some of them).
     */
    static final List<String> HOST_KEY_TYPES = List.of("ed25519", "rsa");

    private final Path dir;

    SshdDirectory(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path config() {
        return dir.resolve("sshd_config");
    }

    Path log() {
        return dir.resolve("sshd.log");
    }

    Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    Path authorizedKeys() {
        return dir.resolve("authorized_keys");
    }

    SshKeyPair clientKey() {
        return new SshKeyPair(dir.resolve("client_ed25519"));
    }

    List<SshKeyPair> hostKeys() {
        return HOST_KEY_TYPES.stream()
                .map(t -> new SshKeyPair(dir.resolve("host_" + t + "_key")))
                .toList();
    }

    /** Generates (or replaces) every host key. */
    void generateHostKeys() {
        for (String type : HOST_KEY_TYPES) {
            SshKeyPair.generate(dir.resolve("host_" + type + "_key"), type, "mha4j-test-host", keygenLog());
        }
    }

    void generateClientKey(String user) {
        SshKeyPair.generate(clientKey().privateKey(), "ed25519", user + "@mha4j-test", keygenLog());
    }

    /** Makes {@code publicKeys} (OpenSSH {@code .pub} files) the only keys that may log in. */
    void authorize(List<Path> publicKeys) {
        StringBuilder lines = new StringBuilder();
        try {
            for (Path key : publicKeys) {
                lines.append(Files.readString(key, StandardCharsets.UTF_8).trim())
                        .append('\n');
            }
            writeAtomically(authorizedKeys(), lines.toString());
        } catch (IOException e) {
            throw new SandboxException("Cannot write " + authorizedKeys(), e);
        }
    }

    /** The empty HOME sessions get unless the OS user's own is kept. */
    Path sessionHome() {
        return dir.resolve("home");
    }

    /** The script a {@link LoginShell#SLOW} shell sources through {@code BASH_ENV}. */
    Path slowShellStart() {
        return dir.resolve("slow-shell-start.sh");
    }

    /** Writes {@link #slowShellStart()}: one second, once per top-level shell. */
    void writeSlowShellStart() {
        try {
            writeAtomically(
                    slowShellStart(),
                    String.join(
                            "\n",
                            "# Written by mha4j's OpenSshServer (LoginShell.SLOW): a shell start that takes one second, as a",
                            "# slow ~/.bashrc does. Unset first, so that shells the command starts do not pay again.",
                            "unset BASH_ENV",
                            "sleep 1",
                            ""));
        } catch (IOException e) {
            throw new SandboxException("Cannot write " + slowShellStart(), e);
        }
    }

    /**
     * Writes {@code sshd_config} for {@code host}:{@code port}, every session getting
     * {@code environment} (e.g. HOME, so that shells read none of the user's dotfiles).
     */
    void writeConfig(String host, int port, Path sftpServer, Map<String, String> environment) {
        List<String> lines = new ArrayList<>(List.of(
                "# Written by mha4j's OpenSshServer: a throw-away test server on one address only.",
                "ListenAddress " + host,
                "Port " + port));
        hostKeys().forEach(k -> lines.add("HostKey " + k.privateKey()));
        lines.addAll(List.of(
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorizedKeys(),
                "UsePAM no",
                // The directory is under a world-writable /tmp: StrictModes would refuse every key.
                "StrictModes no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password",
                "PrintMotd no",
                "Subsystem sftp " + sftpServer,
                "LogLevel VERBOSE"));
        if (!environment.isEmpty()) {
            // One line: sshd keeps only the first SetEnv directive. SetEnv overrides what sshd sets itself (HOME,
            // PATH).
            lines.add("SetEnv "
                    + String.join(
                            " ",
                            environment.entrySet().stream()
                                    .map(e -> setEnvToken(e.getKey(), e.getValue()))
                                    .toList()));
        }
        try {
            Files.createDirectories(sessionHome());
            writeAtomically(config(), String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new SandboxException("Cannot write " + config(), e);
        }
    }

    /** {@code NAME=VALUE}, quoted whole when the value holds whitespace (sshd splits the line on it). */
    private static String setEnvToken(String name, String value) {
        String token = name + "=" + value;
        return value.chars().anyMatch(Character::isWhitespace) ? "\"" + token + "\"" : token;
    }

    /** Writes {@code known_hosts} with a line for every host key, as {@code [host]:port} (plain {@code host} on port 22, as OpenSSH writes it). */
    void writeKnownHosts(String host, int port) {
        StringBuilder lines = new StringBuilder();
        for (SshKeyPair key : hostKeys()) {
            lines.append(port == 22 ? host : "[" + host + "]:" + port)
                    .append(' ')
                    .append(key.algorithm())
                    .append(' ')
                    .append(key.blob())
                    .append('\n');
        }
        try {
            writeAtomically(knownHosts(), lines.toString());
        } catch (IOException e) {
            throw new SandboxException("Cannot write " + knownHosts(), e);
        }
    }

    /** Fingerprint ({@code SHA256:...}) of every host key, by algorithm. */
    Map<String, String> hostKeyFingerprints() {
        Map<String, String> fingerprints = new LinkedHashMap<>();
        hostKeys().forEach(k -> fingerprints.put(k.algorithm(), k.fingerprint()));
        return fingerprints;
    }

    private Path keygenLog() {
        return dir.resolve("ssh-keygen.log");
    }

    /** sshd reads authorized_keys at every login: it must never see a half-written file. */
    private static void writeAtomically(Path file, String text) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
