package io.mha4j.ssh;

import static io.mha4j.ssh.TestKeys.ED25519_A;
import static io.mha4j.ssh.TestKeys.ED25519_B;
import static io.mha4j.ssh.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.remote.HostKeyPolicy;
import io.mha4j.remote.SshTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostKeyCheckTest {

    @TempDir
    Path dir;

    private SshTarget target(Path knownHosts, HostKeyPolicy policy) {
        return new SshTarget(
                "root@db1(db1:22)",
                "db1",
                22,
                "root",
                List.of(),
                knownHosts,
                policy,
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                List.of());
    }

    @Test
    void strictRefusesAnUnknownHostAndRemembersItWasUnknown() throws Exception {
        Path file = dir.resolve("known_hosts");
        HostKeyCheck check = HostKeyCheck.of(target(file, HostKeyPolicy.STRICT));

        assertThat(check.verify("db1", 22, key(ED25519_A))).isFalse();
        assertThat(check.seen()).get().extracting(HostKeyCheck.Seen::verdict).isEqualTo(HostKeyVerdict.UNKNOWN);
        assertThat(file).doesNotExist();
    }

    @Test
    void acceptNewRecordsAndAcceptsAnUnknownHost() throws Exception {
        Path file = dir.resolve("known_hosts");
        HostKeyCheck check = HostKeyCheck.of(target(file, HostKeyPolicy.ACCEPT_NEW));

        assertThat(check.verify("db1", 22, key(ED25519_A))).isTrue();
        assertThat(Files.readAllLines(file)).containsExactly("db1 " + ED25519_A);
    }

    @Test
    void acceptNewRefusesAChangedKeyAndLeavesTheFileAlone() throws Exception {
        Path file = Files.writeString(dir.resolve("known_hosts"), "db1 " + ED25519_A + "\n");
        HostKeyCheck check = HostKeyCheck.of(target(file, HostKeyPolicy.ACCEPT_NEW));

        assertThat(check.verify("db1", 22, key(ED25519_B))).isFalse();
        assertThat(check.seen()).get().extracting(HostKeyCheck.Seen::verdict).isEqualTo(HostKeyVerdict.CHANGED);
        assertThat(Files.readAllLines(file)).containsExactly("db1 " + ED25519_A);
    }

    @Test
    void offAcceptsAnyKeyAndRecordsNothing() throws Exception {
        Path file = Files.writeString(dir.resolve("known_hosts"), "db1 " + ED25519_A + "\n");
        HostKeyCheck check = HostKeyCheck.of(target(file, HostKeyPolicy.OFF));

        assertThat(check.verify("db1", 22, key(ED25519_B))).isTrue();
        assertThat(check.findExistingAlgorithms("db1", 22)).isEmpty();
        assertThat(Files.readAllLines(file)).containsExactly("db1 " + ED25519_A);
    }
}
