package io.mha4j.internal.monitor;

import io.mha4j.config.ServerConfig;
import io.mha4j.monitor.Evidence;
import io.mha4j.monitor.MonitorProbes;
import io.mha4j.monitor.PingOutcome;
import io.mha4j.monitor.ReplicaView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * Everything the monitor gathers from the first failed ping until a ping succeeds again: the
 * count, the last failure, each replica's samples since the first failure, and the slow second
 * opinions started at the first failure. Used by the monitor's thread only.
 */
final class FailingWindow {
    private final ExecutorService pool;
    private final MonitorProbes probes;
    private final List<ReplicaWatch> replicas;
    private final Duration advanceWindow;
    private SecondOpinions opinions;
    private int failedPings;
    private PingOutcome last;

    /**
     * @param advanceWindow how long an observed advance of a replica counts as "still replicating"
     */
    FailingWindow(ExecutorService pool, MonitorProbes probes, List<ServerConfig> replicas, Duration advanceWindow) {
        this.pool = pool;
        this.probes = probes;
        this.replicas = replicas.stream().map(ReplicaWatch::new).toList();
        this.advanceWindow = advanceWindow;
        this.opinions = SecondOpinions.start(pool, probes);
    }

    /** Counts a failed ping. */
    void failed(PingOutcome outcome) {
        failedPings++;
        last = outcome;
    }

    int failedPings() {
        return failedPings;
    }

    /**
     * Reads every replica now (in parallel, within {@code replicaWait}) and puts together what is
     * known. A replica that does not answer in time counts as unreadable this time; its read goes
     * on and is collected at the next failed ping.
     *
     * @param replicaWait how long this round of replica reads may take
     * @param opinionWaitSsh how long to wait for SSH's answer (zero: only if it is in)
     * @param opinionWaitScript how long to wait for the secondary check (zero: only if it is in)
     */
    Evidence evidence(Instant now, Duration replicaWait, Duration opinionWaitSsh, Duration opinionWaitScript) {
        replicas.forEach(r -> r.startRead(pool, probes, now));
        long deadline = System.nanoTime() + replicaWait.toNanos();
        List<ReplicaView> views = replicas.stream()
                .map(r -> r.collect(deadline, now, advanceWindow))
                .toList();
        return new Evidence(
                last.failure(),
                last.detail(),
                views,
                opinions.ssh(opinionWaitSsh),
                opinions.secondary(opinionWaitScript));
    }

    /** Asks SSH and the secondary check again, for the next judgement. */
    void restartOpinions() {
        opinions.cancel();
        opinions = SecondOpinions.start(pool, probes);
    }

    /** The failure is over (or the monitor stops): calls off what still runs. */
    void close() {
        opinions.cancel();
        replicas.forEach(ReplicaWatch::cancel);
    }
}
