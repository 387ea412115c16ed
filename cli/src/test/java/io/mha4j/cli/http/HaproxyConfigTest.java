package io.mha4j.cli.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HaproxyConfigTest {
    private static final Path DOC =
            Path.of("../docs/haproxy.md").toAbsolutePath().normalize();

    /** docs/haproxy.md's example: the manager on 10.0.0.10:8008, servers on .11–.13, HAProxy on .5. */
    static HaproxyConfig example() {
        Map<String, InetSocketAddress> servers = new LinkedHashMap<>();
        for (int i = 1; i <= 3; i++) {
            servers.put("server" + i, InetSocketAddress.createUnresolved("10.0.0.1" + i, 3306));
        }
        return new HaproxyConfig(
                InetSocketAddress.createUnresolved("10.0.0.5", 3306),
                InetSocketAddress.createUnresolved("10.0.0.5", 3307),
                InetSocketAddress.createUnresolved("10.0.0.10", 8008),
                InetSocketAddress.createUnresolved("127.0.0.1", 8404),
                servers);
    }

    @Test
    void theDocumentationShowsExactlyWhatIsRendered() throws IOException {
        String doc = Files.readString(DOC);
        int start = doc.indexOf("```haproxy\n");
        assertThat(start).as("a haproxy block in " + DOC).isNotNegative();
        String block = doc.substring(start + "```haproxy\n".length(), doc.indexOf("```", start + 3));

        assertThat(example().render()).isEqualTo(block);
    }

    @Test
    void everyServerIsNamedAfterItsBlockInBothBackends() {
        String cfg = example().render();

        assertThat(cfg).containsOnlyOnce("http-check send meth GET uri-lf /master/%[srv_name]");
        assertThat(cfg).containsOnlyOnce("http-check send meth GET uri-lf /replica/%[srv_name]");
        assertThat(cfg.split("    server server2 10.0.0.12:3306\n", -1)).hasSize(3);
        assertThat(cfg).contains("check port 8008 addr 10.0.0.10 ");
    }

    @Test
    void noServerIsAnError() {
        InetSocketAddress a = InetSocketAddress.createUnresolved("127.0.0.1", 1);
        assertThatThrownBy(() -> new HaproxyConfig(a, a, a, a, Map.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
