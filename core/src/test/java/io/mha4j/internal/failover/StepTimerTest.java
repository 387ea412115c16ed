package io.mha4j.internal.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.mha4j.failover.TimedStep;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StepTimerTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private String step(StepTimer steps, String name, long runsMillis, long thenIdleMillis) {
        String done = steps.time(
                name,
                () -> {
                    now.addAndGet(Duration.ofMillis(runsMillis).toNanos());
                    return name;
                },
                n -> n + " done");
        now.addAndGet(Duration.ofMillis(thenIdleMillis).toNanos());
        return done;
    }

    @Test
    void stepsOneAfterAnotherAddUpToTheWholeTimeWhatRunsBetweenThemIncluded() {
        StepTimer steps = StepTimer.oneAfterAnother("db1: compensation", now::get);
        now.addAndGet(Duration.ofMillis(3).toNanos()); // before the first step: counted in it

        step(steps, "tool", 100, 40); // 40 ms of checking between the tool and the replay
        step(steps, "replay", 60, 0);

        assertThat(steps.list())
                .extracting(TimedStep::name, TimedStep::took)
                .containsExactly(tuple("tool", Duration.ofMillis(103)), tuple("replay", Duration.ofMillis(100)));
    }

    @Test
    void stepsAtOnceAreEachTimedFromTheirOwnStart() {
        StepTimer steps = new StepTimer("db1: phase 2", now::get);
        now.addAndGet(Duration.ofMillis(3).toNanos());

        step(steps, "sql", 10, 40);
        step(steps, "ssh", 20, 0);

        assertThat(steps.list())
                .extracting(TimedStep::took)
                .containsExactly(Duration.ofMillis(10), Duration.ofMillis(20));
    }
}
