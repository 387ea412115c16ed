package io.mha4j.internal.failover;

import io.mha4j.config.ServerConfig;
import io.mha4j.server.ServerConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Every server read in parallel, each in one pass: the survivors with open connections (kept
 * for the whole failover) and, for the others, why they could not be read.
 */
public record ClusterRead(List<Survivor> survivors, Map<ServerConfig, String> unreachable) {

    public static ClusterRead of(List<ServerConfig> servers, Clock clock, ExecutorService pool) {
        List<CompletableFuture<Object>> reads = servers.stream()
                .map(s -> CompletableFuture.supplyAsync(() -> read(s, clock), pool))
                .toList();
        List<Survivor> survivors = new ArrayList<>();
        Map<ServerConfig, String> unreachable = new LinkedHashMap<>();
        for (int i = 0; i < servers.size(); i++) {
            Object r = reads.get(i).join();
            if (r instanceof Survivor s) {
                survivors.add(s);
            } else {
                unreachable.put(servers.get(i), (String) r);
            }
        }
        return new ClusterRead(survivors, unreachable);
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
