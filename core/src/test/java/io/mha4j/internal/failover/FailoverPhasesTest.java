package io.mha4j.internal.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.MasterElector;
import io.mha4j.config.Parameter;
import io.mha4j.failover.Election;
import io.mha4j.failover.ElectionContext;
import io.mha4j.failover.ExecutedUpTo;
import io.mha4j.failover.FailoverContext;
import io.mha4j.failover.FailoverVetoException;
import io.mha4j.failover.ReplicaOutcome;
import io.mha4j.failover.ReplicaOutcome.Reason;
import io.mha4j.gtid.MariadbGtidSet;
import io.mha4j.server.BinlogPosition;
import io.mha4j.time.ManualScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Phases 1, 3 and 4 of a failover on a scripted MariaDB cluster, in virtual time (no server):
 * what the check refuses, whom phase 3 elects with what it was told, how a winner behind is
 * caught up, and each replica's outcome — a ten-minute {@code apply_timeout} expiring in
 * milliseconds.
 */
class FailoverPhasesTest {
    private static final Duration READ = Duration.ofMillis(500);
    private static final String CHANGE = "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=";
    private ScriptedCluster cluster;
    /** Every question the elector was asked, in order. */
    private final List<ElectionContext> asked = new CopyOnWriteArrayList<>();

    private final MasterElector recording = new MasterElector() {
        private final MhaElector rules = new MhaElector();

        @Override
        public Election elect(ElectionContext context) {
            asked.add(context);
            return rules.elect(context);
        }
    };

    @AfterEach
    void close() {
        cluster.close();
    }

    /** server1 dead (refuses connections), server2..{@code servers} its replicas. */
    private FailoverSetup deadMaster(int servers) {
        return deadMaster(servers, (i, s) -> {});
    }

    private FailoverSetup deadMaster(
            int servers, java.util.function.BiConsumer<Integer, io.mha4j.config.ServerConfig.Builder> settings) {
        cluster = new ScriptedCluster(servers, settings);
        cluster.down.add("server1");
        return cluster.setup(recording);
    }

    /** Phase 1's check and what phase 3 made of its read. */
    private record Phases(FailoverCheck check, NewMasterRecovery.Promotion promotion) {}

    /** Phases 1 and 3 as a failover runs them: the check's read and election handed to the recovery. */
    private Phases checkAndPromote(FailoverSetup setup) {
        FailoverCheck check = new FailoverCheck(setup);
        ClusterRead read = check.run(cluster.config(1));
        return new Phases(
                check,
                new NewMasterRecovery(setup)
                        .run(
                                context(),
                                read.survivors(),
                                read.errant(),
                                check.election(),
                                Optional.empty(),
                                elected -> {}));
    }

    private FailoverContext context() {
        return new FailoverContext(cluster.config, cluster.config(1), Optional.empty(), null, Path.of("/nonexistent"));
    }

    @Test
    void theCheckPassesWithEveryReplicaReadAndSomeoneElectable() {
        FailoverSetup setup = deadMaster(3);
        FailoverCheck check = new FailoverCheck(setup);

        ClusterRead read = check.run(cluster.config(1));

        assertThat(read.survivors()).extracting(s -> s.config().block()).containsExactly("server2", "server3");
        assertThat(read.unreachable()).isEmpty();
        assertThat(check.election())
                .hasValueSatisfying(e -> assertThat(e.winner()).isPresent());
        assertThat(asked).singleElement().satisfies(c -> {
            assertThat(c.master()).isEqualTo(cluster.config(1));
            assertThat(c.purpose()).isEqualTo(ElectionContext.Purpose.FAILOVER);
            assertThat(c.previous()).isEmpty();
        });
        assertThat(cluster.server(2).executed).as("phase 1 changes nothing").isEmpty();
    }

    @Test
    void theCheckRefusesAMasterThatAnswersSql() {
        FailoverSetup setup = deadMaster(3);
        cluster.down.clear();

        assertThatThrownBy(() -> new FailoverCheck(setup).run(cluster.config(1)))
                .isInstanceOf(FailoverRefusal.class)
                .hasMessageContaining("answers SQL")
                .hasMessageContaining("it is alive, not failing over");
    }

    @Test
    void theCheckRefusesAWritableReplicaNamingIt() {
        FailoverSetup setup = deadMaster(3);
        cluster.server(3).readOnly = false;

        assertThatThrownBy(() -> new FailoverCheck(setup).run(cluster.config(1)))
                .isInstanceOf(FailoverRefusal.class)
                .hasMessageContaining(cluster.config(3).displayName() + " is writable (read_only=0)")
                .hasMessageContaining("two writable masters");
    }

    @Test
    void theCheckRefusesWhenNobodyMayBecomeMasterWithEveryLosersReason() {
        FailoverSetup setup = deadMaster(3, (i, s) -> s.set(Parameter.NO_MASTER, i > 1));

        assertThatThrownBy(() -> new FailoverCheck(setup).run(cluster.config(1)))
                .isInstanceOf(FailoverRefusal.class)
                .hasMessageContaining("no server may become the new master")
                .hasMessageContaining("server2: ")
                .hasMessageContaining("server3: ")
                .hasMessageContaining("no_master");
    }

    @Test
    void aReplicaThatCannotBeReadIsLeftOutNamedAndTheCheckGoesOn() {
        FailoverSetup setup = deadMaster(4);
        cluster.down.add("server4");

        ClusterRead read = new FailoverCheck(setup).run(cluster.config(1));

        assertThat(read.survivors()).extracting(s -> s.config().block()).containsExactly("server2", "server3");
        assertThat(read.unreachable()).containsOnlyKeys(cluster.config(4));
        assertThat(read.unreachable().get(cluster.config(4))).contains("Can't connect");
    }

    @Test
    void phaseThreeElectsKnowingPhaseOnesElectionAndPromotesTheLatest() {
        FailoverSetup setup = deadMaster(3);
        cluster.server(3).gtid = "0-1-12";
        Phases done = checkAndPromote(setup);
        NewMasterRecovery.Promotion p = done.promotion();

        assertThat(p.newMaster().config()).isEqualTo(cluster.config(3));
        assertThat(asked).hasSize(2);
        assertThat(asked.get(1).previous())
                .as("phase 3 is told what phase 1's election said")
                .isEqualTo(done.check().election());
        assertThat(cluster.server(3).executed)
                .containsSubsequence("STOP SLAVE", "RESET SLAVE ALL", "SET GLOBAL read_only=OFF");
        assertThat(cluster.server(3).readOnly).isFalse();
        assertThat(cluster.server(2).readOnly)
                .as("only the new master is writable")
                .isTrue();
    }

    @Test
    void aCandidateBehindIsCaughtUpFromTheLatestReplicaBeforeItIsPromoted() {
        FailoverSetup setup = deadMaster(3, (i, s) -> s.set(Parameter.CANDIDATE_MASTER, i == 2));
        cluster.server(3).gtid = "0-1-12";
        ClusterRead read = new FailoverCheck(setup).run(cluster.config(1));

        NewMasterRecovery.Promotion p = new NewMasterRecovery(setup)
                .run(context(), read.survivors(), read.errant(), Optional.empty(), Optional.empty(), elected -> {});

        assertThat(p.newMaster().config()).isEqualTo(cluster.config(2));
        assertThat(cluster.server(2).executed)
                .anySatisfy(
                        sql -> assertThat(sql).startsWith("CHANGE MASTER TO").contains("MASTER_PORT=3308"));
        assertThat(cluster.server(2).gtid).isEqualTo("0-1-12");
        assertThat(cluster.server(2).readOnly).isFalse();
    }

    @Test
    void theCompensationMayStartWhereTheNewMasterHadExecutedTheDeadMastersLog() {
        FailoverSetup setup = deadMaster(3);
        cluster.server(3).gtid = "0-1-12";

        checkAndPromote(setup);

        assertThat(cluster.compensations).singleElement().satisfies(r -> {
            assertThat(r.latestReceived()).hasValue(new BinlogPosition("mysql-bin.000001", 200));
            assertThat(r.latestExecuted())
                    .hasValue(new ExecutedUpTo(
                            new BinlogPosition("mysql-bin.000001", 200), MariadbGtidSet.parse("0-1-12")));
        });
    }

    /**
     * The GTIDs that go with another replica's executed position are read after it: one read of
     * a server takes its GTIDs before its replica status, and a transaction committed between the
     * two would be behind the position yet missing from the GTIDs (here: the latest replica's
     * GTIDs move on once read, as that transaction's would).
     */
    @Test
    void theExecutedPositionOfTheReplicaCaughtUpWithGoesWithItsGtidsReadAfterIt() {
        FailoverSetup setup = deadMaster(3, (i, s) -> s.set(Parameter.CANDIDATE_MASTER, i == 2));
        cluster.server(3).gtid = "0-1-12";
        ClusterRead read = new FailoverCheck(setup).run(cluster.config(1));
        cluster.server(2).sources = port -> {
            cluster.server(3).gtid = "0-1-13";
            return cluster.server(3);
        };

        new NewMasterRecovery(setup)
                .run(context(), read.survivors(), read.errant(), Optional.empty(), Optional.empty(), elected -> {});

        assertThat(cluster.compensations)
                .singleElement()
                .satisfies(r -> assertThat(r.latestExecuted())
                        .hasValue(new ExecutedUpTo(
                                new BinlogPosition("mysql-bin.000001", 200), MariadbGtidSet.parse("0-1-13"))));
    }

    @Test
    void aCandidateThatNeverCatchesUpIsNotPromotedAfterApplyTimeoutInVirtualTime() {
        FailoverSetup setup = deadMaster(3, (i, s) -> s.set(Parameter.CANDIDATE_MASTER, i == 2));
        cluster.server(3).gtid = "0-1-12";
        ClusterRead read = new FailoverCheck(setup).run(cluster.config(1));
        cluster.server(2).sources = port -> null; // it replicates, and receives nothing
        ManualScheduler time = cluster.time;

        assertThatThrownBy(() -> new NewMasterRecovery(setup)
                        .run(
                                context(),
                                read.survivors(),
                                read.errant(),
                                Optional.empty(),
                                Optional.empty(),
                                elected -> {}))
                .isInstanceOf(NewMasterRecovery.NoPromotion.class)
                .hasMessageContaining("recovering the new master")
                .hasMessageContaining("timed out after 600000 ms")
                .hasMessageContaining("lacks 0-1-11..12");
        assertThat(Duration.between(ManualScheduler.EPOCH, time.now()))
                .isGreaterThanOrEqualTo(ScriptedCluster.APPLY_TIMEOUT);
        assertThat(cluster.server(2).readOnly).isTrue();
        assertThat(cluster.server(3).readOnly).isTrue();
    }

    @Test
    void aHookVetoingOneReplicasRewiringLeavesItAsItWasAndNotRecovered() {
        io.mha4j.FailoverHook lostLead = new io.mha4j.FailoverHook() {
            @Override
            public String name() {
                return "coordination";
            }

            @Override
            public void beforeRewire(FailoverContext context, io.mha4j.config.ServerConfig replica) {
                if (replica.block().equals("server4")) {
                    throw new FailoverVetoException(name(), "this manager no longer leads app1");
                }
            }
        };
        cluster = new ScriptedCluster(4, (i, s) -> {});
        cluster.down.add("server1");
        FailoverSetup setup = cluster.setup(recording, List.of(lostLead));
        cluster.server(2).gtid = "0-1-12";
        NewMasterRecovery.Promotion p = checkAndPromote(setup).promotion();
        int server4Source = cluster.server(4).sourcePort;

        Map<String, ReplicaOutcome> outcomes = new java.util.HashMap<>();
        new ReplicaRecovery(setup)
                .run(context().withNewMaster(p.newMaster().config()), p, Map.of())
                .forEach(o -> outcomes.put(o.server(), o));

        assertThat(outcomes.get(cluster.config(3).displayName()).recovered()).isTrue();
        assertThat(outcomes.get(cluster.config(4).displayName())).satisfies(o -> {
            assertThat(o.recovered()).isFalse();
            assertThat(o.detail()).contains("not rewired").contains("no longer leads");
        });
        assertThat(cluster.server(4).sourcePort).as("left as it was").isEqualTo(server4Source);
    }

    @Test
    void eachReplicaEndsRecoveredBrokenOrTimedOutAndSaysWhich() {
        FailoverSetup setup = deadMaster(5);
        cluster.server(2).gtid = "0-1-12";
        NewMasterRecovery.Promotion p = checkAndPromote(setup).promotion();
        assertThat(p.newMaster().config()).isEqualTo(cluster.config(2));
        cluster.server(4).sqlStops(1062, "Duplicate entry '7' for key 'PRIMARY'");
        cluster.server(5).sources = port -> null; // replicates, never receives anything

        Map<String, ReplicaOutcome> outcomes = new java.util.HashMap<>();
        new ReplicaRecovery(setup)
                .run(context().withNewMaster(p.newMaster().config()), p, Map.of())
                .forEach(o -> outcomes.put(o.server(), o));

        assertThat(outcomes.get(cluster.config(3).displayName()).recovered()).isTrue();
        assertThat(cluster.server(3).gtid).isEqualTo("0-1-12");
        assertThat(outcomes.get(cluster.config(4).displayName())).satisfies(o -> {
            assertThat(o.recovered()).isFalse();
            assertThat(o.reason()).isEqualTo(Reason.REPLICATION_ERROR);
            assertThat(o.detail()).contains("Duplicate entry");
        });
        assertThat(outcomes.get(cluster.config(5).displayName())).satisfies(o -> {
            assertThat(o.recovered()).isFalse();
            assertThat(o.reason()).isEqualTo(Reason.TIMED_OUT);
        });
        assertThat(Duration.between(ManualScheduler.EPOCH, cluster.time.now()))
                .isGreaterThanOrEqualTo(ScriptedCluster.APPLY_TIMEOUT);
    }

    @Test
    void statementsThatDeleteRelayLogsMayTakeLongerTheLargerTheyAre() {
        FailoverSetup setup = deadMaster(4, (i, s) -> s.set(Parameter.CANDIDATE_MASTER, i == 2));
        cluster.server(2).relayLogSpace = 512L << 20;
        cluster.server(3).relayLogSpace = 1L << 30;
        cluster.server(3).gtid = "0-1-12"; // the latest: the candidate catches up from it
        cluster.server(4).relayLogSpace = 1000;
        NewMasterRecovery.Promotion p = checkAndPromote(setup).promotion();
        assertThat(p.newMaster().config()).isEqualTo(cluster.config(2));

        recoverReplicas(setup, p);

        assertThat(boundOf(2, sql -> sql.startsWith(CHANGE)))
                .as("the candidate's catch-up deletes its 512 MiB of relay logs")
                .isEqualTo(READ.plus(Survivor.PURGE_PER_MIB.multipliedBy(512)));
        assertThat(boundOf(3, sql -> sql.startsWith(CHANGE)))
                .isEqualTo(READ.plus(Survivor.PURGE_PER_MIB.multipliedBy(1024)));
        assertThat(boundOf(4, sql -> sql.startsWith(CHANGE)))
                .as("under a MiB: nothing added")
                .isEqualTo(READ);
    }

    @Test
    void stoppingAReplicaInsideATransactionMayTakeAsLongAsRollingBackWhatItApplied() {
        FailoverSetup setup = deadMaster(3);
        cluster.server(3).gtid = "0-1-12";
        cluster.server(3).partialTransaction = 30L << 20; // the latest: stopped before the compensation
        cluster.server(2).partialTransaction = 3L << 20;
        NewMasterRecovery.Promotion p = checkAndPromote(setup).promotion();
        assertThat(p.newMaster().config()).isEqualTo(cluster.config(3));

        recoverReplicas(setup, p);

        assertThat(boundOf(3, "STOP SLAVE"::equals))
                .as("the new master's SQL thread rolls back 30 MiB of row events before the compensation")
                .isEqualTo(READ.plus(Survivor.ROLLBACK_PER_MIB.multipliedBy(30)));
        assertThat(boundOf(2, "STOP SLAVE"::equals))
                .as("so does a rewired replica's")
                .isEqualTo(READ.plus(Survivor.ROLLBACK_PER_MIB.multipliedBy(3)));
        assertThat(boundOf(2, "SHOW SLAVE STATUS"::equals))
                .as("its polls as it catches up are answered at once, or it is frozen")
                .isEqualTo(READ);
    }

    private void recoverReplicas(FailoverSetup setup, NewMasterRecovery.Promotion p) {
        assertThat(new ReplicaRecovery(setup)
                        .run(context().withNewMaster(p.newMaster().config()), p, Map.of()))
                .allSatisfy(o -> assertThat(o.recovered()).as(o.detail()).isTrue());
    }

    /** The bound the last statement that {@code matches} ran under on {@code server}. */
    private Duration boundOf(int server, java.util.function.Predicate<String> matches) {
        return cluster.server(server).boundOf.entrySet().stream()
                .filter(e -> matches.test(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError("server" + server + " ran no such statement bounded"));
    }
}
