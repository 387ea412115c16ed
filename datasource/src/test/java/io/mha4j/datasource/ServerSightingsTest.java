package io.mha4j.datasource;

import static io.mha4j.datasource.ThreeServers.SERVER1;
import static io.mha4j.datasource.ThreeServers.SERVER2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.server.ReplicaReading;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The rounds of reads with a server that never answers: bounded, and never two reads of it at once. */
class ServerSightingsTest {
    private static final Duration BOUND = Duration.ofMillis(200);

    @Test
    void aServerThatNeverAnswersIsUnreadableWithinTheBoundAndIsNotReadAgainMeanwhile() throws Exception {
        CountDownLatch frozen = new CountDownLatch(1);
        AtomicInteger readsOfServer1 = new AtomicInteger();
        try (ServerSightings sightings = new ServerSightings("app1", BOUND, server -> {
            if (server == SERVER1) {
                readsOfServer1.incrementAndGet();
                try {
                    frozen.await(30, TimeUnit.SECONDS); // a SIGSTOPped server: TCP accepted, no answer
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new Sighting(
                    server, Optional.empty(), false, 2, Optional.empty(), ReplicaReading.broken("not a replica"));
        })) {
            long start = System.nanoTime();
            List<Sighting> first = sightings.read(List.of(SERVER1, SERVER2));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(first.get(0).unreadable()).contains("no answer within 200 ms");
            assertThat(first.get(1).unreadable())
                    .as("the others are read meanwhile")
                    .isEmpty();

            List<Sighting> second = sightings.read(List.of(SERVER1, SERVER2));
            assertThat(second.get(0).unreadable()).contains("its previous read has not answered yet");
            assertThat(readsOfServer1)
                    .as("no second read piled on the stuck one")
                    .hasValue(1);

            frozen.countDown();
            // The stuck read may still be finishing as the next round begins.
            await("read again once it answered")
                    .pollInSameThread()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> sightings
                            .read(List.of(SERVER1, SERVER2))
                            .get(0)
                            .unreadable()
                            .isEmpty());
            assertThat(readsOfServer1).hasValue(2);
        }
    }
}
