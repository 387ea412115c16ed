package io.mha4j.cli.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.manager.ManagerListener;
import io.mha4j.server.ReplicaReading;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's health endpoints ({@code manager --http=HOST:PORT}) on the JDK's HTTP server:
 *
 * <ul>
 *   <li>{@code GET /master/<block>}: 200 for the current writable master, 503 otherwise;
 *   <li>{@code GET /replica/<block>}: 200 for a replica within {@code http_replica_lag_limit}, 503
 *       otherwise;
 *   <li>{@code GET /<application>/master/<block>}, {@code /<application>/replica/<block>}: the same,
 *       for one of several applications in one process ({@code /master/<block>} works only when there
 *       is one: with several, a block name alone could name two servers);
 *   <li>{@code GET /}: every server's two answers, for a human.
 * </ul>
 *
 * A short text body says why; 404 for an unknown block or path. The answers come from the
 * manager's events ({@link #listener}) and from a read of every replica each {@link #READ_EVERY}
 * ({@link ReplicaReads}): the HTTP threads never wait for a database.
 */
public final class HealthEndpoints implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthEndpoints.class);
    /** How often each replica's replication is read: the datasource module's default too. */
    static final Duration READ_EVERY = Duration.ofSeconds(1);

    private final Map<String, ServerHealth> applications = new LinkedHashMap<>();
    private final HttpServer server;
    private final ExecutorService httpThreads;
    /**
     * Threads answering HTTP: an answer is a lookup, HAProxy checks each server once per inter, and
     * the rest are spares for clients that stall in the middle of a request.
     */
    static final int HTTP_THREADS = 8;
    /** A replica whose read has not come back after this takes no reads. */
    static final Duration READ_PATIENCE = Duration.ofSeconds(5);

    private final ScheduledExecutorService ticks;
    /** At most one read per replica at a time (ReplicaReads), so bounded by the number of servers. */
    private final ExecutorService reads;

    private HealthEndpoints(HttpServer server, List<ApplicationConfig> configs, Clock clock) {
        this.server = server;
        configs.forEach(c -> applications.put(c.name(), new ServerHealth(c)));
        // The JDK server reads a request on these threads, so a client that sends part of one and stalls holds a
        // thread: with too few, two such clients would leave HAProxy's checks unanswered and every server marked
        // down. Its only time limit on a request is the global system property sun.net.httpserver.maxReqTime,
        // read once per JVM, which a library must not set for its host; so enough threads instead, still bounded.
        this.httpThreads = Executors.newFixedThreadPool(HTTP_THREADS, daemon("mha4j-http"));
        server.setExecutor(httpThreads);
        server.createContext("/", this::answer);
        this.ticks = Executors.newSingleThreadScheduledExecutor(daemon("mha4j-http-ticks"));
        this.reads = Executors.newCachedThreadPool(daemon("mha4j-http-read"));
        for (ServerHealth health : applications.values()) {
            ReplicaReads replicas = new ReplicaReads(
                    health, r -> ReplicaReading.read(r, clock), reads, System::nanoTime, READ_PATIENCE);
            // A tick only starts reads: one scheduler serves every application without one waiting for another.
            ticks.scheduleWithFixedDelay(replicas::tick, 0, READ_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }
        server.start();
    }

    /**
     * Starts answering on {@code address} for {@code configs}' applications.
     *
     * @throws UncheckedIOException when the address cannot be bound (in use, not this host's)
     */
    public static HealthEndpoints start(InetSocketAddress address, List<ApplicationConfig> configs, Clock clock) {
        try {
            return new HealthEndpoints(HttpServer.create(address, 16), configs, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot answer HTTP on " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses {@code --http}'s {@code HOST:PORT} ({@code [::1]:PORT} for IPv6), or {@code PORT} alone
     * for 127.0.0.1: the endpoints listen where HAProxy is told, never on every interface unless the
     * user writes 0.0.0.0.
     */
    public static InetSocketAddress address(String value) {
        int colon = value.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : value.substring(0, colon);
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        if (bracketed) {
            host = host.substring(1, host.length() - 1);
        }
        String port = value.substring(colon + 1);
        // An IPv6 address alone is ambiguous: ::1 would split into host :: (every interface) and port 1.
        boolean ambiguous = !bracketed && host.contains(":");
        if (host.isEmpty() || ambiguous || !port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("--http wants HOST:PORT, [IPV6]:PORT or PORT (127.0.0.1), not '" + value
                    + "'" + (ambiguous ? ": bracket an IPv6 address, as in [::1]:8008" : ""));
        }
        return new InetSocketAddress(host, Integer.parseInt(port));
    }

    /** Where it listens (the port chosen when 0 was asked). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** What {@code application}'s manager tells; must be given to its manager before it starts. */
    public ManagerListener listener(String application) {
        ServerHealth health = applications.get(application);
        if (health == null) {
            throw new IllegalArgumentException("no application " + application + " here");
        }
        return event -> {
            try {
                health.onEvent(event);
            } catch (RuntimeException e) {
                log.warn("{}: the health endpoints could not take {}: {}", application, event, e.toString());
            }
        };
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            ServerHealth.Answer answer = method.equals("GET") || method.equals("HEAD")
                    ? route(exchange.getRequestURI().getPath())
                    : new ServerHealth.Answer(405, "GET or HEAD");
            byte[] body = (answer.body() + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = method.equals("HEAD");
            exchange.sendResponseHeaders(answer.status(), head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    /** The answer to {@code path}; package-private for the tests of the routes. */
    ServerHealth.Answer route(String path) {
        String[] parts = path.replaceAll("^/+|/+$", "").split("/+");
        if (path.replace("/", "").isEmpty()) {
            return ServerHealth.Answer.ok(summary());
        }
        if (parts.length == 2 && applications.size() == 1) {
            return role(applications.values().iterator().next(), parts[0], parts[1]);
        }
        if (parts.length == 3 && applications.containsKey(parts[0])) {
            return role(applications.get(parts[0]), parts[1], parts[2]);
        }
        return new ServerHealth.Answer(
                404,
                applications.size() == 1
                        ? "paths: /master/<block>, /replica/<block>"
                        : "paths: /<application>/master/<block>, /<application>/replica/<block>; applications: "
                                + String.join(", ", applications.keySet()));
    }

    private static ServerHealth.Answer role(ServerHealth health, String role, String block) {
        return switch (role) {
            case "master" -> health.master(block);
            case "replica" -> health.replica(block);
            default -> new ServerHealth.Answer(404, "paths: .../master/<block>, .../replica/<block>");
        };
    }

    private String summary() {
        return applications.values().stream().flatMap(h -> h.lines().stream()).collect(Collectors.joining("\n"));
    }

    /** Stops answering at once (HAProxy then marks every server down: the manager is gone) and stops reading. */
    @Override
    public void close() {
        server.stop(0);
        httpThreads.shutdownNow();
        ticks.shutdownNow();
        reads.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
