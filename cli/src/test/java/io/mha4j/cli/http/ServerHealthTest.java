package io.mha4j.cli.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverReport;
import io.mha4j.manager.ManagerEvent;
import io.mha4j.monitor.Evidence;
import io.mha4j.monitor.Verdict;
import io.mha4j.monitor.VerdictKind;
import io.mha4j.server.ReplicaReading;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The health endpoints' rules as events in, answers out: no HTTP, no server. */
class ServerHealthTest {
    private final ApplicationConfig config = threeServers("5");
    private final ServerConfig server1 = config.server("server1").orElseThrow();
    private final ServerConfig server2 = config.server("server2").orElseThrow();
    private final ServerConfig server3 = config.server("server3").orElseThrow();
    private final ServerHealth health = new ServerHealth(config);
    /** A second application in the same process, with a block named like one of app1's. */
    private final ApplicationConfig other = ApplicationConfig.builder("app2")
            .user("mha")
            .password("secret")
            .server("server1", s -> s.hostname("db7").port(3306))
            .build();

    @Test
    void onlyTheMonitoredMasterAnswers200AndOnlyReplicasReadWithinTheLagLimit() {
        assertThat(health.master("server1").status()).as("before monitoring").isEqualTo(503);
        monitoring(server1, server2, server3);
        read(server2, ReplicaReading.lagging(Duration.ofSeconds(5)), 0);
        read(server3, ReplicaReading.lagging(Duration.ofSeconds(6)), 0);

        assertThat(health.master("server1")).isEqualTo(ServerHealth.Answer.ok("the master, writable"));
        assertThat(health.master("server2").status()).isEqualTo(503);
        assertThat(health.master("server2").body()).contains("the master is server1");
        assertThat(health.replica("server1").status()).isEqualTo(503);
        assertThat(health.replica("server2")).isEqualTo(ServerHealth.Answer.ok("a replica, lag 5 s <= 5 s"));
        assertThat(health.replica("server3"))
                .isEqualTo(ServerHealth.Answer.unavailable("a replica taking no reads: lag 6 s > 5 s"));
    }

    @Test
    void anUnknownBlockIs404NamingTheBlocksThatExist() {
        monitoring(server1, server2);

        assertThat(health.master("server9"))
                .isEqualTo(new ServerHealth.Answer(
                        404, "no block [server9] in app1; its blocks: server1, server2, server3"));
        assertThat(health.replica("server9").status()).isEqualTo(404);
        assertThat(health.replica("server3").body()).isEqualTo("not a replica (outside the monitored topology)");
    }

    @Test
    void theDeadMasterTurns503AtTheVerdictAndTheNewOneTurns200OnlyWhenItIsWritable() {
        monitoring(server1, server2, server3);
        health.onEvent(new ManagerEvent.VerdictChanged(Instant.now(), verdict(VerdictKind.FAILING)));
        assertThat(health.master("server1").status())
                .as("failing pings decide nothing")
                .isEqualTo(200);

        health.onEvent(new ManagerEvent.VerdictChanged(Instant.now(), verdict(VerdictKind.DEAD)));
        assertThat(health.master("server1"))
                .isEqualTo(ServerHealth.Answer.unavailable("the master, declared dead: connection refused"));

        health.onEvent(new ManagerEvent.FailoverStarted(Instant.now(), server1, verdict(VerdictKind.DEAD)));
        assertThat(config.servers().stream().map(s -> health.master(s.block()).status()))
                .as("nobody is master while the failover runs")
                .containsOnly(503);

        health.onEvent(new ManagerEvent.MasterChanged(Instant.now(), server1, server2));
        assertThat(health.master("server2").status()).isEqualTo(200);
        assertThat(health.master("server1").status()).isEqualTo(503);
        assertThat(health.replica("server2").body()).isEqualTo("not a replica (the master)");
        assertThat(health.replica("server1").status()).isEqualTo(503);
        assertThat(health.replicas()).containsExactly(server3);
    }

    @Test
    void aReplicaThatOnlyLostTheDeadMasterKeepsServingReadsUntilItIsRewired() {
        monitoring(server1, server2, server3);
        read(server2, ReplicaReading.lagging(Duration.ZERO), 0);
        read(server3, ReplicaReading.lagging(Duration.ofSeconds(6)), 0);
        ReplicaReading lost = ReplicaReading.sourceLost("reconnecting to its source db1:3306");

        // kill -9: every IO thread reconnects at once, a second before the manager declares the master dead.
        read(server2, lost, 1);
        read(server3, lost, 1);
        assertThat(health.replica("server2").status())
                .as("source lost before FailoverStarted: its last good answer stays")
                .isEqualTo(200);
        assertThat(health.replica("server3").status())
                .as("it took no reads before")
                .isEqualTo(503);

        health.onEvent(new ManagerEvent.VerdictChanged(Instant.now(), verdict(VerdictKind.DEAD)));
        health.onEvent(new ManagerEvent.FailoverStarted(Instant.now(), server1, verdict(VerdictKind.DEAD)));
        read(server2, lost, 2);
        assertThat(health.replica("server2").status()).isEqualTo(200);

        health.onEvent(new ManagerEvent.MasterChanged(Instant.now(), server1, server3));
        health.onEvent(new ManagerEvent.MonitoringStarted(Instant.now(), server3, List.of(server2), List.of(server1)));
        assertThat(health.replica("server2").status())
                .as("its last reading stays through the new topology's start")
                .isEqualTo(200);
        assertThat(health.replica("server1").body())
                .isEqualTo("not a replica (guarded: an old master or a replica a failover could not recover)");
        assertThat(health.master("server3").status()).isEqualTo(200);
    }

    @Test
    void aReplicaThatLostItsSourceLeavesTheReadsOnceTheLagLimitPassedSinceItsLastGoodReading() {
        monitoring(server1, server2, server3);
        read(server2, ReplicaReading.lagging(Duration.ofSeconds(1)), 0);
        ReplicaReading lost = ReplicaReading.sourceLost("reconnecting to its source db1:3306");

        read(server2, lost, 4);
        assertThat(health.replica("server2").status()).isEqualTo(200);
        health.onEvent(new ManagerEvent.FailoverStarted(Instant.now(), server1, verdict(VerdictKind.DEAD)));
        read(server2, lost, 5);
        assertThat(health.replica("server2"))
                .as("5 s (the limit) after its last good reading, a failover running or not")
                .isEqualTo(ServerHealth.Answer.unavailable(
                        "a replica taking no reads: reconnecting to its source db1:3306"));
        read(server2, ReplicaReading.lagging(Duration.ZERO), 6);
        assertThat(health.replica("server2").status()).as("rewired").isEqualTo(200);
    }

    @Test
    void aFailoverEndedNamingANewMasterWithoutMasterChangedMakesItTheMaster() {
        monitoring(server1, server2, server3);
        health.onEvent(new ManagerEvent.FailoverStarted(Instant.now(), server1, verdict(VerdictKind.DEAD)));
        health.onEvent(new ManagerEvent.FailoverEnded(
                Instant.now(), server1, Optional.of(server2), report(FailoverReport.Outcome.SUCCEEDED, server2)));

        assertThat(health.master("server2")).isEqualTo(ServerHealth.Answer.ok("the master, writable"));
        assertThat(health.master("server1").status()).isEqualTo(503);
        assertThat(health.replicas()).containsExactly(server3);
    }

    @Test
    void aFailoverEndedWithoutANewMasterLeavesNoMaster() {
        monitoring(server1, server2, server3);
        health.onEvent(new ManagerEvent.FailoverStarted(Instant.now(), server1, verdict(VerdictKind.DEAD)));
        health.onEvent(new ManagerEvent.FailoverEnded(
                Instant.now(), server1, Optional.empty(), report(FailoverReport.Outcome.REFUSED, null)));

        assertThat(config.servers().stream().map(s -> health.master(s.block()).status()))
                .containsOnly(503);
    }

    @Test
    void aDeadVerdictThatTheOtherManagersDisputeGivesTheMasterBack() {
        monitoring(server1, server2);
        health.onEvent(new ManagerEvent.VerdictChanged(Instant.now(), verdict(VerdictKind.DEAD)));
        health.onEvent(new ManagerEvent.VerdictChanged(Instant.now(), verdict(VerdictKind.ALIVE)));

        assertThat(health.master("server1").status()).isEqualTo(200);
    }

    @Test
    void aVerdictOnAServerNoLongerMasterChangesNothing() {
        monitoring(server2, server3);
        health.onEvent(new ManagerEvent.VerdictChanged(Instant.now(), verdict(VerdictKind.DEAD)));

        assertThat(health.master("server2").status()).isEqualTo(200);
    }

    @Test
    void aStoppedManagerVouchesForNoServerAndItsReplicasAreNoLongerRead() {
        monitoring(server1, server2);
        read(server2, ReplicaReading.lagging(Duration.ZERO), 0);
        health.onEvent(new ManagerEvent.Stopped(Instant.now(), 0, "stop requested"));

        // stop --conf=app1.cnf before an online switch: the old master is demoted while this process answers on.
        assertThat(health.master("server1"))
                .isEqualTo(ServerHealth.Answer.unavailable("the manager of app1 stopped: stop requested"));
        assertThat(health.replica("server2").status()).isEqualTo(503);
        assertThat(health.replicas()).isEmpty();
        health.onEvent(new ManagerEvent.MonitoringStarted(Instant.now(), server1, List.of(server2), List.of()));
        assertThat(health.master("server1").status())
                .as("nothing after Stopped")
                .isEqualTo(503);
        assertThat(health.lines())
                .contains("app1 server1: master 503, replica 503 (the manager of app1 stopped: stop requested)");
    }

    @Test
    void anApplicationWhoseManagerStoppedAnswers503WhileTheOtherStillAnswers() throws Exception {
        try (HealthEndpoints two = HealthEndpoints.start(
                HealthEndpoints.address("127.0.0.1:0"), List.of(config, other), Clock.systemUTC())) {
            two.listener("app1")
                    .onEvent(new ManagerEvent.MonitoringStarted(Instant.now(), server1, List.of(), List.of()));
            two.listener("app2")
                    .onEvent(new ManagerEvent.MonitoringStarted(
                            Instant.now(), other.server("server1").orElseThrow(), List.of(), List.of()));
            two.listener("app1").onEvent(new ManagerEvent.Stopped(Instant.now(), 0, "stop requested"));

            assertThat(two.route("/app1/master/server1").status()).isEqualTo(503);
            assertThat(two.route("/app2/master/server1").status()).isEqualTo(200);
        }
    }

    @Test
    void theRoutesNameTheApplicationOnlyWhenThereAreSeveral() throws Exception {
        try (HealthEndpoints one =
                        HealthEndpoints.start(HealthEndpoints.address("0"), List.of(config), Clock.systemUTC());
                HealthEndpoints two = HealthEndpoints.start(
                        HealthEndpoints.address("127.0.0.1:0"), List.of(config, other), Clock.systemUTC())) {
            one.listener("app1")
                    .onEvent(new ManagerEvent.MonitoringStarted(Instant.now(), server1, List.of(server2), List.of()));
            two.listener("app2")
                    .onEvent(new ManagerEvent.MonitoringStarted(
                            Instant.now(), other.server("server1").orElseThrow(), List.of(), List.of()));

            assertThat(one.address().getAddress().isLoopbackAddress()).isTrue();
            assertThat(one.route("/master/server1").status()).isEqualTo(200);
            assertThat(one.route("/app1/master/server1").status()).isEqualTo(200);
            assertThat(two.route("/master/server1").status())
                    .as("which application's?")
                    .isEqualTo(404);
            assertThat(two.route("/app2/master/server1").status()).isEqualTo(200);
            assertThat(two.route("/app1/master/server1").status()).isEqualTo(503);
            assertThat(two.route("/app1/primary/server1").status()).isEqualTo(404);
            assertThat(two.route("/").body()).contains("app2 server1: master 200, replica 503 (the master, writable)");
        }
    }

    @Test
    void anAddressWithoutAHostIsLoopbackAndABadOneIsRefused() {
        assertThat(HealthEndpoints.address("8080").getHostString()).isEqualTo("127.0.0.1");
        assertThat(HealthEndpoints.address("[::1]:8080").getAddress().isLoopbackAddress())
                .isTrue();
        assertThat(HealthEndpoints.address("0.0.0.0:8080").getAddress().isAnyLocalAddress())
                .isTrue();
        assertThatThrownBy(() -> HealthEndpoints.address("host:99999"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HOST:PORT");
    }

    @Test
    void anUnbracketedIpv6AddressIsRefusedRatherThanReadAsEveryInterface() {
        // ::1 would otherwise be host :: (every interface), port 1.
        assertThatThrownBy(() -> HealthEndpoints.address("::1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[::1]:8008");
        assertThatThrownBy(() -> HealthEndpoints.address("::1:8008")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HealthEndpoints.address(":8008")).isInstanceOf(IllegalArgumentException.class);
        assertThat(HealthEndpoints.address("[::1]:8008").getPort()).isEqualTo(8008);
    }

    @Test
    void clientsStalledInTheMiddleOfARequestLeaveTheChecksAnswered() throws Exception {
        try (HealthEndpoints endpoints =
                        HealthEndpoints.start(HealthEndpoints.address("0"), List.of(config), Clock.systemUTC());
                Socket stalled1 = stalledRequest(endpoints);
                Socket stalled2 = stalledRequest(endpoints);
                Socket stalled3 = stalledRequest(endpoints)) {
            endpoints
                    .listener("app1")
                    .onEvent(new ManagerEvent.MonitoringStarted(Instant.now(), server1, List.of(), List.of()));
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
            HttpRequest check = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + endpoints.address().getPort() + "/master/server1"))
                    .timeout(Duration.ofSeconds(2))
                    .build();

            assertThat(client.send(check, HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
        }
    }

    /** A connection that sent the start of a request and nothing more: it holds one of the server's threads. */
    private static Socket stalledRequest(HealthEndpoints endpoints) throws Exception {
        Socket socket = new Socket("127.0.0.1", endpoints.address().getPort());
        socket.getOutputStream()
                .write("GET /master/server1 HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** A reading whose read began {@code second} seconds into the test. */
    private void read(ServerConfig replica, ReplicaReading reading, int second) {
        health.onReading(replica, reading, Duration.ofSeconds(second).toNanos());
    }

    private FailoverReport report(FailoverReport.Outcome outcome, ServerConfig newMaster) {
        return new FailoverReport(
                "app1",
                outcome,
                server1.displayName(),
                Optional.ofNullable(newMaster).map(ServerConfig::displayName),
                "",
                Map.of(),
                Optional.empty(),
                List.of(),
                List.of(),
                Optional.empty(),
                List.of(),
                Instant.now(),
                Instant.now());
    }

    private void monitoring(ServerConfig master, ServerConfig... replicas) {
        health.onEvent(new ManagerEvent.MonitoringStarted(Instant.now(), master, List.of(replicas), List.of()));
    }

    private Verdict verdict(VerdictKind kind) {
        return new Verdict(kind, server1, Instant.now(), 4, "connection refused", Evidence.NONE);
    }

    /** app1 with server1..3 (db1..3:3306) and {@code http_replica_lag_limit} in seconds. */
    static ApplicationConfig threeServers(String lagLimitSeconds) {
        ApplicationConfig.Builder b = ApplicationConfig.builder("app1")
                .user("mha")
                .password("secret")
                .setText(HealthParameters.HTTP_REPLICA_LAG_LIMIT, lagLimitSeconds);
        for (int i = 1; i <= 3; i++) {
            int n = i;
            b.server("server" + n, s -> s.hostname("db" + n).port(3306));
        }
        return b.build();
    }
}
