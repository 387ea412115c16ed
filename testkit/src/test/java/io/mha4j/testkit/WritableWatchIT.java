package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The watch sees every writable node through its Unix socket, round by round, and survives paused and restarted nodes. */
class WritableWatchIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void countsTheRoundsWithTwoWritableNodesAndKeepsWatchingPausedAndRestartedNodes() {
        long begin = System.nanoTime();
        try (SandboxCluster cluster =
                        SandboxCluster.builder().nodes(3).startsReadOnly(false).start();
                WritableWatch watch = WritableWatch.start(cluster.nodes())) {
            await().atMost(WAIT).until(() -> watch.rounds() >= 5);
            assertThat(watch.dualWritable()).isEmpty();
            assertThat(watch.firstWritable(cluster.node(1), begin)).isPresent();

            cluster.node(3).pause();
            long paused = System.nanoTime();
            await().atMost(WAIT).until(() -> watch.rounds() >= 10);
            assertThat(watch.firstWritable(cluster.node(3), paused)).isEmpty();
            cluster.node(3).resume();

            long before = System.nanoTime();
            cluster.node(2).execute("SET GLOBAL read_only=OFF");
            await().atMost(WAIT).until(() -> watch.dualWritableRounds(before) >= 3);
            assertThat(watch.dualWritable().get(0).nodes()).containsExactly("node1", "node2");
            assertThat(watch.firstWritable(cluster.node(2), before)).isPresent();
            cluster.node(2).execute("SET GLOBAL read_only=ON");

            cluster.node(3).kill();
            long restarted = System.nanoTime();
            cluster.node(3).start();
            await("node3, restarted writable, seen again")
                    .atMost(WAIT)
                    .until(() -> watch.firstWritable(cluster.node(3), restarted).isPresent());
            await().atMost(WAIT)
                    .until(() -> watch.dualWritable().stream()
                            .anyMatch(d -> d.nodes().contains("node3")));
        }
    }
}
