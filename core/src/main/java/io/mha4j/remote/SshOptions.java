package io.mha4j.remote;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The parts of MHA's {@code ssh_options} (OpenSSH client options) that an SSH library must
 * honour too. Other options are kept for OpenSSH clients and otherwise ignored.
 */
record SshOptions(
        List<String> tokens,
        List<Path> identityFiles,
        Optional<Path> knownHostsFile,
        Optional<HostKeyPolicy> hostKeyPolicy,
        Optional<Duration> connectTimeout) {

    static SshOptions parse(String text) {
        List<String> tokens =
                text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
        List<Path> keys = new ArrayList<>();
        Path knownHosts = null;
        HostKeyPolicy policy = null;
        Duration timeout = null;
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            String value = null;
            if (t.equals("-i") || t.equals("-o")) {
                if (i + 1 >= tokens.size()) {
                    throw new IllegalArgumentException("ssh_options: " + t + " needs a value");
                }
                value = tokens.get(++i);
            } else if (t.startsWith("-i") || t.startsWith("-o")) {
                value = t.substring(2);
            }
            if (value == null) {
                continue;
            }
            if (t.startsWith("-i")) {
                keys.add(Path.of(value));
                continue;
            }
            int eq = value.indexOf('=');
            String key = (eq < 0 ? value : value.substring(0, eq)).toLowerCase(Locale.ROOT);
            String v = eq < 0 ? "" : value.substring(eq + 1);
            switch (key) {
                case "identityfile" -> keys.add(Path.of(v));
                case "userknownhostsfile" -> knownHosts = Path.of(v);
                case "stricthostkeychecking" -> policy = HostKeyPolicy.parse(v);
                case "connecttimeout" -> timeout = Duration.ofSeconds(Long.parseLong(v));
                default -> {
                    // Kept in tokens for the OpenSSH client on database hosts.
                }
            }
        }
        return new SshOptions(
                List.copyOf(tokens),
                List.copyOf(keys),
                Optional.ofNullable(knownHosts),
                Optional.ofNullable(policy),
                Optional.ofNullable(timeout));
    }
}
