package io.mha4j.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.check.ReplicationHealth;
import io.mha4j.check.Topology;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverGuard;
import io.mha4j.failover.FailoverPhase;
import io.mha4j.failover.FailoverReport;
import io.mha4j.manager.ManagerEvent;
import io.mha4j.monitor.Evidence;
import io.mha4j.monitor.PingOutcome;
import io.mha4j.monitor.Verdict;
import io.mha4j.monitor.VerdictKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Events in, meters out, on a {@link SimpleMeterRegistry}; the real failover is {@code MhaMetricsIT}'s. */
class MhaMetricsTest {
    private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MhaMetrics metrics = MhaMetrics.of(registry, "app1");
    private final ApplicationConfig config = ApplicationConfig.builder("app1")
            .server("server1", s -> s.hostname("db1"))
            .server("server2", s -> s.hostname("db2"))
            .server("server3", s -> s.hostname("db3"))
            .build();

    private ServerConfig server(int i) {
        return config.server("server" + i).orElseThrow();
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags("application", "app1").tags(tags).gauge().value();
    }

    @Test
    void pingsAndVerdicts() {
        assertThat(gauge("mha4j.master.alive"))
                .as("unknown before the first verdict")
                .isNaN();
        metrics.onPing(new PingOutcome(T0, true, Optional.empty(), "ok", Duration.ofMillis(3), OptionalInt.empty()));
        metrics.onPing(new PingOutcome(T0, true, Optional.empty(), "ok", Duration.ofMillis(5), OptionalInt.empty()));
        metrics.onPing(
                new PingOutcome(T0, false, Optional.empty(), "refused", Duration.ofMillis(1), OptionalInt.empty()));
        metrics.onEvent(new ManagerEvent.VerdictChanged(
                T0, new Verdict(VerdictKind.FAILING, server(1), T0, 1, "refused", Evidence.NONE)));

        assertThat(registry.get("mha4j.ping").tags("result", "ok").timer().count())
                .isEqualTo(2);
        assertThat(registry.get("mha4j.ping").tags("result", "ok").timer().totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(8);
        assertThat(registry.get("mha4j.ping").tags("result", "failed").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("mha4j.verdicts")
                        .tags("kind", "FAILING")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(gauge("mha4j.master.alive")).isZero();
        metrics.onEvent(new ManagerEvent.VerdictChanged(
                T0, new Verdict(VerdictKind.ALIVE, server(1), T0, 0, "answered", Evidence.NONE)));
        assertThat(gauge("mha4j.master.alive")).isEqualTo(1);
        metrics.onEvent(new ManagerEvent.Stopped(T0, 0, "stopped"));
        assertThat(gauge("mha4j.master.alive")).as("nobody watches it any more").isNaN();
    }

    @Test
    void aFailoverItsPhasesAndWhenItEnded() {
        assertThat(gauge("mha4j.failover.last")).isNaN();
        metrics.onEvent(new ManagerEvent.PhaseEnded(T0, FailoverPhase.CHECK, Duration.ofMillis(40)));
        metrics.onEvent(new ManagerEvent.PhaseEnded(T0, FailoverPhase.RECOVER_NEW_MASTER, Duration.ofMillis(300)));
        Instant ended = T0.plusMillis(1500);
        FailoverReport report = new FailoverReport(
                "app1",
                FailoverReport.Outcome.PARTIAL,
                server(1).displayName(),
                Optional.of(server(2).displayName()),
                "latest",
                Map.of(),
                Optional.empty(),
                List.of(),
                List.of(),
                Optional.empty(),
                List.of("server3 not rewired"),
                T0,
                ended);
        metrics.onEvent(new ManagerEvent.FailoverEnded(ended, server(1), Optional.of(server(2)), report));
        metrics.onEvent(new ManagerEvent.FailoverBlocked(
                ended,
                server(2),
                new FailoverGuard.Block(
                        FailoverGuard.Block.Kind.TOO_EARLY,
                        Path.of("app1.failover.complete"),
                        Optional.of(T0),
                        "too early")));
        metrics.onEvent(new ManagerEvent.FailoverWithheld(
                ended,
                server(2),
                ManagerEvent.FailoverWithheld.Reason.CUT_OFF,
                "this manager is cut off from the other managers"));

        assertThat(registry.get("mha4j.failover.phase")
                        .tags("phase", "RECOVER_NEW_MASTER")
                        .timer()
                        .totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(300);
        assertThat(registry.get("mha4j.failovers")
                        .tags("outcome", "PARTIAL")
                        .timer()
                        .totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(1500);
        assertThat(gauge("mha4j.failover.last")).isEqualTo(ended.toEpochMilli() / 1000.0);
        assertThat(registry.get("mha4j.failovers.blocked").counter().count()).isEqualTo(1);
        assertThat(registry.get("mha4j.failovers.withheld")
                        .tags("reason", "CUT_OFF")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void replicaLagFromEachCheckAndNanOnceAServerLeft() {
        metrics.onEvent(new ManagerEvent.Checked(T0, health(server(1), List.of(server(2), server(3)))));
        assertThat(gauge("mha4j.replica.lag", "server", "server2"))
                .as("no state read: unknown")
                .isNaN();

        metrics.onEvent(new ManagerEvent.Checked(T0, health(server(2), List.of(server(3)))));
        assertThat(gauge("mha4j.replica.lag", "server", "server2"))
                .as("the master now")
                .isNaN();
        assertThat(registry.find("mha4j.replica.lag").gauges()).hasSize(2);
    }

    private static ReplicationHealth health(ServerConfig master, List<ServerConfig> replicas) {
        return new ReplicationHealth(
                Optional.of(new Topology(master, replicas, List.of(), Map.of())), List.of(), Duration.ZERO);
    }
}
