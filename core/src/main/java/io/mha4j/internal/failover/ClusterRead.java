package io.mha4j.internal.failover;

import io.mha4j.config.ServerConfig;
import io.mha4j.server.ServerConnection;
import io.mha4j.server.SqlFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Every server read in parallel, each in one pass: the survivors with open connections (kept
 * for the whole failover) and, for the others, why they could not be read.
 *
 * <p>With a bound ({@code replica_read_timeout}), the server must answer each step within it —
 * the TCP connect, the login handshake, every statement of the read — or it is left out, its
 * read abandoned and its connection closed: a frozen server (it accepts TCP, no handshake comes)
 * costs the bound, not {@code sql_connect_timeout}. The bound is on the server's answers, not on
 * the whole read, so that the manager's own work (a first TLS handshake in a fresh JVM, a loaded
 * host) never leaves out a server that answers.
 *
 * @param errant the survivors' errant transactions; none until the check has looked
 */
public record ClusterRead(List<Survivor> survivors, Map<ServerConfig, String> unreachable, ErrantTransactions errant) {

    public ClusterRead {
        survivors = List.copyOf(survivors);
        unreachable = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(unreachable));
    }

    /** This read, and {@code more} servers that were not read, each with why. */
    public ClusterRead withUnreachable(Map<ServerConfig, String> more) {
        Map<ServerConfig, String> all = new LinkedHashMap<>(unreachable);
        all.putAll(more);
        return new ClusterRead(survivors, all, errant);
    }

    public ClusterRead withErrant(ErrantTransactions found) {
        return new ClusterRead(survivors, unreachable, found);
    }

    /** Every server read, each within its own connect and read timeouts. */
    public static ClusterRead of(List<ServerConfig> servers, Connector connector, ExecutorService pool) {
        return of(servers, connector, pool, Optional.empty());
    }

    /** @param bound how long a server may take to answer each step of its read */
    public static ClusterRead of(
            List<ServerConfig> servers, Connector connector, ExecutorService pool, Optional<Duration> bound) {
        List<CompletableFuture<Object>> reads = servers.stream()
                .map(s -> CompletableFuture.supplyAsync(() -> read(s, connector, bound), pool))
                .toList();
        List<Survivor> survivors = new ArrayList<>();
        Map<ServerConfig, String> unreachable = new LinkedHashMap<>();
        for (int i = 0; i < servers.size(); i++) {
            if (reads.get(i).join() instanceof Survivor s) {
                survivors.add(s);
            } else {
                unreachable.put(servers.get(i), (String) reads.get(i).join());
            }
        }
        return new ClusterRead(survivors, unreachable, ErrantTransactions.NONE);
    }

    /** A {@link Survivor}, or why the server could not be read. */
    private static Object read(ServerConfig server, Connector connector, Optional<Duration> bound) {
        ServerConnection c = null;
        try {
            c = connector.open(server, bound);
            ServerConnection opened = c;
            return new Survivor(
                    server, c, bound.isEmpty() ? c.readState() : c.withReadTimeout(bound.get(), opened::readState));
        } catch (RuntimeException e) {
            if (c != null) {
                c.close();
            }
            if (bound.isPresent() && e instanceof SqlFailure f && f.kind() == SqlFailure.Kind.TIMEOUT) {
                return "did not answer within " + bound.get().toMillis() + " ms (replica_read_timeout), left out: "
                        + e.getMessage();
            }
            return e.getMessage();
        }
    }
}
