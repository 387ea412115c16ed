package io.mha4j.remote;

import io.mha4j.config.Origin;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything an SSH implementation needs to reach one host, resolved from a server's
 * configuration: mha4j's own parameters first, then what MHA's {@code ssh_options} says
 * ({@code -i}, {@code -o IdentityFile}, {@code -o UserKnownHostsFile},
 * {@code -o StrictHostKeyChecking}, {@code -o ConnectTimeout}), then OpenSSH's defaults.
 *
 * @param name how messages name the target: {@code root@10.0.0.51(10.0.0.51:22)}
 * @param host the address to connect to
 * @param port the SSH port
 * @param user the login
 * @param identityFiles private keys to offer, in order
 * @param knownHostsFile where host keys are verified (and, for accept-new, recorded)
 * @param hostKeyPolicy how host keys are treated
 * @param connectTimeout bound on connecting and authenticating
 * @param keepAlive interval of keep-alive messages on the reused connection
 * @param openSshOptions the options to give an OpenSSH client that runs on a database host
 *     (for the host-to-host checks): MHA's {@code ssh_options}, plus the key and known_hosts
 *     files when they are configured (otherwise that host's own defaults apply)
 */
public record SshTarget(
        String name,
        String host,
        int port,
        String user,
        List<Path> identityFiles,
        Path knownHostsFile,
        HostKeyPolicy hostKeyPolicy,
        Duration connectTimeout,
        Duration keepAlive,
        List<String> openSshOptions) {

    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    public SshTarget {
        identityFiles = List.copyOf(identityFiles);
        openSshOptions = List.copyOf(openSshOptions);
    }

    /**
     * Resolves the SSH target of a configured server.
     *
     * @throws IllegalArgumentException if {@code ssh_options} holds a value mha4j cannot use
     */
    public static SshTarget of(ServerConfig server) {
        SshOptions options = SshOptions.parse(server.sshOptions().orElse(""));
        Path home = Path.of(System.getProperty("user.home"));
        List<Path> keys = new ArrayList<>();
        server.get(Parameter.SSH_IDENTITY_FILE).map(Path::of).ifPresent(keys::add);
        keys.addAll(options.identityFiles());
        if (keys.isEmpty()) {
            DEFAULT_KEYS.stream()
                    .map(k -> home.resolve(".ssh").resolve(k))
                    .filter(Files::isReadable)
                    .forEach(keys::add);
        }
        Path knownHosts = server.get(Parameter.SSH_KNOWN_HOSTS_FILE)
                .map(Path::of)
                .or(options::knownHostsFile)
                .orElse(home.resolve(".ssh").resolve("known_hosts"));
        HostKeyPolicy policy = server.get(Parameter.SSH_HOST_KEY_CHECKING)
                .map(HostKeyPolicy::parse)
                .or(options::hostKeyPolicy)
                .orElse(HostKeyPolicy.STRICT);
        Duration connectTimeout =
                server.origin(Parameter.SSH_CONNECTION_TIMEOUT).kind() == Origin.Kind.BUILT_IN
                        ? options.connectTimeout().orElse(server.sshConnectionTimeout())
                        : server.sshConnectionTimeout();
        String address = server.sshAddress();
        String name = server.sshUser() + "@" + server.sshHost() + "(" + address + ":" + server.sshPort() + ")";
        // An OpenSSH client on a database host uses its own ~/.ssh unless a file was configured.
        List<String> openSsh = new ArrayList<>(options.tokens());
        server.get(Parameter.SSH_IDENTITY_FILE).ifPresent(f -> openSsh.addAll(List.of("-i", f)));
        server.get(Parameter.SSH_KNOWN_HOSTS_FILE)
                .ifPresent(f -> openSsh.addAll(List.of("-o", "UserKnownHostsFile=" + f)));
        return new SshTarget(
                name,
                address,
                server.sshPort(),
                server.sshUser(),
                keys,
                knownHosts,
                policy,
                connectTimeout,
                Duration.ofSeconds(10),
                openSsh);
    }

    /** This target with another host key policy (e.g. for a one-off accept-new). */
    public SshTarget withHostKeyPolicy(HostKeyPolicy policy) {
        return new SshTarget(
                name,
                host,
                port,
                user,
                identityFiles,
                knownHostsFile,
                policy,
                connectTimeout,
                keepAlive,
                openSshOptions);
    }

    public Optional<Path> firstIdentityFile() {
        return identityFiles.stream().findFirst();
    }

    @Override
    public String toString() {
        return name;
    }
}
