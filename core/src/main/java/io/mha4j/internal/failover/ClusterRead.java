package io.mha4j.internal.failover;

import io.mha4j.config.ServerConfig;
import io.mha4j.server.ServerConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every server read in parallel, each in one pass and within a bound: the survivors with open
 * connections (kept for the whole failover) and, for the others, why they could not be read. A
 * server that does not answer in time — frozen (it accepts TCP, no handshake comes), overloaded —
 * is left out: its read is abandoned, and its connection closed should it ever open.
 *
 * @param errant the survivors' errant transactions; none until the check has looked
 */
public record ClusterRead(List<Survivor> survivors, Map<ServerConfig, String> unreachable,
        ErrantTransactions errant) {

    public ClusterRead {
        survivors = List.copyOf(survivors);
        unreachable = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(unreachable));
    }

    public ClusterRead withErrant(ErrantTransactions found) {
        return new ClusterRead(survivors, unreachable, found);
    }

    /** Every server read, each within its own connect and read timeouts: nobody is left out for slowness. */
    public static ClusterRead of(List<ServerConfig> servers, Clock clock, ExecutorService pool) {
        return of(servers, clock, pool, Duration.ofNanos(Long.MAX_VALUE));
    }

    /** @param timeout how long every server together may take, from now (connect and read) */
    public static ClusterRead of(List<ServerConfig> servers, Clock clock, ExecutorService pool, Duration timeout) {
        List<CompletableFuture<Object>> reads = servers.stream()
                .map(s -> CompletableFuture.supplyAsync(() -> read(s, clock), pool))
                .toList();
        try {
            CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // Those not done are left out below.
        } catch (ExecutionException e) {
            throw new IllegalStateException("a read reports its failure as a value", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Survivor> survivors = new ArrayList<>();
        Map<ServerConfig, String> unreachable = new LinkedHashMap<>();
        for (int i = 0; i < servers.size(); i++) {
            CompletableFuture<Object> r = reads.get(i);
            if (!r.isDone()) {
                r.thenAccept(late -> {
                    if (late instanceof Survivor s) {
                        s.connection().close();
                    }
                });
                unreachable.put(servers.get(i), "did not answer within " + timeout.toMillis()
                        + " ms (replica_read_timeout); left out");
            } else if (r.join() instanceof Survivor s) {
                survivors.add(s);
            } else {
                unreachable.put(servers.get(i), (String) r.join());
            }
        }
        return new ClusterRead(survivors, unreachable, ErrantTransactions.NONE);
    }

    private static Object read(ServerConfig server, Clock clock) {
        ServerConnection c = null;
        try {
            c = ServerConnection.open(server, clock);
            return new Survivor(server, c, c.readState());
        } catch (RuntimeException e) {
            if (c != null) {
                c.close();
            }
            return e.getMessage();
        }
    }
}
