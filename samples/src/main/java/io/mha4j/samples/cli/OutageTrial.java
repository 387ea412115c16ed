package io.mha4j.samples.cli;

import io.mha4j.cli.http.HaproxyConfig;
import io.mha4j.cli.http.HealthEndpoints;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.Secret;
import io.mha4j.config.ServerConfig;
import io.mha4j.datasource.DataSourceSettings;
import io.mha4j.datasource.TopologyDataSources;
import io.mha4j.failover.FailoverContext;
import io.mha4j.manager.ManagerOptions;
import io.mha4j.manager.MhaManager;
import io.mha4j.remote.RemoteShells;
import io.mha4j.testkit.Endpoint;
import io.mha4j.testkit.NetworkLab;
import io.mha4j.testkit.OpenSshServer;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.WriteLedger;
import io.mha4j.time.Scheduler;
import io.mha4j.vip.VipHook;
import io.mha4j.vip.VipParameters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/**
 * One trial of {@code bench outage}, the same for every route but how the application reaches the
 * master: a fresh 3-node sandbox whose servers do not start read-only; mha4j's manager (in this
 * JVM, over real SSH, default options) monitoring it; the application — a {@link WriteLedger}, the
 * same client for every route, retrying every 10 ms while refused — writing single-row transactions
 * as fast as its route lets it; kill
 * -9 of the master's mariadbd at a random point of the ping cycle, once the manager has monitored
 * for {@link FailoverBenchTrial#STEADY}. The outage is what the application saw: from the kill to
 * its first acknowledged write after it. The ledger is then verified on every survivor.
 */
final class OutageTrial {
    private static final Duration START_WAIT = Duration.ofSeconds(120);
    private static final Duration FAILOVER_WAIT = Duration.ofSeconds(120);
    private static final Duration SETTLE_WAIT = Duration.ofSeconds(60);
    private static final int WRITES_BEFORE = 50;
    private static final int WRITES_AFTER = 20;
    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    /** Every host's port behind a VIP, as in production: the client knows one address and one port. */
    private static final int VIP_PORT = 3306;

    private final int number;
    private final OutageRoute route;
    private final int pingInterval;
    private final Path dir;
    private final List<String> notes = new ArrayList<>();
    private long killOffsetMs = -1;
    private long outageMs = -1;
    private String newMaster = "-";
    private int acknowledged;
    private int inDoubt;
    private int lost = -1;
    private String checksums = "-";
    private String outcome = "ERROR";

    OutageTrial(int number, OutageRoute route, int pingInterval, Path dir) {
        this.number = number;
        this.route = route;
        this.pingInterval = pingInterval;
        this.dir = dir;
    }

    OutageResult run() {
        long started = System.nanoTime();
        try {
            RawLines.createTrialDirectory(dir);
            body();
        } catch (Exception e) {
            outcome = "ERROR";
            notes.add(e.toString());
        }
        return new OutageResult(
                number,
                route,
                pingInterval,
                killOffsetMs,
                outageMs,
                newMaster,
                acknowledged,
                inDoubt,
                lost,
                checksums,
                outcome,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
                String.join("; ", notes));
    }

    private void body() throws Exception {
        try (Deployment d = new Deployment();
                WriteLedger ledger = d.application()
                        .writer("bench")
                        .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                        // Retried at a fixed 10 ms while refused, so that the outage ends when the route is back,
                        // not at the next step of a growing back-off.
                        .retryEvery(Duration.ofMillis(10))
                        .build();
                Scheduler timer = Scheduler.system("mha4j-bench-kill")) {
            d.manager.start();
            d.manager.awaitMonitoring(START_WAIT);
            long steadyFrom = System.nanoTime() + FailoverBenchTrial.STEADY.toNanos();
            ledger.start(100_000_000L, Duration.ofMinutes(30));
            TrialLedger.awaitWrites(ledger, WRITES_BEFORE, "the application's first writes", SETTLE_WAIT);
            KillTiming.awaitSteady(timer, steadyFrom);
            killOffsetMs = KillTiming.randomOffsetMs(pingInterval);
            // Timed from the signal, counting only writes acknowledged once the process was gone: one the
            // old master committed as it was being killed is not the end of the outage.
            AtomicLong gone = new AtomicLong();
            long kill = KillTiming.killAfter(timer, Duration.ofMillis(killOffsetMs), () -> {
                d.cluster.node(1).kill();
                gone.set(System.nanoTime());
            });
            AtomicReference<Long> firstAfter = new AtomicReference<>();
            Awaitility.await("the application's first acknowledged write after the kill")
                    .atMost(FAILOVER_WAIT)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        OptionalLong at = ledger.firstAcknowledgedAfter(gone.get());
                        at.ifPresent(firstAfter::set);
                        return at.isPresent();
                    });
            outageMs = TimeUnit.NANOSECONDS.toMillis(firstAfter.get() - kill);
            TrialLedger.awaitWrites(
                    ledger, ledger.acknowledged().size() + WRITES_AFTER, "writes after the failover", SETTLE_WAIT);
            inDoubt = ledger.stop().inDoubt();
            SandboxNode promoted = d.node(d.manager.currentMaster().orElseThrow());
            newMaster = promoted.name();
            TrialLedger.Verified v = TrialLedger.verify(
                    d.cluster, ledger, promoted, d.cluster.nodes().subList(1, 3), SETTLE_WAIT);
            acknowledged = v.acknowledged();
            lost = v.lost();
            checksums = v.checksums();
            outcome = v.ok() ? "ok" : "LOST";
        }
    }
    /** Ports free on 127.0.0.1 now, distinct. */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /**
     * What one trial runs on: the sandbox (in network namespaces for a VIP), its sshd(s), the
     * configuration, the route's own parts, and the manager. Closed in reverse order.
     */
    private final class Deployment implements AutoCloseable {
        private final List<AutoCloseable> parts = new ArrayList<>();
        private final NetworkLab lab;
        private final SandboxCluster cluster;
        private final ApplicationConfig config;
        private final TopologyDataSources dataSources;
        private final InetSocketAddress haproxyWrite;
        private final MhaManager manager;

        Deployment() throws Exception {
            try {
                lab = route == OutageRoute.VIP ? keep(NetworkLab.start(3)) : null;
                SandboxCluster.Builder sandbox =
                        SandboxCluster.builder().nodes(3).startsReadOnly(false);
                cluster = keep(
                        lab != null ? sandbox.placement(lab.placement(VIP_PORT)).start() : sandbox.start());
                config = configuration();
                dataSources = route == OutageRoute.DATASOURCE
                        ? keep(TopologyDataSources.builder(config)
                                .settings(DataSourceSettings.builder()
                                        .credentials(
                                                SandboxCredentials.APPLICATION.user(),
                                                Secret.of(SandboxCredentials.APPLICATION.password()))
                                        .connectionTimeout(Duration.ofSeconds(2))
                                        .maximumPoolSize(4)
                                        .build())
                                .build())
                        : null;
                if (route == OutageRoute.VIP) {
                    placeVipOn(config.servers().get(0));
                }
                MhaManager.Builder m = MhaManager.builder(config)
                        .options(ManagerOptions.DEFAULTS)
                        .workdir(dir.resolve("manager"));
                if (route == OutageRoute.HAPROXY) {
                    // The endpoints `manager --http` serves, told here through MhaManager's listener queue (there
                    // directly by its Supervisor); HAProxy on docs/haproxy.md's file.
                    HealthEndpoints endpoints = keep(HealthEndpoints.start(
                            new InetSocketAddress("127.0.0.1", 0), List.of(config), Clock.systemUTC()));
                    m.listener(endpoints.listener(config.name()));
                    haproxyWrite = startHaproxy(endpoints.address());
                } else {
                    haproxyWrite = null;
                }
                manager = keep(dataSources != null ? dataSources.bind(m).build() : m.build());
            } catch (Exception | Error e) {
                close();
                throw e;
            }
        }

        private ApplicationConfig configuration() {
            if (lab == null) {
                OpenSshServer sshd = keep(OpenSshServer.builder().start());
                return Mha4jUnderTest.configBuilder(cluster, Optional.of(n -> sshd), dir, pingInterval)
                        .build();
            }
            // Each host a namespace with its own sshd on port 22, the VIP on the master's eth0.
            List<OpenSshServer> sshds = new ArrayList<>();
            for (int i = 1; i <= cluster.nodes().size(); i++) {
                sshds.add(keep(OpenSshServer.builder()
                        .listen(lab.address(i), 22, lab.launchPrefix(i))
                        .start()));
            }
            return Mha4jUnderTest.configBuilder(cluster, Optional.of(n -> sshds.get(n.index() - 1)), dir, pingInterval)
                    .set(Parameter.REMOTE_WORKDIR, "/tmp")
                    .set(Parameter.FAILOVER_HOOKS, List.of("vip"))
                    .set(VipParameters.VIP, lab.vip())
                    .set(VipParameters.VIP_INTERFACE, "eth0")
                    .build();
        }

        /** Debian's haproxy on {@link HaproxyConfig}'s file for this sandbox; returns its write port's address. */
        private InetSocketAddress startHaproxy(InetSocketAddress endpoints) throws IOException {
            if (!Files.isExecutable(HAPROXY)) {
                throw new IllegalStateException(
                        HAPROXY + " is missing: run bin/prerequisites (as root it installs haproxy)");
            }
            Map<String, InetSocketAddress> servers = new LinkedHashMap<>();
            config.servers().forEach(s -> servers.put(s.block(), new InetSocketAddress(s.hostname(), s.port())));
            int[] ports = freePorts(3);
            HaproxyConfig cfg = new HaproxyConfig(
                    new InetSocketAddress("127.0.0.1", ports[0]),
                    new InetSocketAddress("127.0.0.1", ports[1]),
                    endpoints,
                    new InetSocketAddress("127.0.0.1", ports[2]),
                    servers);
            Path file = Files.writeString(dir.resolve("haproxy.cfg"), cfg.render());
            Process haproxy = new ProcessBuilder(HAPROXY.toString(), "-db", "-f", file.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("haproxy.out").toFile())
                    .start();
            keep(() -> {
                haproxy.destroyForcibly();
                haproxy.waitFor(10, TimeUnit.SECONDS);
            });
            return cfg.write();
        }

        private void placeVipOn(ServerConfig master) {
            try (RemoteShells shells = RemoteShells.forApplication(config)) {
                new VipHook().moveTo(new FailoverContext(config, master, Optional.empty(), shells, dir), master);
            }
        }

        /** Where the application writes: the same {@link WriteLedger}, through this route. */
        WriteLedger.Builder application() {
            return switch (route) {
                case DATASOURCE -> WriteLedger.builder(dataSources.writer());
                case VIP -> WriteLedger.builder(() -> new Endpoint(lab.vip(), VIP_PORT));
                case HAPROXY ->
                    WriteLedger.builder(() -> new Endpoint(haproxyWrite.getHostString(), haproxyWrite.getPort()));
            };
        }

        SandboxNode node(ServerConfig server) {
            return cluster.nodes().stream()
                    .filter(n -> n.host().equals(server.hostname()) && n.port() == server.port())
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(server.displayName() + " is no node of the sandbox"));
        }

        private <T extends AutoCloseable> T keep(T part) {
            parts.add(part);
            return part;
        }

        @Override
        public void close() {
            for (int i = parts.size() - 1; i >= 0; i--) {
                try {
                    parts.get(i).close();
                } catch (Exception e) {
                    notes.add("closing " + parts.get(i) + ": " + e);
                }
            }
            parts.clear();
        }
    }
}
