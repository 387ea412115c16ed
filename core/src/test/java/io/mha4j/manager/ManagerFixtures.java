package io.mha4j.manager;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.failover.FailoverReport;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
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
        for (int i = 1; i <= 3; i++) {
            int port = refusedPort();
            b.server("server" + i, s -> s.hostname("127.0.0.1").port(port));
        }
        return b.build();
    }

    private static int refusedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
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
