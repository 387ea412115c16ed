package io.mha4j.internal.monitor;

import io.mha4j.config.ServerConfig;
import io.mha4j.monitor.MonitorProbes;
import io.mha4j.monitor.ReplicaSample;
import io.mha4j.monitor.ReplicaView;
import io.mha4j.server.ReplicaStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One replica watched while the master's pings fail: its samples in time, and whether what it
 * receives from the master moved. "Advancing" means it moved within the last {@code window}
 * (the detection window, {@code ping_failure_limit × ping_interval}): a replica that received
 * a heartbeat or an event since the first failed ping proves the master alive, and keeps
 * proving it only while such proof keeps coming.
 *
 * <p>"Silent" means it stayed connected and received nothing at all since {@code silentSince},
 * for longer than its heartbeat period allows a live master ({@link HeartbeatEvidence}): then
 * it proves the master silent, and its older advances no longer count.
 *
 * <p>At most one read per replica is in flight: a replica slower than one ping keeps its read
 * and counts as unreadable until it answers. Used by the monitor's thread only.
 */
final class ReplicaWatch {
    private final ServerConfig replica;
    private Future<ReplicaSample> inFlight;
    /** When the read in flight was started (the monitor's clock): its answer is from then or later. */
    private Instant inFlightSince;

    private ReplicaSample last;
    private Instant lastAdvance;
    /** The time of the first sample of the current run of unchanged samples. */
    private Instant silentSince;

    ReplicaWatch(ServerConfig replica) {
        this.replica = replica;
    }

    /** Starts a read unless the previous one still runs. */
    void startRead(ExecutorService pool, MonitorProbes probes, Instant now) {
        if (inFlight == null || inFlight.isDone()) {
            inFlight = pool.submit(() -> probes.readReplica(replica));
            inFlightSince = now;
        }
    }

    /**
     * The replica's view, waiting for the read until {@code deadlineNanos} ({@link System#nanoTime()}).
     *
     * @param now the monitor's time of this sample
     * @param window how long an observed advance counts as "advancing"
     */
    ReplicaView collect(long deadlineNanos, Instant now, Duration window) {
        String name = replica.displayName();
        ReplicaSample sample;
        try {
            sample = inFlight.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return ReplicaView.unreadable(name, "no answer in time");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return ReplicaView.unreadable(name, String.valueOf(cause.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ReplicaView.unreadable(name, "interrupted");
        } catch (java.util.concurrent.CancellationException e) {
            return ReplicaView.unreadable(name, "the monitor is closing");
        }
        if (last != null && sample.receivedSince(last)) {
            lastAdvance = now;
        }
        if (last == null || !sample.unchangedSince(last)) {
            // Counted from when the sample was collected (it was taken then or before) to when the
            // latest read started (it was taken then or after): never longer than the real silence.
            silentSince = now;
        }
        last = sample;
        Duration silence = Duration.between(silentSince, inFlightSince);
        boolean overdue = sample.ioThread() == ReplicaStatus.IoThread.RUNNING
                && sample.receivedHeartbeats().isPresent()
                && sample.heartbeatPeriod()
                        .filter(p -> silence.compareTo(HeartbeatEvidence.silenceProof(p)) >= 0)
                        .isPresent();
        boolean advancing = !overdue && lastAdvance != null && lastAdvance.isAfter(now.minus(window));
        String detail = sample.describe()
                + (advancing ? ", advancing" : "")
                + (overdue ? ", nothing received for " + silence.toMillis() + " ms" : "");
        return new ReplicaView(
                name, Optional.of(sample.ioThread()), advancing, sample.heartbeatPeriod(), overdue, detail);
    }

    /** Calls off a read still in flight (the failure is over). */
    void cancel() {
        if (inFlight != null) {
            inFlight.cancel(true);
        }
    }
}
