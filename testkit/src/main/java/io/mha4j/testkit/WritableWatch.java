package io.mha4j.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The proof that there were never two writable servers: asks every node for
 * {@code @@GLOBAL.read_only} once per interval (100 ms by default) and counts the rounds in
 * which two or more answered {@code 0}.
 *
 * <p>Each node is asked through its Unix socket by a long-lived {@code mariadb} client, so a
 * node keeps being watched while it is cut off from this network namespace, and a paused node
 * (which cannot answer, and so is not counted as writable) delays nobody else. A node that
 * answers late is counted in the round its answer arrives in. Times are
 * {@link System#nanoTime()} values, comparable with the caller's own.
 *
 * <pre>{@code
 * try (WritableWatch watch = WritableWatch.start(cluster.nodes())) {
 *     long fault = System.nanoTime();
 *     cluster.master().kill();
 *     // ... the failover under test ...
 *     assertThat(watch.dualWritableRounds(fault)).isZero();
 * }
 * }</pre>
 *
 * Needs the {@code mariadb} (or {@code mysql}) command-line client next to the server or on
 * {@code PATH}.
 */
public final class WritableWatch implements AutoCloseable {

    /** A round in which several nodes answered {@code read_only=0}. */
    public record DualWritable(long nanoTime, List<String> nodes) {
        public DualWritable {
            nodes = List.copyOf(nodes);
        }
    }

    private record Answer(long nanoTime, boolean writable) {}

    private static final int MAX_ANSWERS_PER_NODE = 1_000_000;

    private final long interval;
    private final long started = System.nanoTime();
    private final Path directory;
    private final Map<SandboxNode, SocketClient> clients = new LinkedHashMap<>();
    private final Map<SandboxNode, List<Answer>> answers = new LinkedHashMap<>();
    private final List<DualWritable> dualWritable = new ArrayList<>();
    private final ScheduledExecutorService ticker;
    private long rounds;

    private WritableWatch(Collection<SandboxNode> nodes, Duration interval, Path client) throws IOException {
        this.interval = interval.toNanos();
        this.directory = Files.createTempDirectory("mha4j-watch");
        for (SandboxNode node : nodes) {
            Path defaults = directory.resolve(node.name() + ".cnf");
            Files.createFile(
                    defaults, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Credentials admin = SandboxCredentials.ADMIN;
            Files.writeString(
                    defaults,
                    "[client]\nuser=" + admin.user() + "\npassword=" + admin.password() + "\nsocket="
                            + node.unixSocket() + "\nconnect-timeout=2\n");
            answers.put(node, new ArrayList<>());
            clients.put(node, new SocketClient(node.name(), client, defaults, (at, line) -> answered(node, at, line)));
        }
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mha4j-writable-watch");
            t.setDaemon(true);
            return t;
        });
    }

    /** Watches {@code nodes} every 100 ms. */
    public static WritableWatch start(Collection<SandboxNode> nodes) {
        return start(nodes, Duration.ofMillis(100));
    }

    /**
     * Watches {@code nodes} every {@code interval}.
     *
     * @throws SandboxException if no {@code mariadb} client is found or the watch cannot be set up
     */
    public static WritableWatch start(Collection<SandboxNode> nodes, Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("Nothing to watch");
        }
        try {
            WritableWatch watch =
                    new WritableWatch(nodes, interval, client(nodes.iterator().next()));
            watch.ticker.scheduleAtFixedRate(watch::tick, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
            return watch;
        } catch (IOException e) {
            throw new SandboxException("Cannot set up a writable watch", e);
        }
    }

    private static Path client(SandboxNode any) {
        List<Path> places = new ArrayList<>();
        Path serverDir = any.binaries().server().getParent();
        places.add(serverDir);
        if (serverDir.getParent() != null) {
            places.add(serverDir.getParent().resolve("bin"));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty()) {
                places.add(Path.of(dir));
            }
        }
        for (Path place : places) {
            for (String name : List.of("mariadb", "mysql")) {
                if (Files.isExecutable(place.resolve(name))) {
                    return place.resolve(name);
                }
            }
        }
        throw new SandboxException("No mariadb or mysql client in " + places
                + ". Install Debian's package: apt-get install mariadb-client");
    }

    private void tick() {
        long round;
        synchronized (this) {
            round = rounds++;
            if (round > 0) {
                evaluate(round - 1);
            }
        }
        clients.values().forEach(c -> c.ask("SELECT " + round + ", @@GLOBAL.read_only;"));
    }

    private void evaluate(long round) {
        long from = started + round * interval;
        long to = from + interval;
        List<String> writable = new ArrayList<>();
        answers.forEach((node, list) -> {
            for (int i = list.size() - 1; i >= 0 && list.get(i).nanoTime() >= from; i--) {
                if (list.get(i).nanoTime() < to && list.get(i).writable()) {
                    writable.add(node.name());
                    break;
                }
            }
        });
        if (writable.size() > 1) {
            dualWritable.add(new DualWritable(from, writable));
        }
    }

    private synchronized void answered(SandboxNode node, long at, String line) {
        String[] fields = line.split("\t");
        List<Answer> list = answers.get(node);
        if (fields.length == 2 && list.size() < MAX_ANSWERS_PER_NODE) {
            list.add(new Answer(at, fields[1].trim().equals("0")));
        }
    }

    /** Rounds so far. */
    public synchronized long rounds() {
        return rounds;
    }

    /** Every round, since the start, in which several nodes answered {@code read_only=0}. */
    public synchronized List<DualWritable> dualWritable() {
        return List.copyOf(dualWritable);
    }

    /** How many rounds starting at or after {@code sinceNanos} had several writable nodes. */
    public synchronized long dualWritableRounds(long sinceNanos) {
        return dualWritable.stream().filter(d -> d.nanoTime() - sinceNanos >= 0).count();
    }

    /** When {@code node} first answered {@code read_only=0} at or after {@code sinceNanos}; empty if it did not. */
    public synchronized OptionalLong firstWritable(SandboxNode node, long sinceNanos) {
        return answers.getOrDefault(node, List.of()).stream()
                .filter(a -> a.writable() && a.nanoTime() - sinceNanos >= 0)
                .mapToLong(Answer::nanoTime)
                .findFirst();
    }

    /**
     * When {@code node} last answered again, at or before {@code atNanos}, after a silence of at
     * least {@code gap} (it was down, frozen or cut off from its socket); empty if it never did.
     * A server restarted writable by its own configuration is writable from that answer until
     * something fences it.
     */
    public synchronized OptionalLong answeredAgain(SandboxNode node, long atNanos, Duration gap) {
        List<Answer> list = answers.getOrDefault(node, List.of());
        for (int i = list.size() - 1; i > 0; i--) {
            long at = list.get(i).nanoTime();
            if (at - atNanos <= 0 && at - list.get(i - 1).nanoTime() >= gap.toNanos()) {
                return OptionalLong.of(at);
            }
        }
        return OptionalLong.empty();
    }

    /** Whether {@code node}'s latest answer, if any came at or after {@code sinceNanos}, was {@code read_only=0}. */
    public synchronized boolean lastSeenWritable(SandboxNode node, long sinceNanos) {
        List<Answer> list = answers.getOrDefault(node, List.of());
        return !list.isEmpty()
                && list.get(list.size() - 1).nanoTime() - sinceNanos >= 0
                && list.get(list.size() - 1).writable();
    }

    /** Stops watching, ends the clients and deletes their option files. */
    @Override
    public void close() {
        ticker.shutdownNow();
        clients.values().forEach(SocketClient::close);
        try {
            DirectoryTree.delete(directory);
        } catch (IOException e) {
            // a temporary directory of two small files; nothing to do
        }
    }
}
