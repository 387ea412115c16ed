package io.mha4j.internal.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.check.Finding;
import io.mha4j.check.FindingKind;
import io.mha4j.config.ApplicationConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When no master can be made out, the first error says why, naming the servers and the cause. */
class TopologyDiscoveryTest {
    private final ApplicationConfig config = ApplicationConfig.builder("app1")
            .server("server1", s -> s.hostname("127.0.0.1").port(3301))
            .server("server2", s -> s.hostname("127.0.0.1").port(3302))
            .server("server3", s -> s.hostname("127.0.0.1").port(3303))
            .build();

    @Test
    void noServerReachedSaysWhyForEach() {
        List<ServerRead> reads = List.of(
                ServerRead.failed(
                        config.servers().get(0),
                        "127.0.0.1(127.0.0.1:3301): Access denied for user 'mha'"
                                + "@'localhost' (using password: YES) (1045)"),
                ServerRead.failed(config.servers().get(1), "127.0.0.1(127.0.0.1:3302): Access denied (1045)"),
                ServerRead.failed(
                        config.servers().get(2), "127.0.0.1(127.0.0.1:3303): connect failed: connection" + " refused"));

        assertThat(noMaster(reads))
                .isEqualTo("no server could be reached: 127.0.0.1(127.0.0.1:3301): Access denied"
                        + " for user 'mha'@'localhost' (using password: YES) (1045); 127.0.0.1(127.0.0.1:3302): Access denied"
                        + " (1045); 127.0.0.1(127.0.0.1:3303): connect failed: connection refused");
    }

    @Test
    void replicasOfAServerNoBlockNamesSayWhomTheyReplicateFrom() {
        List<ServerRead> reads = List.of(
                ServerRead.failed(config.servers().get(0), "127.0.0.1(127.0.0.1:3301): connection refused"),
                read(1, FakeServer.replica(2, 3399, 9)),
                read(2, FakeServer.replica(3, 3399, 9)));

        assertThat(noMaster(reads))
                .isEqualTo(
                        "no master found: every reachable server replicates from"
                                + " 127.0.0.1:3399, which no server block of the configuration names (hostname or ip, and port)");
    }

    @Test
    void replicasOfDifferentUnknownServersAreEachNamed() {
        List<ServerRead> reads = List.of(
                read(0, FakeServer.replica(1, 3398, 8)),
                read(1, FakeServer.replica(2, 3399, 9)),
                ServerRead.failed(config.servers().get(2), "127.0.0.1(127.0.0.1:3303): connection refused"));

        assertThat(noMaster(reads))
                .isEqualTo("no master found: every reachable server replicates, and not from one"
                        + " common server (127.0.0.1(127.0.0.1:3301) from 127.0.0.1:3398, 127.0.0.1(127.0.0.1:3302) from"
                        + " 127.0.0.1:3399)");
    }

    private ServerRead read(int index, FakeServer server) {
        return new ServerRead(
                config.servers().get(index), Optional.of(server.state()), Optional.empty(), Optional.empty());
    }

    private static String noMaster(List<ServerRead> reads) {
        TopologyDiscovery.Result result = TopologyDiscovery.discover(reads);
        assertThat(result.topology()).isEmpty();
        return result.findings().stream()
                .filter(f -> f.kind() == FindingKind.NO_MASTER)
                .map(Finding::message)
                .findFirst()
                .orElseThrow();
    }
}
