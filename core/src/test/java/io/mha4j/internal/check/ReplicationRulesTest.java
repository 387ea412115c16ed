package io.mha4j.internal.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.check.Finding;
import io.mha4j.check.FindingKind;
import io.mha4j.check.Severity;
import io.mha4j.check.Topology;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.server.HeartbeatStatus;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.ReplicationError;
import io.mha4j.server.ReplicationFilters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The rules on fake states; the same states are produced on real servers by ReplicationCheckIT. */
class ReplicationRulesTest {
    private final FakeServer m = FakeServer.master(1);
    private final FakeServer r2 = FakeServer.replica(2, 3301, 1);
    private final FakeServer r3 = FakeServer.replica(3, 3301, 1);
    private Consumer<ApplicationConfig.Builder> tweak = b -> {};
    private boolean ignoreFailOnStart;

    private ApplicationConfig config() {
        ApplicationConfig.Builder b = ApplicationConfig.builder("app1")
                .server("server1", s -> s.hostname("127.0.0.1").port(3301))
                .server("server2", s -> s.hostname("127.0.0.1").port(3302))
                .server("server3", s -> s.hostname("127.0.0.1").port(3303));
        tweak.accept(b);
        return b.build();
    }

    private List<Finding> evaluate() {
        return evaluateWith(new FakeServer[] {m, r2, r3});
    }

    private static List<Finding> errors(List<Finding> findings) {
        return findings.stream().filter(f -> f.severity() == Severity.ERROR).toList();
    }

    @Test
    void aHealthyTopologyHasNoErrorsOrWarnings() {
        List<Finding> f = evaluate();
        assertThat(f).filteredOn(x -> x.severity() != Severity.INFO).isEmpty();
    }

    @Test
    void theMasterIsFoundByWhatServersSayNotByConfigOrder() {
        FakeServer[] swapped = {FakeServer.replica(1, 3302, 2), FakeServer.master(2), FakeServer.replica(3, 3302, 2)};
        ApplicationConfig c = config();
        List<ServerRead> reads = List.of(
                ServerRead.of(c.servers().get(0), swapped[0].state()),
                ServerRead.of(c.servers().get(1), swapped[1].state()),
                ServerRead.of(c.servers().get(2), swapped[2].state()));
        assertThat(TopologyDiscovery.discover(reads)
                        .topology()
                        .orElseThrow()
                        .master()
                        .block())
                .isEqualTo("server2");
    }

    @Test
    void aStoppedSqlThreadIsAnError() {
        r2.sql = false;
        assertThat(errors(evaluate())).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.SQL_THREAD_NOT_RUNNING);
            assertThat(f.message()).isEqualTo("Slave SQL thread is not running on 127.0.0.1(127.0.0.1:3302)");
        });
    }

    @Test
    void aFailingIoThreadIsAnErrorWithTheServersMessage() {
        r3.io = ReplicaStatus.IoThread.CONNECTING;
        r3.ioError = new ReplicationError(1045, "error connecting to master 'repl@127.0.0.1:3301' - retry-time: 60");
        assertThat(errors(evaluate())).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.IO_THREAD_NOT_RUNNING);
            assertThat(f.message()).contains("127.0.0.1:3303", "connecting", "error 1045");
        });
    }

    @Test
    void twoWritableServersAreAnError() {
        r2.readOnly = false;
        List<Finding> f = evaluate();
        assertThat(errors(f)).extracting(Finding::kind).containsExactly(FindingKind.SEVERAL_WRITABLE);
        assertThat(f).extracting(Finding::kind).contains(FindingKind.NOT_READ_ONLY);
    }

    @Test
    void aReplicaOfAnotherReplicaIsAnErrorUnlessMultiTier() {
        r3.sourcePort = 3302;
        r3.sourceServerId = 2;
        assertThat(errors(evaluate())).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.WRONG_SOURCE);
            assertThat(f.message())
                    .isEqualTo("Slave 127.0.0.1(127.0.0.1:3303) replicates from 127.0.0.1:3302,"
                            + " but real master is 127.0.0.1(127.0.0.1:3301)!");
        });
        tweak = b -> b.set(io.mha4j.config.Parameter.MULTI_TIER_SLAVE, true);
        assertThat(errors(evaluate())).isEmpty();
    }

    @Test
    void aFilterOnOneReplicaOnlyIsAnError() {
        r3.replicateFilters = new ReplicationFilters("", "", "shop", "", "", "", "", "");
        assertThat(errors(evaluate())).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.FILTERS_DIFFER);
            assertThat(f.message()).contains("Replicate_Do_DB=shop", "127.0.0.1(127.0.0.1:3303)");
        });
        tweak = b -> b.set(io.mha4j.config.Parameter.CHECK_REPL_FILTER, false);
        assertThat(errors(evaluate())).isEmpty();
    }

    @Test
    void errantTransactionsAreAnErrorNamingTheGtids() {
        r2.gtid = "0-1-10,7-2-3";
        assertThat(errors(evaluate())).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.ERRANT_TRANSACTIONS);
            assertThat(f.message()).contains("3 errant transaction(s)", "7-2-3");
        });
    }

    @Test
    void aLaggingReplicaIsNotErrant() {
        r2.gtid = "0-1-7";
        assertThat(errors(evaluate())).isEmpty();
    }

    @Test
    void logBinOffOnACandidateIsAnErrorUnlessNoMaster() {
        r3.logBin = false;
        assertThat(errors(evaluate())).extracting(Finding::kind).containsExactly(FindingKind.LOG_BIN_OFF);
        tweak = b -> b.removeServer("server3")
                .server("server3", s -> s.hostname("127.0.0.1").port(3303).noMaster(true));
        assertThat(errors(evaluate())).isEmpty();
    }

    @Test
    void aDownReplicaIsAnErrorUnlessIgnoreFail() {
        List<Finding> f = evaluateWith(new FakeServer[] {m, r2, null});
        assertThat(errors(f)).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(FindingKind.SERVER_UNREACHABLE);
            assertThat(x.message())
                    .isEqualTo("Server 127.0.0.1(127.0.0.1:3303) is dead, but must be alive!"
                            + " Check server settings. (connection refused)");
        });
        // As MHA: both ignore_fail=1 and --ignore_fail_on_start are needed.
        tweak = b -> b.removeServer("server3")
                .server(
                        "server3",
                        s -> s.hostname("127.0.0.1").port(3303).set(io.mha4j.config.Parameter.IGNORE_FAIL, true));
        assertThat(errors(evaluateWith(new FakeServer[] {m, r2, null}))).hasSize(1);
        ignoreFailOnStart = true;
        assertThat(evaluateWith(new FakeServer[] {m, r2, null}))
                .filteredOn(x -> x.kind() == FindingKind.SERVER_UNREACHABLE)
                .singleElement()
                .extracting(Finding::severity)
                .isEqualTo(Severity.WARNING);
    }

    @Test
    void differentBinlogFormatsAndDuplicateIdsAreErrors() {
        r2.binlogFormat = "STATEMENT";
        r3.serverId = 2;
        assertThat(errors(evaluate()))
                .extracting(Finding::kind)
                .containsExactlyInAnyOrder(FindingKind.DUPLICATE_SERVER_ID, FindingKind.BINLOG_FORMAT_DIFFERS);
    }

    @Test
    void relayLogPurgeAndLagAndDelayAreReported() {
        r2.relayLogPurge = true;
        r3.lag = 120L;
        r3.sqlDelay = 3600;
        List<Finding> f = evaluate();
        assertThat(f)
                .filteredOn(x -> x.kind() == FindingKind.RELAY_LOG_PURGE_ON)
                .singleElement()
                .extracting(Finding::severity)
                .isEqualTo(Severity.WARNING);
        assertThat(errors(f)).singleElement().extracting(Finding::kind).isEqualTo(FindingKind.REPLICATION_LAG);
        assertThat(f).extracting(Finding::kind).contains(FindingKind.DELAYED_REPLICA);
    }

    @Test
    void relayLogsThatAPromotionWouldSpendTimeDeletingAreAWarningNamingTheServerAndTheSize() {
        r2.relayLogSpace = 3L << 30;
        r3.relayLogSpace = ReplicationRules.LARGE_RELAY_LOGS - 1;

        assertThat(evaluate())
                .filteredOn(x -> x.kind() == FindingKind.LARGE_RELAY_LOGS)
                .singleElement()
                .satisfies(x -> {
                    assertThat(x.severity()).isEqualTo(Severity.WARNING);
                    assertThat(x.message()).contains("3072 MiB").contains("RESET SLAVE ALL");
                });
    }

    private static Optional<HeartbeatStatus> heartbeat(double periodSeconds, long netTimeoutSeconds) {
        return Optional.of(new HeartbeatStatus(
                OptionalLong.of(5),
                Optional.of(Duration.ofMillis(Math.round(periodSeconds * 1000))),
                Optional.of(Duration.ofSeconds(netTimeoutSeconds))));
    }

    @Test
    void aHeartbeatPeriodTooSlowForTheDetectionWindowIsAWarningThatNamesTheServerAndTheFix() {
        r2.heartbeat = heartbeat(30, 60);
        r3.heartbeat = heartbeat(3, 60);
        List<Finding> f = evaluate();
        assertThat(f)
                .filteredOn(x -> x.kind() == FindingKind.HEARTBEAT_TOO_SLOW)
                .singleElement()
                .satisfies(x -> {
                    assertThat(x.severity()).isEqualTo(Severity.WARNING);
                    assertThat(x.server()).contains("server2");
                    assertThat(x.message())
                            .contains("a heartbeat every 30 s proves nothing within the 9 s")
                            .endsWith("Fix: STOP SLAVE; CHANGE MASTER TO MASTER_HEARTBEAT_PERIOD=3; START SLAVE;");
                });
        assertThat(f)
                .filteredOn(x ->
                        x.server().equals(Optional.of("server3")) && x.message().contains("heartbeat"))
                .singleElement()
                .extracting(Finding::severity)
                .isEqualTo(Severity.INFO);
        assertThat(errors(f)).isEmpty();
    }

    @Test
    void heartbeatsOffAreAWarningToo() {
        r2.heartbeat = heartbeat(0, 60);
        assertThat(evaluate())
                .filteredOn(x -> x.kind() == FindingKind.HEARTBEAT_TOO_SLOW)
                .singleElement()
                .extracting(Finding::message)
                .asString()
                .contains("heartbeats are off");
    }

    @Test
    void theWindowDecidesWhatIsTooSlow() {
        r2.heartbeat = heartbeat(6, 60);
        assertThat(evaluate()).noneMatch(x -> x.kind() == FindingKind.HEARTBEAT_TOO_SLOW);
        r2.heartbeat = heartbeat(6.5, 60);
        assertThat(evaluate()).anyMatch(x -> x.kind() == FindingKind.HEARTBEAT_TOO_SLOW);
    }

    @Test
    void aLongSlaveNetTimeoutIsAWarning() {
        r3.heartbeat = heartbeat(1, 3600);
        assertThat(evaluate())
                .filteredOn(x -> x.kind() == FindingKind.NET_TIMEOUT_LONG)
                .singleElement()
                .satisfies(x -> assertThat(x.message())
                        .startsWith("127.0.0.1(127.0.0.1:3303): slave_net_timeout=3600")
                        .contains("SET GLOBAL slave_net_timeout=60"));
        r3.heartbeat = heartbeat(1, 60);
        assertThat(evaluate()).noneMatch(x -> x.kind() == FindingKind.NET_TIMEOUT_LONG);
    }

    private List<Finding> evaluateWith(FakeServer[] fakes) {
        ApplicationConfig c = config();
        List<ServerRead> reads = new ArrayList<>();
        for (int i = 0; i < fakes.length; i++) {
            reads.add(
                    fakes[i] == null
                            ? ServerRead.failed(c.servers().get(i), "connection refused")
                            : new ServerRead(
                                    c.servers().get(i),
                                    Optional.of(fakes[i].state()),
                                    Optional.empty(),
                                    fakes[i].heartbeat));
        }
        TopologyDiscovery.Result d = TopologyDiscovery.discover(reads);
        Topology t = d.topology().orElseThrow(() -> new AssertionError(d.findings()));
        List<Finding> all = new ArrayList<>(d.findings());
        all.addAll(ReplicationRules.evaluate(c, t, reads, Optional.empty(), 30, ignoreFailOnStart));
        return all;
    }
}
