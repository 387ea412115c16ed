package io.mha4j.internal.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.FailoverHook;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverContext;
import io.mha4j.guard.GuardAction;
import io.mha4j.guard.GuardEvent;
import io.mha4j.guard.GuardEvent.Kind;
import io.mha4j.guard.GuardedRole;
import io.mha4j.internal.check.FakeServer;
import io.mha4j.server.ReplicationError;
import io.mha4j.server.SqlFailure;
import io.mha4j.time.ManualScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The guard's decisions and timing on virtual time with scripted servers. */
class WatchTest {
    static final ApplicationConfig CONFIG = ApplicationConfig.builder("app1")
            .pingInterval(3)
            .server("server1", s -> s.hostname("127.0.0.1").port(3306))
            .server("server2", s -> s.hostname("127.0.0.1").port(3307))
            .server("server3", s -> s.hostname("127.0.0.1").port(3308))
            .replUser("repl")
            .replPassword("pw")
            .build();
    static final ServerConfig OLD = CONFIG.servers().get(0);
    static final ServerConfig MASTER = CONFIG.servers().get(1);
    static final ServerConfig REPLICA = CONFIG.servers().get(2);

    private final ManualScheduler time = new ManualScheduler();
    private final FakeAccess access = new FakeAccess(time.clock());
    private final List<GuardEvent> events = new CopyOnWriteArrayList<>();
    private final List<FailoverHook> hooks = new ArrayList<>();
    private Watches watches;

    private Watches start(boolean rejoinOldMaster) {
        watches = new Watches(
                "app1",
                time,
                Runnable::run,
                access,
                new GuardHooks(hooks, CONFIG, null, Path.of("/w")),
                new WatchSettings(
                        Duration.ofSeconds(3),
                        WatchSettings.REFUSED_INTERVAL,
                        Duration.ofSeconds(60),
                        rejoinOldMaster,
                        Path.of("/w")));
        watches.addListener(events::add);
        watches.master(MASTER);
        return watches;
    }

    @AfterEach
    void close() {
        if (watches != null) {
            watches.close();
        }
    }

    /** The old master as a restart without read_only in my.cnf leaves it: writable, no replication. */
    private FakeAccess.Fake writableOldMaster(String gtid) {
        FakeAccess.Fake f = access.server(OLD);
        FakeServer s = FakeServer.master(1);
        s.gtid = gtid;
        f.state = s;
        return f;
    }

    private List<Kind> kinds() {
        return events.stream().map(GuardEvent::kind).toList();
    }

    @Test
    void aRefusedServerIsProbedEvery20MsAndFencedAtItsFirstAnswer() {
        FakeAccess.Fake old = writableOldMaster("0-1-10");
        access.master.gtid = "0-1-12";
        start(false).watch(OLD, GuardedRole.OLD_MASTER);
        time.advance(Duration.ofMillis(1000));
        assertThat(old.count("open")).isEqualTo(51);

        old.mode = FakeAccess.Mode.UP;
        time.advance(Duration.ofMillis(20));

        assertThat(old.count("fence")).isEqualTo(1);
        assertThat(kinds()).containsExactly(Kind.FENCED, Kind.PARKED);
        GuardEvent fenced = events.get(0);
        assertThat(fenced.refusingWritesAfter()).contains(Duration.ZERO);
        assertThat(fenced.actions()).contains("read_only=ON");
        GuardEvent parked = events.get(1);
        assertThat(parked.detail()).contains("safe to rejoin").contains("rejoin_old_master=0");
        assertThat(parked.rejoinStatement())
                .get()
                .asString()
                .contains("MASTER_PORT=3307")
                .contains("'xxx'");
        assertThat(old.count("rejoin")).isZero();
        assertThat(watches.guarded()).containsExactly(OLD);
    }

    @Test
    void aServerWhoseHostDoesNotAnswerIsProbedEveryPingInterval() {
        FakeAccess.Fake old = writableOldMaster("0-1-10");
        old.mode = FakeAccess.Mode.TIMEOUT;
        start(false).watch(OLD, GuardedRole.OLD_MASTER);
        time.advance(Duration.ofSeconds(9));
        assertThat(old.count("open")).isEqualTo(4);
        old.mode = FakeAccess.Mode.UP;
        time.advance(Duration.ofSeconds(3));
        assertThat(old.count("fence")).isEqualTo(1);
    }

    @Test
    void withRejoinOldMaster1AContainedOldMasterIsRejoinedAndNoLongerGuarded() {
        FakeAccess.Fake old = writableOldMaster("0-1-10");
        access.master.gtid = "0-1-12";
        old.onRejoin = f -> {
            f.state.sourcePort = MASTER.port();
            f.state.sourceServerId = 2;
        };
        start(true).watch(OLD, GuardedRole.OLD_MASTER);
        old.mode = FakeAccess.Mode.UP;
        time.advance(Duration.ZERO);

        assertThat(old.rejoins).containsExactly(GuardedRole.OLD_MASTER);
        assertThat(kinds())
                .as("verified at the read that follows the rejoin")
                .containsExactly(Kind.FENCED, Kind.REJOINED);
        assertThat(events.get(1).detail()).startsWith("rejoined: it replicates from 127.0.0.1(127.0.0.1:3307)");
        assertThat(watches.guarded()).isEmpty();
        long opens = old.count("open");
        time.advance(Duration.ofSeconds(30));
        assertThat(old.count("open")).as("no more probes once rejoined").isEqualTo(opens);
    }

    @Test
    void errantTransactionsAreSavedOnceAndTheServerParkedNeverRejoined() {
        FakeAccess.Fake old = writableOldMaster("0-1-10,7-1-3");
        access.master.gtid = "0-1-12";
        start(true).watch(OLD, GuardedRole.OLD_MASTER);
        old.mode = FakeAccess.Mode.UP;
        time.advance(Duration.ZERO);

        assertThat(kinds()).containsExactly(Kind.FENCED, Kind.PARKED);
        GuardEvent parked = events.get(1);
        assertThat(parked.errantGtids()).contains("7-1-3");
        assertThat(parked.savedTransactions()).get().asString().startsWith("/w/errant_transactions_of_127.0.0.1_3306_");
        assertThat(parked.detail()).contains("never rejoined").contains("A human decides");
        assertThat(old.saved).hasSize(1);

        // A restart: the connection breaks, the next answer is a return; fenced again, not saved again.
        old.mode = FakeAccess.Mode.REFUSED;
        time.advance(Duration.ofSeconds(3));
        old.state.readOnly = false;
        old.mode = FakeAccess.Mode.UP;
        time.advance(Duration.ofSeconds(1));
        assertThat(old.count("fence")).isEqualTo(2);
        assertThat(old.saved).hasSize(1);
        assertThat(old.count("rejoin")).isZero();
    }

    @Test
    void aReplicaHoldingNothingOfItsOwnIsRewiredWhateverRejoinOldMasterSays() {
        FakeAccess.Fake r = access.server(REPLICA);
        r.state = FakeServer.replica(3, OLD.port(), 1);
        r.onRejoin = f -> f.state.sourcePort = MASTER.port();
        start(false).watch(REPLICA, GuardedRole.REPLICA);
        r.mode = FakeAccess.Mode.UP;
        time.advance(Duration.ofSeconds(3));
        assertThat(r.rejoins).containsExactly(GuardedRole.REPLICA);
        assertThat(kinds()).containsExactly(Kind.FENCED, Kind.REJOINED);
    }

    @Test
    void aServerAlreadyReplicatingFromTheMasterIsOnlyVerified() {
        FakeAccess.Fake old = writableOldMaster("0-1-10");
        old.state = FakeServer.replica(1, MASTER.port(), 2);
        old.mode = FakeAccess.Mode.UP;
        start(false).watch(OLD, GuardedRole.OLD_MASTER);
        time.advance(Duration.ZERO);
        assertThat(old.count("fence")).isZero();
        assertThat(kinds()).containsExactly(Kind.REJOINED);
    }

    @Test
    void aHumanRunningTheRejoinStatementIsNoticedAndEndsTheGuard() {
        FakeAccess.Fake old = writableOldMaster("0-1-10");
        access.master.gtid = "0-1-12";
        start(false).watch(OLD, GuardedRole.OLD_MASTER);
        old.mode = FakeAccess.Mode.UP;
        time.advance(Duration.ofSeconds(6));
        assertThat(kinds()).containsExactly(Kind.FENCED, Kind.PARKED);

        old.state.sourcePort = MASTER.port();
        old.state.sourceServerId = 2;
        time.advance(Duration.ofSeconds(3));

        assertThat(kinds()).containsExactly(Kind.FENCED, Kind.PARKED, Kind.REJOINED);
        assertThat(events.get(2).detail()).contains("rejoined by someone else");
        assertThat(old.count("fence"))
                .as("the human's session was not killed again")
                .isEqualTo(1);
    }

    @Test
    void aParkedServerMadeWritableAgainIsFencedAgain() {
        FakeAccess.Fake old = writableOldMaster("0-1-10");
        access.master.gtid = "0-1-12";
        start(false).watch(OLD, GuardedRole.OLD_MASTER);
        old.mode = FakeAccess.Mode.UP;
        time.advance(Duration.ofSeconds(3));
        old.state.readOnly = false;
        time.advance(Duration.ofSeconds(3));
        assertThat(old.count("fence")).isEqualTo(2);
    }

    @Test
    void aHookThatFencedItItselfReplacesMha4jsFence() {
        hooks.add(hook("stonith", GuardAction.FENCED_BY_HOOK));
        FakeAccess.Fake old = writableOldMaster("0-1-10");
        access.master.gtid = "0-1-12";
        start(false).watch(OLD, GuardedRole.OLD_MASTER);
        old.mode = FakeAccess.Mode.UP;
        time.advance(Duration.ofSeconds(6));
        assertThat(old.count("fence")).isZero();
        assertThat(kinds()).containsExactly(Kind.FENCED_BY_HOOK, Kind.PARKED);
    }

    @Test
    void aVetoLeavesItAloneAndSaysSo() {
        hooks.add(hook("keep-it", GuardAction.VETO));
        FakeAccess.Fake old = writableOldMaster("0-1-10");
        start(true).watch(OLD, GuardedRole.OLD_MASTER);
        old.mode = FakeAccess.Mode.UP;
        time.advance(Duration.ofSeconds(6));
        assertThat(kinds()).containsExactly(Kind.LEFT_ALONE);
        assertThat(events.get(0).detail()).contains("keep-it").contains("writable");
        assertThat(old.count("fence") + old.count("rejoin")).isZero();
    }

    @Test
    void aHookThatThrowsCountsAsProceed() {
        hooks.add(new FailoverHook() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public GuardAction returned(FailoverContext context, ServerConfig server) {
                throw new IllegalStateException("bug");
            }
        });
        FakeAccess.Fake old = writableOldMaster("0-1-10");
        start(false).watch(OLD, GuardedRole.OLD_MASTER);
        old.mode = FakeAccess.Mode.UP;
        time.advance(Duration.ZERO);
        assertThat(old.count("fence")).isEqualTo(1);
    }

    @Test
    void aFailedFenceIsReportedAndTriedAgainAtTheNextAnswer() {
        FakeAccess.Fake old = writableOldMaster("0-1-10");
        old.fenceFailure = new SqlFailure(
                OLD.displayName(),
                "SET GLOBAL read_only=ON",
                SqlFailure.Kind.STATEMENT_ERROR,
                1205,
                "HY000",
                "Lock wait timeout exceeded",
                null);
        start(false).watch(OLD, GuardedRole.OLD_MASTER);
        old.mode = FakeAccess.Mode.UP;
        time.advance(Duration.ZERO);
        assertThat(kinds()).containsExactly(Kind.FENCE_FAILED);
        assertThat(old.count("close")).isEqualTo(1);

        time.advance(Duration.ofMillis(2900));
        assertThat(old.count("fence"))
                .as("a failing fence is not retried before a ping interval")
                .isEqualTo(1);
        old.fenceFailure = null;
        time.advance(Duration.ofMillis(100));
        assertThat(kinds()).containsExactly(Kind.FENCE_FAILED, Kind.FENCED, Kind.PARKED);
    }

    @Test
    void anUnreadableMasterPostponesTheDecisionNotTheFence() {
        FakeAccess.Fake old = writableOldMaster("0-1-10");
        access.masterReadable = false;
        start(true).watch(OLD, GuardedRole.OLD_MASTER);
        old.mode = FakeAccess.Mode.UP;
        time.advance(Duration.ZERO);
        assertThat(kinds()).containsExactly(Kind.FENCED);
        access.masterReadable = true;
        access.master.gtid = "0-1-12";
        time.advance(Duration.ofSeconds(3));
        assertThat(old.rejoins).containsExactly(GuardedRole.OLD_MASTER);
    }

    @Test
    void afterAnotherFailoverAParkedServerIsDecidedAgainAgainstTheNewMaster() {
        FakeAccess.Fake old = writableOldMaster("0-1-10");
        access.master.gtid = "0-1-12";
        start(false).watch(OLD, GuardedRole.OLD_MASTER);
        old.mode = FakeAccess.Mode.UP;
        time.advance(Duration.ZERO);
        watches.master(REPLICA);
        time.advance(Duration.ofSeconds(3));
        assertThat(kinds()).containsExactly(Kind.FENCED, Kind.PARKED, Kind.PARKED);
        assertThat(events.get(2).rejoinStatement()).get().asString().contains("MASTER_PORT=3308");
    }

    @Test
    void aRejoinWhoseReplicationFailsIsParked() {
        FakeAccess.Fake r = access.server(REPLICA);
        r.state = FakeServer.replica(3, OLD.port(), 1);
        r.onRejoin = f -> {
            f.state.sourcePort = MASTER.port();
            f.state.sql = false;
            f.state.sqlError = new ReplicationError(1062, "Duplicate entry '1' for key 'PRIMARY'");
        };
        start(false).watch(REPLICA, GuardedRole.REPLICA);
        r.mode = FakeAccess.Mode.UP;
        time.advance(Duration.ofSeconds(3));
        assertThat(kinds()).containsExactly(Kind.FENCED, Kind.PARKED);
        assertThat(events.get(1).detail()).contains("the rejoin did not work").contains("Duplicate entry");
    }

    private static FailoverHook hook(String name, GuardAction action) {
        return new FailoverHook() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public GuardAction returned(FailoverContext context, ServerConfig server) {
                return action;
            }
        };
    }
}
