package io.mha4j.internal.failover;

import io.mha4j.failover.Compensation;
import io.mha4j.failover.FailoverPhase;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.PhaseTiming;
import io.mha4j.failover.PossibleLoss;
import io.mha4j.failover.ReplicaOutcome;
import io.mha4j.failover.TimedStep;
import io.mha4j.gtid.MariadbGtidSet;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Realistic reports of the shapes a failover ends in, shared by the rendering tests. */
final class FailoverReports {
    static final Instant START = Instant.parse("2026-11-25T04:00:00Z");
    static final String REJOIN = "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=3307, MASTER_USER='repl',"
            + " MASTER_PASSWORD='xxx', MASTER_USE_GTID=slave_pos";

    private FailoverReports() {}

    private static List<PhaseTiming> allPhases(String replicasResult) {
        return List.of(
                new PhaseTiming(FailoverPhase.CHECK, Duration.ofMillis(31), "ok"),
                new PhaseTiming(
                        FailoverPhase.ISOLATE,
                        Duration.ofMillis(1_204),
                        "ok",
                        List.of(
                                new TimedStep("sql", Duration.ofMillis(4), "no answer: connection refused"),
                                new TimedStep("ssh", Duration.ofMillis(17), "answered: reused connection #1"),
                                new TimedStep("replicas", Duration.ofMillis(6), "2 of 2 read"),
                                new TimedStep(
                                        "freeze", Duration.ofMillis(9), "IO threads stopped on 2 of 2 replica(s)"),
                                new TimedStep("hooks", Duration.ofMillis(1_160), "isolate, then fence"))),
                new PhaseTiming(FailoverPhase.RECOVER_NEW_MASTER, Duration.ofMillis(2_310), "ok"),
                new PhaseTiming(FailoverPhase.RECOVER_REPLICAS, Duration.ofMillis(480), replicasResult),
                new PhaseTiming(FailoverPhase.CLEANUP, Duration.ofMillis(12), "ok"));
    }

    /** Three servers on one host; the dead master had two transactions no replica had received. */
    static FailoverReport succeeded() {
        Map<String, String> losers = new LinkedHashMap<>();
        losers.put("server3", "lacks 1 transaction(s) of the latest replica");
        return new FailoverReport(
                "app1",
                FailoverReport.Outcome.SUCCEEDED,
                "127.0.0.1(127.0.0.1:3306)",
                Optional.of("127.0.0.1(127.0.0.1:3307)"),
                "candidate_master=1 and has the latest transactions",
                losers,
                Optional.of(Compensation.checked(
                        "binary logs of 127.0.0.1(127.0.0.1:3306) (mysql-bin.000003)",
                        Optional.of(MariadbGtidSet.parse("0-1-201..202")),
                        Optional.of("/var/log/mha/app1/saved_master_binlog_from_127.0.0.1_3306_20261125040000.binlog"),
                        "",
                        List.of(
                                new TimedStep(
                                        "connect",
                                        Duration.ofMillis(0),
                                        "the dead master: reused connection #1 and its warm shell (pid 4711)"),
                                new TimedStep("locate", Duration.ofMillis(3), "1 binary log(s)"),
                                new TimedStep("tool", Duration.ofMillis(21), "2417 bytes"),
                                new TimedStep("replay", Duration.ofMillis(38), "2 transaction(s)"),
                                new TimedStep("verify", Duration.ofMillis(2), "holds all")))),
                allPhases("ok"),
                List.of(new ReplicaOutcome(
                        "127.0.0.1(127.0.0.1:3308)",
                        "127.0.0.1",
                        true,
                        "Slave started, replicating from 127.0.0.1(127.0.0.1:3307)")),
                Optional.of(REJOIN),
                List.of(),
                START,
                START.plusMillis(4_037));
    }

    /** What the replicas had not received was on the dead master only, whose host refused SSH. */
    static final PossibleLoss UNCHECKED_TAIL = new PossibleLoss(
            MariadbGtidSet.parse("0-1-57"),
            "the dead master's host db1 does not answer over SSH: transactions no replica received could not be read"
                    + " (no [binlogN] server is configured)");

    /**
     * The new master is writable, one of two replicas could not be rewired, and the dead master's
     * host did not answer over SSH: what the replicas had not received may be lost.
     */
    static FailoverReport partial() {
        Map<String, String> losers = new LinkedHashMap<>();
        losers.put("server3", "not the latest; lost to server2");
        losers.put("server4", "no_master=1");
        return new FailoverReport(
                "app1",
                FailoverReport.Outcome.PARTIAL,
                "db1(10.0.0.51:3306)",
                Optional.of("db2(10.0.0.52:3306)"),
                "has the latest transactions",
                losers,
                Optional.of(Compensation.none("the dead master's host did not answer over SSH")),
                allPhases("1 of 2 replica(s) not recovered"),
                List.of(
                        new ReplicaOutcome(
                                "db3(10.0.0.53:3306)",
                                "db3",
                                true,
                                "Slave started, replicating from" + " db2(10.0.0.52:3306)"),
                        new ReplicaOutcome("db4(10.0.0.54:3306)", "db4", false, "START SLAVE failed: Access denied")),
                Optional.of("CHANGE MASTER TO MASTER_HOST='10.0.0.52', MASTER_PORT=3306, MASTER_PASSWORD='xxx'"),
                List.of("db4(10.0.0.54:3306): START SLAVE failed: Access denied"),
                START,
                START.plusMillis(3_420),
                Map.of(),
                Optional.of(UNCHECKED_TAIL));
    }

    /**
     * Every replica was rewired, but the dead master's binary logs could not be read: nothing is
     * known of what it wrote after 0-1-57.
     */
    static FailoverReport uncheckedTail() {
        return new FailoverReport(
                "app1",
                FailoverReport.Outcome.PARTIAL,
                "db1(10.0.0.51:3306)",
                Optional.of("db2(10.0.0.52:3306)"),
                "has the latest transactions",
                Map.of(),
                Optional.of(Compensation.none(UNCHECKED_TAIL.reason())),
                allPhases("ok"),
                List.of(new ReplicaOutcome(
                        "db3(10.0.0.53:3306)",
                        "db3",
                        true,
                        "Slave started, replicating from" + " db2(10.0.0.52:3306)")),
                Optional.of(REJOIN),
                List.of(),
                START,
                START.plusMillis(910),
                Map.of(),
                Optional.of(UNCHECKED_TAIL));
    }

    /** Refused in phase 1: no new master, no compensation, no rejoin statement, no losers. */
    static FailoverReport refused() {
        return new FailoverReport(
                "app1",
                FailoverReport.Outcome.REFUSED,
                "db1(10.0.0.51:3306)",
                Optional.empty(),
                "",
                Map.of(),
                Optional.empty(),
                List.of(new PhaseTiming(
                        FailoverPhase.CHECK, Duration.ofMillis(40), "failed: the last failover was 12 minute(s) ago")),
                List.of(),
                Optional.empty(),
                List.of("the last failover was 12 minute(s) ago"),
                START,
                START.plusMillis(40));
    }

    /**
     * Promoted the clean replica: the other one holds errant transactions (and its SQL thread
     * stopped on them), one more did not answer.
     */
    static FailoverReport errant() {
        Map<String, String> losers = new LinkedHashMap<>();
        losers.put(
                "server3",
                "its relay log is not fully applied (SQL thread error error 1950: An attempt was made"
                        + " to binlog GTID 0-1-101 which would create an out-of-order sequence number with existing GTID"
                        + " 0-3-101); errant transactions 0-3-101..101 (1 the dead master never wrote and no other replica"
                        + " holds)");
        Map<String, io.mha4j.gtid.GtidSet> errant = new LinkedHashMap<>();
        errant.put("db3(10.0.0.53:3306)", MariadbGtidSet.parse("0-3-101..101"));
        return new FailoverReport(
                "app1",
                FailoverReport.Outcome.PARTIAL,
                "db1(10.0.0.51:3306)",
                Optional.of("db2(10.0.0.52:3306)"),
                "has the latest transactions",
                losers,
                Optional.of(Compensation.checked(
                        "binary logs of db1(10.0.0.51:3306) (mysql-bin.000007)",
                        Optional.empty(),
                        Optional.of("/var/log/mha/app1/saved_master_binlog_from_db1_3306_20261125040000.sql"),
                        "nothing to recover: the latest replica had received every transaction",
                        List.of())),
                allPhases("2 of 2 replica(s) not recovered"),
                List.of(
                        new ReplicaOutcome(
                                "db3(10.0.0.53:3306)",
                                "db3",
                                false,
                                "db3(10.0.0.53:3306): its SQL thread"
                                        + " stopped on error 1950: An attempt was made to binlog GTID 0-1-101 which would create an"
                                        + " out-of-order sequence number",
                                ReplicaOutcome.Reason.REPLICATION_ERROR),
                        new ReplicaOutcome(
                                "db4(10.0.0.54:3306)",
                                "db4",
                                false,
                                "not recovered: could not be read"
                                        + " (did not answer within 500 ms (replica_read_timeout); left out); "
                                        + ReplicaOutcome.Reason.REWIRED_LATER,
                                ReplicaOutcome.Reason.DID_NOT_ANSWER)),
                Optional.of(REJOIN),
                List.of(),
                START,
                START.plusMillis(900),
                errant);
    }
}
