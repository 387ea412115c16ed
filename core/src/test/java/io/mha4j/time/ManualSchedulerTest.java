package io.mha4j.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {
    private final ManualScheduler time = new ManualScheduler();
    private final List<String> ran = new ArrayList<>();

    private Runnable record(String name) {
        return () -> ran.add(name + "@"
                + Duration.between(ManualScheduler.EPOCH, time.clock().instant())
                        .toMillis());
    }

    @Test
    void nothingRunsUntilTimeAdvances() {
        time.schedule(record("a"), Duration.ZERO);
        assertThat(ran).isEmpty();
        assertThat(time.pending()).isEqualTo(1);
        time.advance(Duration.ZERO);
        assertThat(ran).containsExactly("a@0");
        assertThat(time.pending()).isZero();
    }

    @Test
    void tasksRunInTimeOrderEachAtItsOwnTime() {
        time.schedule(record("late"), Duration.ofSeconds(3));
        time.schedule(record("early"), Duration.ofSeconds(1));
        time.schedule(record("early-too"), Duration.ofSeconds(1));
        time.advance(Duration.ofSeconds(5));
        assertThat(ran).containsExactly("early@1000", "early-too@1000", "late@3000");
        assertThat(time.now()).isEqualTo(ManualScheduler.EPOCH.plusSeconds(5));
    }

    @Test
    void aTaskThatReschedulesItselfRunsAtEachPeriodWithinTheAdvance() {
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            record("tick").run();
            time.schedule(tick[0], Duration.ofSeconds(3));
        };
        time.schedule(tick[0], Duration.ZERO);
        time.advance(Duration.ofSeconds(9));
        assertThat(ran).containsExactly("tick@0", "tick@3000", "tick@6000", "tick@9000");
        assertThat(time.nextDue()).isEqualTo(ManualScheduler.EPOCH.plusSeconds(12));
    }

    @Test
    void aCancelledTaskNeverRuns() {
        Cancellable c = time.schedule(record("a"), Duration.ofSeconds(1));
        c.cancel();
        time.advance(Duration.ofSeconds(2));
        assertThat(ran).isEmpty();
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheOthers() {
        time.schedule(
                () -> {
                    throw new IllegalStateException("boom");
                },
                Duration.ZERO);
        time.schedule(record("b"), Duration.ZERO);
        time.advance(Duration.ZERO);
        assertThat(ran).containsExactly("b@0");
    }

    @Test
    void afterCloseNothingRunsOrIsScheduled() {
        time.schedule(record("a"), Duration.ZERO);
        time.close();
        time.schedule(record("b"), Duration.ZERO);
        time.advance(Duration.ofSeconds(1));
        assertThat(ran).isEmpty();
        assertThat(time.pending()).isZero();
    }

    @Test
    void timeDoesNotGoBack() {
        assertThatThrownBy(() -> time.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ManualScheduler(Instant.EPOCH).clock().instant()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void sleepMovesVirtualTimeOnTheSleepingThreadRunningWhatFallsDue() {
        time.schedule(record("due"), Duration.ofMillis(300));
        time.sleep(Duration.ofSeconds(1));
        assertThat(ran).containsExactly("due@300");
        assertThat(time.now()).isEqualTo(ManualScheduler.EPOCH.plusSeconds(1));
    }

    @Test
    void threadsSleepingAtOnceNeverMoveTimeBack() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> sleepers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                sleepers.add(pool.submit(() -> {
                    for (int k = 0; k < 500; k++) {
                        Instant before = time.now();
                        time.sleep(Duration.ofMillis(20));
                        assertThat(time.now()).isAfterOrEqualTo(before.plusMillis(20));
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : sleepers) {
                f.get(); // rethrows a sleeper's failed assertion
            }
        } finally {
            pool.shutdownNow();
        }
        // Sleeps take turns, each moving time by exactly its own 20 ms: 4 × 500 × 20 ms, repeatably.
        assertThat(time.now()).isEqualTo(ManualScheduler.EPOCH.plusSeconds(40));
    }
}
