package io.mha4j.manager;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.failover.FailoverReport;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the manager's tests on fakes share: servers nobody answers on, and stand-in reports. */
final class ManagerFixtures {
    private ManagerFixtures() {}

    /** {@code app1}: server1..3 on 127.0.0.1 ports that refuse connections (nobody listens), run locally. */
    static ApplicationConfig refusingServers() {
        ApplicationConfig.Builder b =
                ApplicationConfig.builder("app1").user("mha").password("pw").set(Parameter.REMOTE_SHELL, "local");
        int[] ports = refusedPorts(3);
        for (int i = 1; i <= 3; i++) {
            int port = ports[i - 1];
            b.server("server" + i, s -> s.hostname("127.0.0.1").port(port));
        }
        return b.build();
    }

    /**
     * Ports nobody listens on once this returns. All sockets are held open together so the OS
     * cannot hand out one port twice (it did in CI: "[server3] has the same address as [server2]").
     */
    private static int[] refusedPorts(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                held.add(new ServerSocket(0));
            }
            return held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a socket that never accepted: nothing to release
                }
            }
        }
    }

    /** A report of a failover of {@code deadMaster} (display name) that ended {@code outcome}, promoting {@code newMaster}. */
    static FailoverReport report(String deadMaster, Optional<String> newMaster, FailoverReport.Outcome outcome) {
        Instant now = Instant.now();
        return new FailoverReport(
                "app1",
                outcome,
                deadMaster,
                newMaster,
                "stand-in",
                Map.of(),
                Optional.empty(),
                List.of(),
                List.of(),
                Optional.empty(),
                List.of(),
                now,
                now);
    }
}
