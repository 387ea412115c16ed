package io.mha4j.internal.failover;

import static io.mha4j.internal.failover.FailoverReports.REJOIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.failover.FailoverReport;
import org.junit.jupiter.api.Test;

/** The report for humans opens as MHA's summary and says what MHA leaves out. */
class ReportTextTest {

    @Test
    void aSuccessfulFailoverReadsLikeMhasSummaryWithPhasesElectionAndCompensation() {
        String text = FailoverReports.succeeded().toText();

        assertThat(text)
                .startsWith("----- Failover Report -----\n\n"
                        + "app1: MySQL Master failover 127.0.0.1(127.0.0.1:3306) to 127.0.0.1(127.0.0.1:3307) succeeded\n\n"
                        + "Master 127.0.0.1(127.0.0.1:3306) is down!\n\n");
        assertThat(text)
                .containsSubsequence(
                        "Phase 1: Configuration Check Phase:",
                        "31 ms  ok",
                        "Phase 2: Dead Master Shutdown Phase:",
                        "1204 ms  ok",
                        "    ssh          17 ms  answered: reused connection #1\n",
                        "    hooks      1160 ms  isolate, then fence\n",
                        "Phase 5: New master cleanup phase:",
                        "12 ms  ok",
                        "Selected 127.0.0.1(127.0.0.1:3307) as a new master.\n",
                        "  Why: candidate_master=1 and has the latest transactions\n",
                        "  [server3] not selected: lacks 1 transaction(s) of the latest replica\n",
                        "Compensation from binary logs of 127.0.0.1(127.0.0.1:3306) (mysql-bin.000003):\n",
                        "  Applied 2 transaction(s) only the dead master had: 0-1-201..202\n",
                        "  Saved events: /var/log/mha/app1/saved_master_binlog_from_127.0.0.1_3306_20261125040000.binlog\n",
                        "  Steps (64 ms):\n",
                        "    connect       0 ms  the dead master: reused connection #1 and its warm shell (pid 4711)\n",
                        "    locate        3 ms  1 binary log(s)\n",
                        "    tool         21 ms  2417 bytes\n",
                        "    replay       38 ms  2 transaction(s)\n",
                        "    verify        2 ms  holds all\n",
                        "127.0.0.1(127.0.0.1:3307): OK: Applying all logs succeeded.\n",
                        "127.0.0.1(127.0.0.1:3308): OK: Slave started, replicating from 127.0.0.1(127.0.0.1:3307).\n",
                        "Master failover to 127.0.0.1(127.0.0.1:3307) completed successfully.\n",
                        "All other slaves should start replication from here. Statement should be: " + REJOIN + "\n",
                        "Total: 4037 ms (2026-11-25T04:00:00Z to 2026-11-25T04:00:04.037Z)\n");
        assertThat(text).doesNotContain("Errors:").doesNotContain("Note:").doesNotContain("POSSIBLE DATA LOSS");
    }

    @Test
    void aPartialFailoverNamesTheReplicaThatFailedAndItsError() {
        String text = FailoverReports.partial().toText();

        assertThat(FailoverReports.partial().subject())
                .isEqualTo("app1: MySQL Master failover db1(10.0.0.51:3306)"
                        + " to db2(10.0.0.52:3306) done, but transactions after GTID 0-1-57 may be lost and some replicas were"
                        + " not recovered");
        assertThat(text)
                .containsSubsequence(
                        "Phase 4: Slaves Recovery Phase:",
                        "480 ms  1 of 2 replica(s) not recovered",
                        "  [server4] not selected: no_master=1\n",
                        "Compensation from none:\n",
                        "  Applied nothing.\n",
                        "  Note: the dead master's host did not answer over SSH\n",
                        "db3(10.0.0.53:3306): OK: Slave started, replicating from db2(10.0.0.52:3306).\n",
                        "db4(10.0.0.54:3306): ERROR: START SLAVE failed: Access denied.\n",
                        "Master failover to db2(10.0.0.52:3306) done, but transactions after GTID 0-1-57 may be lost and 1"
                                + " replica(s) were not recovered.\n",
                        "Errors:\n  db4(10.0.0.54:3306): START SLAVE failed: Access denied\n",
                        "Statement should be: CHANGE MASTER TO MASTER_HOST='10.0.0.52'");
        assertThat(text)
                .doesNotContain("Saved events:")
                .doesNotContain("completed successfully")
                .as("a compensation that timed nothing lists no steps")
                .doesNotContain("Steps");
    }

    @Test
    void binaryLogsThatCouldNotBeReadAreSaidInTheSubjectAtTheTopAndInTheConclusion() {
        FailoverReport r = FailoverReports.uncheckedTail();
        String text = r.toText();

        assertThat(r.subject())
                .isEqualTo("app1: MySQL Master failover db1(10.0.0.51:3306) to db2(10.0.0.52:3306)"
                        + " done, but transactions after GTID 0-1-57 may be lost");
        assertThat(text)
                .startsWith("----- Failover Report -----\n\n" + r.subject() + "\n\n"
                        + "Master db1(10.0.0.51:3306) is down!\n\n"
                        + "POSSIBLE DATA LOSS: transactions after GTID 0-1-57 could not be checked and may be lost: the dead"
                        + " master's host db1 does not answer over SSH: transactions no replica received could not be read (no"
                        + " [binlogN] server is configured). The new master holds everything the latest replica had received;"
                        + " what the dead master wrote after that is on its host only, if anywhere.\n\n");
        assertThat(text)
                .containsSubsequence(
                        "Compensation from none:\n",
                        "  Applied nothing.\n",
                        "db3(10.0.0.53:3306): OK: Slave started",
                        "Master failover to db2(10.0.0.52:3306) done, but transactions after GTID 0-1-57 may be lost.\n");
        assertThat(text).doesNotContain("completed successfully", "replica(s) were not recovered");
    }

    @Test
    void aRefusedFailoverRendersWithEveryOptionalPartAbsent() {
        String text = FailoverReports.refused().toText();

        assertThat(FailoverReports.refused().subject())
                .isEqualTo("app1: MySQL Master failover db1(10.0.0.51:3306) refused (nothing was changed)");
        assertThat(text)
                .containsSubsequence(
                        "Master db1(10.0.0.51:3306) is down!",
                        "Phase 1: Configuration Check Phase:",
                        "failed: the last failover was 12 minute(s) ago",
                        "No new master was selected.\n",
                        "Failover refused; nothing was changed.\n",
                        "Errors:\n  the last failover was 12 minute(s) ago\n",
                        "Total: 40 ms");
        assertThat(text)
                .doesNotContain(
                        "Selected",
                        "Why:",
                        "Compensation",
                        "Applying all logs",
                        "Statement should be",
                        ": OK:",
                        "null",
                        "Optional");
    }

    @Test
    void errantTransactionsGetTheirOwnSectionAndFailedReplicasTheirErrors() {
        String text = FailoverReports.errant().toText();

        assertThat(text)
                .containsSubsequence(
                        "Phase 4: Slaves Recovery Phase:",
                        "2 of 2 replica(s) not recovered",
                        "  [server3] not selected: its relay log is not fully applied",
                        "errant transactions 0-3-101..101",
                        "Errant transactions (the dead master never wrote them and no other replica holds them; never elected"
                                + " over a replica without them, never copied):\n",
                        "  db3(10.0.0.53:3306): 0-3-101..101 (1 transaction(s))\n",
                        "db3(10.0.0.53:3306): ERROR: db3(10.0.0.53:3306): its SQL thread stopped on error 1950",
                        "db4(10.0.0.54:3306): ERROR: not recovered: could not be read",
                        "rewired when it answers again.\n");
        assertThat(FailoverReports.succeeded().toText()).doesNotContain("Errant");
    }
}
