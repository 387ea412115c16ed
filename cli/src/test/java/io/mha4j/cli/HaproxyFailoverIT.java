package io.mha4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.AcknowledgedWrites;
import io.mha4j.cli.http.HaproxyConfig;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's real {@code haproxy}, run on docs/haproxy.md's own configuration ({@link HaproxyConfig}
 * for the sandbox's addresses and free ports), steered by {@code mha4j manager --http} in its own process, in
 * front of a real 3-node MariaDB sandbox. A client writes through the write port and reads through
 * the read port; the master is killed with SIGKILL. Writes resume through HAProxy on the new master,
 * every acknowledged write is there and the survivors agree, none reached the old master after the
 * kill (restarted writable, it holds none), reads come from a replica; the write outage the client
 * saw is logged.
 *
 * <p>bin/prerequisites installs {@code haproxy}; without it this test fails, saying so.
 */
class HaproxyFailoverIT {
    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final AcknowledgedWrites writes = new AcknowledgedWrites("hp_it.writes");
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void writesFollowTheNewMasterThroughHaproxyAndReadsStayOnTheReplicas() throws Exception {
        assertThat(Files.isExecutable(HAPROXY))
                .as("Debian's haproxy at " + HAPROXY + ": run bin/prerequisites (as root it installs it)")
                .isTrue();
        try (SandboxCluster cluster =
                SandboxCluster.builder().nodes(3).startsReadOnly(false).start()) {
            SandboxNode oldMaster = cluster.node(1);
            oldMaster.execute("CREATE DATABASE hp_it", AcknowledgedWrites.createTable("hp_it.writes"));
            cluster.awaitReplicasCaughtUp(WAIT);
            Path conf = cluster.writeApplicationFile(
                    dir.resolve("app1.cnf"),
                    "manager_workdir=" + dir.resolve("work"),
                    "remote_workdir=" + dir.resolve("work"),
                    "manager_log=" + dir.resolve("manager.log"),
                    "ping_interval=1",
                    "remote_shell=local");
            int[] ports = freePorts(4);
            int httpPort = ports[0];
            int writePort = ports[1];
            int readPort = ports[2];
            int statsPort = ports[3];
            Process manager = CommandRun.started(
                    dir.resolve("manager.out"),
                    "manager",
                    "--conf=" + conf,
                    "--skip_ssh_check",
                    "--http=127.0.0.1:" + httpPort);
            Process haproxy = null;
            try {
                await().atMost(WAIT).until(() -> status(httpPort, "/master/server1") == 200 || !manager.isAlive());
                assertThat(manager.isAlive())
                        .as(() -> "the manager runs: " + output("manager.out"))
                        .isTrue();

                Path cfg = haproxyConfig(cluster, httpPort, writePort, readPort, statsPort);
                haproxy = new ProcessBuilder(HAPROXY.toString(), "-db", "-f", cfg.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("haproxy.out").toFile())
                        .start();
                Process proxy = haproxy;
                await().atMost(WAIT)
                        .until(() -> !proxy.isAlive()
                                || up(statsPort)
                                        .equals(Map.of(
                                                "mysql-master", List.of("server1"),
                                                "mysql-replicas", List.of("server2", "server3"))));
                assertThat(haproxy.isAlive())
                        .as(() -> "haproxy runs: " + output("haproxy.out"))
                        .isTrue();
                assertThat(readServerIds(readPort, 20))
                        .as("reads through the read port come from the replicas")
                        .isSubsetOf(cluster.node(2).serverId(), cluster.node(3).serverId());

                CompletableFuture<Void> client = writes.start(() -> connect(writePort));
                await().atMost(WAIT).until(() -> writes.acknowledgedFrom(0) >= 100 || client.isDone());

                AtomicBoolean watching = new AtomicBoolean(true);
                CompletableFuture<Watch> watch = CompletableFuture.supplyAsync(
                        () -> watch(httpPort, statsPort, watching), r -> new Thread(r, "watch").start());
                oldMaster.kill();
                long killedAt = System.nanoTime();
                long firstIdAfterKill = writes.nextId();
                long lastAckBefore = writes.acknowledged().lastEntry().getValue();

                await().atMost(WAIT).until(() -> writes.acknowledgedFrom(firstIdAfterKill) >= 100 || client.isDone());
                long firstAckAfter = writes.acknowledged()
                        .tailMap(firstIdAfterKill, true)
                        .firstEntry()
                        .getValue();
                watching.set(false);
                Watch seen = watch.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                // On stdout: the command line's logback.xml (on this classpath) shows warnings only.
                System.out.printf(
                        "HaproxyFailoverIT: write outage through HAProxy: %d ms from the kill to the first"
                                + " acknowledged write, %d ms since the last one before it; %d write(s) in doubt."
                                + " From the kill: /master/server1 503 at %s ms, a new master's 200 at %s ms;"
                                + " HAProxy: server1 down at %s ms, a new master up at %s ms%n",
                        TimeUnit.NANOSECONDS.toMillis(firstAckAfter - killedAt),
                        TimeUnit.NANOSECONDS.toMillis(firstAckAfter - lastAckBefore),
                        writes.inDoubt().size(),
                        since(killedAt, seen.oldMasterRefused),
                        since(killedAt, seen.newMasterAnswered),
                        since(killedAt, seen.oldMasterDown),
                        since(killedAt, seen.newMasterUp));
                assertThat(seen.twoMasters)
                        .as("polls of GET / where two servers answered master 200")
                        .isEmpty();
                SandboxNode promoted = cluster.nodes().stream()
                        .filter(n -> n != oldMaster && status(httpPort, "/master/server" + n.index()) == 200)
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no new master answers 200"));
                SandboxNode survivor = cluster.nodes().stream()
                        .filter(n -> n != oldMaster && n != promoted)
                        .findFirst()
                        .orElseThrow();
                await().atMost(WAIT)
                        .until(() -> up(statsPort)
                                .equals(Map.of(
                                        "mysql-master", List.of("server" + promoted.index()),
                                        "mysql-replicas", List.of("server" + survivor.index()))));
                assertThat(readServerIds(readPort, 20))
                        .as("reads go to the replica left")
                        .containsOnly(survivor.serverId());

                // The old master comes back writable, as production my.cnf files have it: the manager's guard
                // fences it, and its endpoints never call it master again.
                oldMaster.start();
                await().atMost(WAIT)
                        .until(() -> "1"
                                .equals(oldMaster
                                        .query("SELECT @@read_only AS ro")
                                        .get(0)
                                        .get("ro")));
                assertThat(status(httpPort, "/master/server1")).isEqualTo(503);
                long afterRestart = writes.nextId();
                await().atMost(WAIT).until(() -> writes.acknowledgedFrom(afterRestart) >= 100 || client.isDone());
                writes.stop();
                client.get(WAIT.toSeconds(), TimeUnit.SECONDS);

                cluster.awaitCaughtUp(promoted, List.of(survivor), WAIT);
                writes.assertKept(promoted, List.of(survivor), oldMaster, firstIdAfterKill, firstIdAfterKill);
                assertThat(writes.acknowledgedFrom(afterRestart)).isPositive();
            } finally {
                writes.stop();
                if (haproxy != null) {
                    haproxy.destroyForcibly();
                }
                manager.destroy();
                if (!manager.waitFor(30, TimeUnit.SECONDS)) {
                    manager.destroyForcibly();
                }
            }
        }
    }

    /**
     * When the manager's endpoints and HAProxy changed their minds about the master (System.nanoTime,
     * 0 when not seen), and every poll of {@code GET /} that showed two masters.
     */
    private static final class Watch {
        long oldMasterRefused;
        long newMasterAnswered;
        long oldMasterDown;
        long newMasterUp;
        final List<String> twoMasters = new ArrayList<>();
    }

    /** Polls the manager's {@code GET /} and HAProxy's stats every 20 ms until {@code watching} ends, bounded. */
    private Watch watch(int httpPort, int statsPort, AtomicBoolean watching) {
        Watch w = new Watch();
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int poll = 0; poll < 3000 && watching.get() && System.nanoTime() < deadline; poll++) {
            HttpResponse<String> page = get(httpPort, "/");
            long now = System.nanoTime();
            if (page != null) {
                List<String> masters = page.body()
                        .lines()
                        .filter(l -> l.contains(": master 200"))
                        .toList();
                if (masters.size() > 1) {
                    w.twoMasters.add(page.body());
                }
                if (w.oldMasterRefused == 0 && masters.stream().noneMatch(l -> l.startsWith("app1 server1:"))) {
                    w.oldMasterRefused = now;
                }
                if (w.newMasterAnswered == 0 && masters.stream().anyMatch(l -> !l.startsWith("app1 server1:"))) {
                    w.newMasterAnswered = now;
                }
            }
            List<String> up = up(statsPort).getOrDefault("mysql-master", List.of());
            now = System.nanoTime();
            if (w.oldMasterDown == 0 && !up.contains("server1")) {
                w.oldMasterDown = now;
            }
            if (w.newMasterUp == 0 && up.stream().anyMatch(s -> !s.equals("server1"))) {
                w.newMasterUp = now;
            }
            // the sampling period of a measurement, not a wait for a condition
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return w;
    }

    private static String since(long from, long at) {
        return at == 0 ? "(not seen)" : Long.toString(TimeUnit.NANOSECONDS.toMillis(at - from));
    }

    /** docs/haproxy.md's configuration (HaproxyConfigTest holds them equal) for the sandbox and our ports. */
    private Path haproxyConfig(SandboxCluster cluster, int httpPort, int writePort, int readPort, int statsPort)
            throws IOException {
        Map<String, InetSocketAddress> servers = new LinkedHashMap<>();
        for (SandboxNode n : cluster.nodes()) {
            servers.put("server" + n.index(), new InetSocketAddress("127.0.0.1", n.port()));
        }
        HaproxyConfig cfg = new HaproxyConfig(
                new InetSocketAddress("127.0.0.1", writePort),
                new InetSocketAddress("127.0.0.1", readPort),
                new InetSocketAddress("127.0.0.1", httpPort),
                new InetSocketAddress("127.0.0.1", statsPort),
                servers);
        return Files.writeString(dir.resolve("haproxy.cfg"), cfg.render());
    }

    private String output(String file) {
        try {
            return Files.readString(dir.resolve(file));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The servers HAProxy counts as up, by backend, from its stats page's CSV. */
    private Map<String, List<String>> up(int statsPort) {
        HttpResponse<String> csv = get(statsPort, "/;csv");
        if (csv == null) {
            return Map.of();
        }
        return csv.body()
                .lines()
                .filter(l -> !l.startsWith("#"))
                .map(l -> l.split(","))
                .filter(f -> f.length > 17 && f[0].startsWith("mysql-") && f[1].startsWith("server"))
                .filter(f -> f[17].equals("UP"))
                .collect(Collectors.groupingBy(
                        f -> f[0], TreeMap::new, Collectors.mapping(f -> f[1], Collectors.toList())));
    }

    private int status(int port, String path) {
        HttpResponse<String> r = get(port, path);
        return r == null ? -1 : r.statusCode();
    }

    private HttpResponse<String> get(int port, String path) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code @@server_id} of {@code count} reads, one connection each, through the read port. */
    private static Set<Long> readServerIds(int readPort, int count) throws SQLException {
        Set<Long> ids = new ConcurrentSkipListSet<>();
        for (int i = 0; i < count; i++) {
            try (Connection c = connect(readPort);
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT @@server_id")) {
                assertThat(r.next()).isTrue();
                ids.add(r.getLong(1));
            }
        }
        return ids;
    }

    /** As the application: its own account (no SUPER: a read_only server refuses its writes). */
    private static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:mysql://127.0.0.1:" + port + "/?connectTimeout=1000&socketTimeout=2000&useSSL=false"
                        + "&allowPublicKeyRetrieval=true",
                SandboxCredentials.APPLICATION.user(),
                SandboxCredentials.APPLICATION.password());
    }

    /** {@code count} distinct ports free a moment ago (held together while chosen, so none twice). */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                held.add(new ServerSocket(0));
            }
            return held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }
}
