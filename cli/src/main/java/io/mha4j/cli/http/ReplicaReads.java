package io.mha4j.cli.http;

import io.mha4j.config.ServerConfig;
import io.mha4j.server.ReplicaReading;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One application's replicas read for its health endpoints, each {@link #tick()}: every replica
 * on a thread of its own, so that a replica that does not answer (a frozen {@code mysqld}, a host
 * gone without a reset) delays no other replica's reading. One whose read has not come back after
 * {@code patience} is taken out of the reads — its last reading would otherwise keep sending reads
 * to a server that does not answer — and is not read again until that read returned.
 */
final class ReplicaReads {
    private static final Logger log = LoggerFactory.getLogger(ReplicaReads.class);

    private final ServerHealth health;
    private final Function<ServerConfig, ReplicaReading> reader;
    private final Executor threads;
    private final LongSupplier nanoTime;
    private final Duration patience;
    /** Replicas whose read runs, by block: since when (nanoTime). */
    private final Map<String, Long> running = new ConcurrentHashMap<>();

    ReplicaReads(
            ServerHealth health,
            Function<ServerConfig, ReplicaReading> reader,
            Executor threads,
            LongSupplier nanoTime,
            Duration patience) {
        this.health = health;
        this.reader = reader;
        this.threads = threads;
        this.nanoTime = nanoTime;
        this.patience = patience;
    }

    /** Starts a read of every replica not being read; a scheduled task: it never throws. */
    void tick() {
        try {
            long now = nanoTime.getAsLong();
            for (ServerConfig replica : health.replicas()) {
                Long since = running.putIfAbsent(replica.block(), now);
                if (since == null) {
                    threads.execute(() -> read(replica, now));
                } else if (now - since > patience.toNanos()) {
                    health.onReading(
                            replica,
                            ReplicaReading.broken("no answer to a read of its replication for "
                                    + Duration.ofNanos(now - since).toSeconds() + " s"),
                            now);
                }
            }
        } catch (RuntimeException e) {
            log.warn(
                    "{}: reading the replicas for the health endpoints failed: {}", health.application(), e.toString());
        }
    }

    private void read(ServerConfig replica, long startedAt) {
        try {
            health.onReading(replica, reader.apply(replica), startedAt);
        } finally {
            running.remove(replica.block());
        }
    }
}
