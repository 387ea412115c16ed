package io.mha4j.internal.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.remote.FakeShells;
import io.mha4j.remote.RemoteShells;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Keeping the master's host ready for a failover, and stopping that with the monitor. */
class StandardProbesTest {
    private static final ApplicationConfig CONFIG = ApplicationConfig.builder("app1")
            .pingInterval(3)
            .server("server1", s -> s.hostname("10.0.0.51"))
            .server("server2", s -> s.hostname("10.0.0.52"))
            .build();
    private static final ServerConfig MASTER = CONFIG.servers().get(0);

    @Test
    void closingWaitsForAPreparationUnderWaySoThatNoneOutlivesTheMonitor() throws Exception {
        CountDownLatch preparing = new CountDownLatch(1);
        AtomicBoolean ended = new AtomicBoolean();
        FakeShells provider = new FakeShells(timeout -> {
            preparing.countDown();
            try {
                // A warm shell's start waits for the login shell: until interrupted here.
                new CountDownLatch(1).await(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return "started";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            } finally {
                ended.set(true);
            }
        });
        try (RemoteShells shells = new RemoteShells(provider)) {
            StandardProbes probes =
                    new StandardProbes(CONFIG, MASTER, Duration.ofSeconds(3), shells, Clock.systemUTC());
            probes.keepReady();
            assertThat(preparing.await(10, TimeUnit.SECONDS)).isTrue();

            probes.close();

            assertThat(ended).as("the preparation ended before close returned").isTrue();
        }
    }
}
