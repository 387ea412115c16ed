package io.mha4j.datasource;

import io.mha4j.config.ServerConfig;
import io.mha4j.server.ServerConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Reads every server at once through core's {@link ServerConnection} (MHA's admin account: {@code
 * SHOW SLAVE STATUS} needs a privilege the application's account may lack), one connection per read,
 * each bounded: a frozen server (TCP accepted, never an answer) costs one round at most {@code bound}
 * and is unreadable, and is not read again until its last read ended, so stuck reads never pile up.
 */
final class ServerSightings implements TopologyProbe, AutoCloseable {
    private final Duration bound;
    /** Reads one server; never throws. */
    private final Function<ServerConfig, Sighting> readOne;

    private final ExecutorService readers;
    /** The last read of each server; only the discovery thread touches it. */
    private final Map<String, CompletableFuture<Sighting>> last = new HashMap<>();

    ServerSightings(String application, Clock clock, Duration bound) {
        this(application, bound, server -> overServerConnection(server, clock, bound));
    }

    ServerSightings(String application, Duration bound, Function<ServerConfig, Sighting> readOne) {
        this.bound = bound;
        this.readOne = readOne;
        AtomicInteger n = new AtomicInteger();
        this.readers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mha4j-datasource-" + application + "-discovery-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public List<Sighting> read(List<ServerConfig> servers) {
        List<CompletableFuture<Sighting>> reads = new ArrayList<>();
        for (ServerConfig s : servers) {
            CompletableFuture<Sighting> previous = last.get(s.block());
            if (previous != null && !previous.isDone()) {
                reads.add(CompletableFuture.completedFuture(
                        Sighting.unreadable(s, "its previous read has not answered yet")));
                continue;
            }
            CompletableFuture<Sighting> read = CompletableFuture.supplyAsync(() -> readOne.apply(s), readers);
            last.put(s.block(), read);
            reads.add(read);
        }
        long deadline = System.nanoTime() + bound.toNanos();
        List<Sighting> round = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            round.add(await(reads.get(i), servers.get(i), deadline));
        }
        return round;
    }

    private static Sighting overServerConnection(ServerConfig server, Clock clock, Duration bound) {
        try (ServerConnection c = ServerConnection.open(server, clock)) {
            return Sighting.of(server, c.withReadTimeout(bound, c::readState));
        } catch (RuntimeException e) {
            return Sighting.unreadable(server, String.valueOf(e.getMessage()));
        }
    }

    private Sighting await(CompletableFuture<Sighting> read, ServerConfig server, long deadline) {
        try {
            return read.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return Sighting.unreadable(server, "no answer within " + bound.toMillis() + " ms");
        } catch (ExecutionException e) {
            return Sighting.unreadable(server, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Sighting.unreadable(server, "interrupted");
        }
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }
}
