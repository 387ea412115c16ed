package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MariadbFlavorTest {

    @TempDir
    Path node;

    @Test
    void mariadb1011NodesKeepTheServersDefaultOfNoTls() throws Exception {
        MariadbFlavor flavor = new MariadbFlavor("10.11.19-MariaDB-0+deb12u1");

        flavor.prepareNode(node);

        assertThat(flavor.nodeOptions(node)).isEmpty();
        try (var files = Files.list(node)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void mariadb114NodesGetACertificateSoTheServerNeedNotMakeOneAtEveryStart() throws Exception {
        MariadbFlavor flavor = new MariadbFlavor("11.4.5-MariaDB");

        flavor.prepareNode(node);

        assertThat(flavor.nodeOptions(node))
                .containsExactly(
                        "--ssl-cert=" + node.resolve("tls-cert.pem"), "--ssl-key=" + node.resolve("tls-key.pem"));
        assertThat(node.resolve("tls-cert.pem")).content().startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(node.resolve("tls-key.pem")).content().startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void versionsCompareByMajorThenMinor() {
        assertThat(MariadbFlavor.atLeast("11.4.5-MariaDB", 11, 4)).isTrue();
        assertThat(MariadbFlavor.atLeast("12.0.1-MariaDB", 11, 4)).isTrue();
        assertThat(MariadbFlavor.atLeast("11.3.2-MariaDB", 11, 4)).isFalse();
        assertThat(MariadbFlavor.atLeast("10.11.19-MariaDB", 11, 4)).isFalse();
    }
}
