package io.mha4j.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SystemSchedulerTest {

    @Test
    void runsTasksOnOneNamedDaemonThread() throws Exception {
        try (Scheduler s = Scheduler.system("mha4j-test-scheduler")) {
            AtomicReference<Thread> thread = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            s.schedule(
                    () -> {
                        thread.set(Thread.currentThread());
                        done.countDown();
                    },
                    Duration.ofMillis(10));
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(thread.get().getName()).isEqualTo("mha4j-test-scheduler");
            assertThat(thread.get().isDaemon()).isTrue();
        }
    }

    @Test
    void aTaskThatThrowsDoesNotKillTheScheduler() throws Exception {
        try (Scheduler s = Scheduler.system("mha4j-test-scheduler")) {
            s.schedule(
                    () -> {
                        throw new IllegalStateException("boom");
                    },
                    Duration.ZERO);
            CountDownLatch after = new CountDownLatch(1);
            s.schedule(after::countDown, Duration.ofMillis(5));
            assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aCancelledTaskDoesNotRunAndCloseStopsEverything() {
        Scheduler s = Scheduler.system("mha4j-test-scheduler");
        AtomicReference<String> ran = new AtomicReference<>();
        s.schedule(() -> ran.set("cancelled"), Duration.ofMillis(50)).cancel();
        s.schedule(() -> ran.set("closed"), Duration.ofMillis(50));
        s.close();
        s.schedule(() -> ran.set("after close"), Duration.ZERO).cancel();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> ran.get() == null);
        assertThat(s.clock().instant()).isNotNull();
    }
}
