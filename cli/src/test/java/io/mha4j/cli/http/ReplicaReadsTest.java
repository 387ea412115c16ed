package io.mha4j.cli.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.manager.ManagerEvent;
import io.mha4j.server.ReplicaReading;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The replicas' reads in virtual time: reads are queued tasks the test runs, or leaves hanging. */
class ReplicaReadsTest {
    private final ApplicationConfig config = ServerHealthTest.threeServers("10");
    private final ServerHealth health = new ServerHealth(config);
    private final List<Runnable> started = new ArrayList<>();
    private final Map<String, Integer> readCount = new HashMap<>();
    private final AtomicLong now = new AtomicLong();
    private final ReplicaReads reads = new ReplicaReads(
            health,
            replica -> {
                readCount.merge(replica.block(), 1, Integer::sum);
                return ReplicaReading.lagging(Duration.ZERO);
            },
            started::add,
            now::get,
            Duration.ofSeconds(5));

    @Test
    void aReplicaThatDoesNotAnswerLeavesTheReadsAndDelaysNoOther() {
        ServerConfig server1 = config.server("server1").orElseThrow();
        health.onEvent(new ManagerEvent.MonitoringStarted(
                Instant.now(),
                server1,
                List.of(
                        config.server("server2").orElseThrow(),
                        config.server("server3").orElseThrow()),
                List.of()));

        reads.tick();
        assertThat(started).hasSize(2);
        started.get(0).run(); // server2 answers; server3's read hangs
        assertThat(health.replica("server2").status()).isEqualTo(200);
        assertThat(health.replica("server3").body()).isEqualTo("a replica, not read yet");

        for (int second = 1; second <= 6; second++) {
            now.set(Duration.ofSeconds(second).toNanos());
            started.clear();
            reads.tick();
            started.forEach(Runnable::run);
        }

        assertThat(readCount).containsEntry("server2", 7).doesNotContainKey("server3");
        assertThat(health.replica("server2").status()).isEqualTo(200);
        assertThat(health.replica("server3").body())
                .isEqualTo("a replica taking no reads: no answer to a read of its replication for 6 s");
    }

    @Test
    void noReplicaIsReadOnceTheManagerStopped() {
        health.onEvent(new ManagerEvent.MonitoringStarted(
                Instant.now(),
                config.server("server1").orElseThrow(),
                List.of(config.server("server2").orElseThrow()),
                List.of()));
        health.onEvent(new ManagerEvent.Stopped(Instant.now(), 0, "stop requested"));

        reads.tick();

        assertThat(started).isEmpty();
    }
}
