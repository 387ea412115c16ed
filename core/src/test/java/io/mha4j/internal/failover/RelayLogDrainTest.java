package io.mha4j.internal.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.time.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Phase 3's drain: applied, stopped on an error, or gone — decided at the first poll that shows it. */
class RelayLogDrainTest {
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final FailoverSetup setup = new FailoverSetup(
            ScriptedReplica.CONFIG,
            new ManualScheduler(),
            null,
            pool,
            null,
            null,
            null,
            null,
            null,
            null,
            Duration.ofMinutes(10));

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void eachReplicaEndsAppliedStoppedOrGoneWithoutWaitingForApplyTimeout() {
        ScriptedReplica applied = new ScriptedReplica();
        ScriptedReplica stopped = new ScriptedReplica();
        ScriptedReplica frozen = new ScriptedReplica();
        List<Survivor> replicas = List.of(applied.survivor(), stopped.survivor(), frozen.survivor());
        stopped.appliedAll = false;
        stopped.sqlStops(1062, "Duplicate entry");
        frozen.freeze();

        List<RelayLogDrain.Drained> drained = RelayLogDrain.all(replicas, setup);

        assertThat(drained.get(0).applied()).isTrue();
        assertThat(drained.get(0).gone()).isEmpty();
        assertThat(drained.get(1).applied()).isFalse();
        assertThat(drained.get(1).gone()).isEmpty();
        assertThat(drained.get(1)
                        .survivor()
                        .state()
                        .replica()
                        .orElseThrow()
                        .lastSqlError()
                        .errno())
                .isEqualTo(1062);
        assertThat(drained.get(2).gone())
                .hasValueSatisfying(why -> assertThat(why)
                        .startsWith(
                                "stopped answering within 500 ms (replica_read_timeout) while applying its relay log"));
    }
}
