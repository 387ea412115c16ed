package io.mha4j.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.SandboxConfigs;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.failover.FailoverPhase;
import io.mha4j.manager.ManagerEvent;
import io.mha4j.manager.ManagerOptions;
import io.mha4j.manager.MhaManager;
import io.mha4j.testkit.SandboxCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The meters of a real manager through a real failover (kill -9 of the master), on a {@link SimpleMeterRegistry}. */
class MhaMetricsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path workdir;

    @Test
    void pingsVerdictsTheFailoverItsPhasesAndReplicaLag() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<ManagerEvent> events = new CopyOnWriteArrayList<>();
        Instant before = Instant.now();
        try (SandboxCluster cluster =
                SandboxCluster.builder().nodes(3).startsReadOnly(false).start()) {
            ApplicationConfig.Builder config = SandboxConfigs.builder(
                            cluster,
                            workdir,
                            (n, s) -> s.masterBinlogDirs(List.of(n.dataDir().toString())))
                    .pingInterval(1);
            MhaManager manager = MhaMetrics.of(registry, "app1")
                    .bind(MhaManager.builder(config.build()))
                    .workdir(workdir)
                    .options(ManagerOptions.DEFAULTS.withSkipSshCheck(true))
                    .listener(events::add)
                    .build();
            try {
                manager.start();
                manager.awaitMonitoring(WAIT);
                await().atMost(WAIT)
                        .until(() -> registry.get("mha4j.ping")
                                        .tags("result", "ok")
                                        .timer()
                                        .count()
                                > 0);
                assertThat(registry.get("mha4j.replica.lag")
                                .tags("server", "server2")
                                .gauge()
                                .value())
                        .isZero();
                assertThat(registry.get("mha4j.replica.lag")
                                .tags("server", "server3")
                                .gauge()
                                .value())
                        .isZero();

                cluster.node(1).kill();
                await().atMost(WAIT)
                        .until(() -> events.stream()
                                        .filter(e -> e instanceof ManagerEvent.MonitoringStarted)
                                        .count()
                                == 2);
                await().atMost(WAIT)
                        .until(() -> registry.get("mha4j.master.alive").gauge().value() == 1);
            } finally {
                manager.close();
            }
        }
        assertThat(registry.get("mha4j.verdicts")
                        .tags("application", "app1", "kind", "DEAD")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("mha4j.failovers")
                        .tags("outcome", "SUCCEEDED")
                        .timer()
                        .count())
                .isEqualTo(1);
        for (FailoverPhase phase : FailoverPhase.values()) {
            assertThat(registry.get("mha4j.failover.phase")
                            .tags("phase", phase.name())
                            .timer()
                            .count())
                    .as(phase.name())
                    .isEqualTo(1);
        }
        double last = registry.get("mha4j.failover.last").gauge().value();
        assertThat(last).isBetween(before.toEpochMilli() / 1000.0, Instant.now().toEpochMilli() / 1000.0);
        assertThat(registry.get("mha4j.master.alive").gauge().value())
                .as("nobody watches after close")
                .isNaN();
        String promoted = events.stream()
                .filter(e -> e instanceof ManagerEvent.MasterChanged)
                .map(e -> ((ManagerEvent.MasterChanged) e).newMaster().block())
                .findFirst()
                .orElseThrow();
        assertThat(registry.get("mha4j.replica.lag")
                        .tags("server", promoted)
                        .gauge()
                        .value())
                .as("the new master is no replica")
                .isNaN();
    }
}
