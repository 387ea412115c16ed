package io.mha4j.internal.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.gtid.GtidFormatException;
import io.mha4j.gtid.GtidSet;
import io.mha4j.gtid.MariadbGtidSet;
import io.mha4j.gtid.MysqlGtidSet;
import io.mha4j.internal.dialect.Dialects;
import io.mha4j.remote.CommandResult;
import io.mha4j.server.ServerVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saved events as mariadb-binlog and mysqlbinlog print them (texts cut from mariadb-binlog 10.11's
 * output and from mysqlbinlog 8.0's documented shape), and when the tool's output is trusted.
 */
class SavedEventsTest {
    /** What both tools print before opening any log: what an unreadable first log leaves. */
    static final String PREAMBLE = """
            /*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=1*/;
            /*!40019 SET @@session.max_delayed_threads=0*/;
            /*!50003 SET @OLD_COMPLETION_TYPE=@@COMPLETION_TYPE,COMPLETION_TYPE=0*/;
            DELIMITER /*!*/;
            """;

    static final String START = """
            # at 4
            #261206 17:48:25 server id 1  end_log_pos 256 CRC32 0x5dd6f96a \tStart: binlog v 4, server v 10.11.19-MariaDB-0+deb12u1-log created 261206 17:48:25 at startup
            # Warning: this binlog is either in use or was not closed properly.
            ROLLBACK/*!*/;
            BINLOG '
            6Z8Vaw8BAAAA/AAAAAABAAABAAQAMTAuMTEuMTktTWFyaWFEQi0wK2RlYjEydTEtbG9nAAAAAAAA
            '/*!*/;
            """;
    static final String DDL_1 = """
            # at 328
            #261206 17:48:26 server id 1  end_log_pos 370 CRC32 0x844d495d \tGTID 0-1-11 ddl
            /*M!100001 SET @@session.gtid_seq_no=11*//*!*/;
            # at 370
            #261206 17:48:26 server id 1  end_log_pos 487 CRC32 0xbf87e5b7 \tQuery\tthread_id=12\texec_time=0\terror_code=0\txid=0
            SET TIMESTAMP=1796579306/*!*/;
            CREATE DATABASE IF NOT EXISTS mha4j_ledger
            /*!*/;
            """;
    static final String TRANS_2 = """
            # at 398909
            #261206 17:48:27 server id 1  end_log_pos 398951 CRC32 0x7ccf2a85 \tGTID 0-1-12 trans
            /*M!100001 SET @@session.gtid_seq_no=12*//*!*/;
            START TRANSACTION
            /*!*/;
            # at 398951
            #261206 17:48:27 server id 1  end_log_pos 398812 CRC32 0xc4c3fc50 \tTable_map: `mha4j_ledger`.`ledger` mapped to number 18
            BINLOG '
            658VaxMBAAAAQQAAANwVBgAAABIAAAAAAAEADG1oYTRqX2xlZGdlcgAGbGVkZ2VyAAQIDw8RBUAA
            '/*!*/;
            # at 398878
            #261206 17:48:27 server id 1  end_log_pos 398909 CRC32 0xbbdd7943 \tXid = 1287
            COMMIT/*!*/;
            """;
    /** A transaction whose log ends after its first event: a crash mid-write. */
    static final String CUT_3 = """
            # at 398909
            #261206 17:48:27 server id 1  end_log_pos 398951 CRC32 0x7ccf2a85 \tGTID 0-1-13 trans
            /*M!100001 SET @@session.gtid_seq_no=13*//*!*/;
            START TRANSACTION
            /*!*/;
            # at 398951
            """;

    static final String END = """
            DELIMITER ;
            # End of log file
            ROLLBACK /* added by mysqlbinlog */;
            /*!50003 SET COMPLETION_TYPE=@OLD_COMPLETION_TYPE*/;
            /*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=0*/;
            """;
    static final String MARIADB_TRUNCATED = """
            ERROR: Error in Log_event::read_log_event(): 'Event truncated', data_len: 65, event_type: 19
            ERROR: Could not read entry at offset 399081: Error in log format or read error.
            """;

    @TempDir
    Path dir;

    private BinlogText text(String content) throws Exception {
        Path file = dir.resolve("saved.sql");
        Files.writeString(file, content);
        return BinlogText.read(file);
    }

    private static BinlogText from(long offset, String content) {
        BinlogText.Scan scan = new BinlogText.Scan(offset);
        content.lines().forEach(scan::line);
        return scan.done();
    }

    /** The event a replica's executed position points at when it read a log to its end: the rotation to the next. */
    static final String ROTATE_AT_1412 = """
            # at 1412
            #261206 17:48:30 server id 1  end_log_pos 1459 CRC32 0xad14fbe8 \tRotate to mysql-bin.000002  pos: 4
            """;

    @Test
    void textReadFromAByteIsTrustedWhenItsFirstEventIsThereAndBetweenTransactions() {
        assertThat(from(398909, PREAMBLE + START + TRANS_2 + END).misplaced()).isEmpty();
        assertThat(from(1412, PREAMBLE + START + ROTATE_AT_1412 + START + DDL_1 + END)
                        .misplaced())
                .isEmpty();
        assertThat(from(1412, PREAMBLE + START + START + DDL_1 + END).misplaced())
                .as("nothing after the byte in the first log: the next log's format description comes first")
                .isEmpty();
        assertThat(from(1412, PREAMBLE + START + END).misplaced()).isEmpty();
        assertThat(from(595, PREAMBLE + START + """
                                # at 595
                                #261207 19:56:11 server id 1  end_log_pos 618 CRC32 0x163c0cc7 \tStop
                                """ + END).misplaced())
                .as("a clean shutdown's stop event, as mariadb-binlog 10.11 prints it")
                .isEmpty();
    }

    @Test
    void textReadFromAByteIsNotTrustedWhenItsFirstEventIsElsewhereOrInsideATransaction() {
        assertThat(from(398000, PREAMBLE + START + TRANS_2 + END).misplaced())
                .isEqualTo("its first event after the format description is at byte 398909, not at 398000");
        String xidFirst = TRANS_2.substring(TRANS_2.indexOf("# at 398878"));
        assertThat(from(398878, PREAMBLE + START + xidFirst + END).misplaced())
                .startsWith("the event at byte 398878 is no transaction's start: '#261206")
                .contains("Xid = 1287");
        assertThat(from(398909, PREAMBLE + START + "# at 398909\n").misplaced())
                .isEqualTo("no event after '# at 398909'");
        assertThat(SavedEvents.judge(exit(0, ""), from(398000, PREAMBLE + START + TRANS_2 + END), 1))
                .startsWith("read from byte 398000 of the first log: its first event");
    }

    @Test
    void textReadFromAByteMustFollowOnFromTheNewMastersTransactionsWithoutAGap() {
        MariadbGtidSet have = MariadbGtidSet.parse("0-1-10");

        assertThat(BinlogText.gapAfter(have, MariadbGtidSet.parse("0-1-11..14")))
                .isEmpty();
        assertThat(BinlogText.gapAfter(have, MariadbGtidSet.parse(""))).isEmpty();
        assertThat(BinlogText.gapAfter(have, MariadbGtidSet.parse("0-1-12..14")))
                .isEqualTo("what it printed (0-1-12..14) does not follow on from what the new master holds (0-1-10)"
                        + " without a gap");
        assertThat(BinlogText.gapAfter(have, MariadbGtidSet.parse("1-1-5..6")))
                .as("another domain's first transactions are not in the text")
                .isNotEmpty();
    }

    @Test
    void textReadFromAByteIsNotTrustedWhenTheToolSaidAnErrorEvenExiting0() {
        // mariadb-binlog 10.11 started inside an event of a log not closed properly: exit 0, nothing printed.
        assertThat(SavedEvents.judge(
                        exit(
                                0,
                                "ERROR: Error in Log_event::read_log_event(): 'Event truncated', data_len: 134217729,"
                                        + " event_type: 42\n"),
                        from(390, PREAMBLE + START + END),
                        1))
                .isEqualTo("read from byte 390 of the first log, exited 0 saying 'ERROR: Error in"
                        + " Log_event::read_log_event(): 'Event truncated', data_len: 134217729, event_type: 42'");
    }

    private static CommandResult exit(int code, String stderr) {
        return new CommandResult(code, "", stderr, Duration.ZERO);
    }

    @Test
    void mariadbBinlogPrintsEachTransactionsGtidInAnEventComment() throws Exception {
        BinlogText t = text(PREAMBLE + START + DDL_1 + """
                # the payload may mention GTID 9-9-9 in a comment that is not an event header
                INSERT INTO t VALUES ('GTID 0-1-99 in data')
                """ + TRANS_2 + END);

        assertThat(t.transactions()).containsExactly("0-1-11", "0-1-12");
        assertThat(t.unfinished()).isEmpty();
        assertThat(t.preamble()).isTrue();
        assertThat(t.logs()).isEqualTo(1);
        assertThat(t.ended()).isTrue();
    }

    @Test
    void mysqlbinlogSetsGtidNextBeforeEachTransaction() throws Exception {
        BinlogText t = text("""
                # The proper term is pseudo_replica_mode, but we use this compatibility alias
                # to make the statement usable on server versions 8.0.24 and older.
                /*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=1*/;
                DELIMITER /*!*/;
                # at 4
                #240516 20:27:19 server id 1  end_log_pos 126 CRC32 0xb34a30ca \tStart: binlog v 4, server v 8.0.35 created 240516 20:27:19
                #240516 20:27:19 server id 1  end_log_pos 236 CRC32 0xb8323f9d \tGTID\tlast_committed=0\tsequence_number=1
                SET @@SESSION.GTID_NEXT= '3e11fa47-71ca-11e1-9e33-c80aa9429562:23'/*!*/;
                # at 236
                #240516 20:27:19 server id 1  end_log_pos 307 CRC32 0xac9d9bc2 \tQuery\tthread_id=739
                BEGIN
                /*!*/;
                #240516 20:27:19 server id 1  end_log_pos 400 CRC32 0xac9d9bc2 \tXid = 20
                COMMIT/*!*/;
                SET @@SESSION.GTID_NEXT= '3e11fa47-71ca-11e1-9e33-c80aa9429562:tag_1:24'/*!*/;
                # at 500
                #240516 20:27:19 server id 1  end_log_pos 600 CRC32 0xac9d9bc2 \tQuery\tthread_id=739
                CREATE TABLE t (id INT)
                /*!*/;
                SET @@SESSION.GTID_NEXT= '3e11fa47-71ca-11e1-9e33-c80aa9429562:25'/*!*/;
                # at 600
                #240516 20:27:19 server id 1  end_log_pos 700 CRC32 0xac9d9bc2 \tQuery\tthread_id=739
                BEGIN
                /*!*/;
                SET @@SESSION.GTID_NEXT= 'AUTOMATIC' /* added by mysqlbinlog */ /*!*/;
                DELIMITER ;
                # End of log file
                """);

        assertThat(t.transactions())
                .containsExactly(
                        "3e11fa47-71ca-11e1-9e33-c80aa9429562:23", "3e11fa47-71ca-11e1-9e33-c80aa9429562:tag_1:24");
        assertThat(t.unfinished()).containsExactly("3e11fa47-71ca-11e1-9e33-c80aa9429562:25");
        assertThat(t.preamble()).isTrue();
        assertThat(t.logs()).isEqualTo(1);
    }

    @Test
    void aTransactionCutOffMidWriteIsUnfinishedNotRecovered() throws Exception {
        BinlogText t = text(PREAMBLE + START + TRANS_2 + CUT_3 + START + DDL_1 + END);

        assertThat(t.transactions()).containsExactly("0-1-12", "0-1-11");
        assertThat(t.unfinished()).containsExactly("0-1-13");
        assertThat(t.printed()).containsExactly("0-1-12", "0-1-11", "0-1-13");
        assertThat(t.logs()).isEqualTo(2);
    }

    @Test
    void aFirstLogTheToolCouldNotOpenIsNotNothingToRecover() throws Exception {
        // mariadb-binlog 10.11 on an unreadable log: exit 1, and its preamble on stdout all the same.
        String wrong = SavedEvents.judge(
                exit(
                        1,
                        "mariadb-binlog: File '/var/lib/mysql/mysql-bin.000003' not found"
                                + " (Errcode: 13 \"Permission denied\")\n"),
                text(PREAMBLE),
                1);

        assertThat(wrong).startsWith("exited 1: ").contains("Permission denied");
    }

    @Test
    void aLaterLogTheToolCouldNotOpenIsNotTrustedEither() throws Exception {
        String wrong = SavedEvents.judge(
                exit(
                        1,
                        "mariadb-binlog: File 'mysql-bin.000004' not found (Errcode: 2"
                                + " \"No such file or directory\")\n"),
                text(PREAMBLE + START + TRANS_2),
                2);

        assertThat(wrong).startsWith("exited 1: ").contains("No such file");
    }

    @Test
    void aToolKilledBySignalIsNotTrusted() throws Exception {
        assertThat(SavedEvents.judge(exit(137, ""), text(PREAMBLE + START + TRANS_2), 1))
                .startsWith("exited 137 (killed by a signal?)");
    }

    @Test
    void aLastLogCutOffMidEventIsReadUpToTheCut() throws Exception {
        assertThat(SavedEvents.judge(exit(1, MARIADB_TRUNCATED), text(PREAMBLE + START + TRANS_2 + START + CUT_3), 2))
                .isEmpty();
        assertThat(SavedEvents.judge(exit(1, """
                ERROR: Could not read entry at offset 1234: Error in log format or read error 1.
                ERROR: binlog truncated in the middle of event; consider out of disk space
                """), text(PREAMBLE + START + TRANS_2), 1))
                .as("mysqlbinlog 8.0's words")
                .isEmpty();
    }

    @Test
    void aLogCutOffMidEventBeforeTheLastLeavesTheLaterLogsUnread() throws Exception {
        assertThat(SavedEvents.judge(exit(1, MARIADB_TRUNCATED), text(PREAMBLE + START + CUT_3), 2))
                .startsWith("read 1 of the 2 binary log(s) before failing: ERROR: Error in Log_event");
    }

    @Test
    void aTruncationAmongOtherErrorsIsNotTrusted() throws Exception {
        assertThat(SavedEvents.judge(
                        exit(1, MARIADB_TRUNCATED + "mariadb-binlog: Out of memory\n"),
                        text(PREAMBLE + START + TRANS_2),
                        1))
                .startsWith("exited 1: ");
    }

    @Test
    void aSuccessfulToolMustHaveReadEveryLogAndPrintedItsEnd() throws Exception {
        assertThat(SavedEvents.judge(exit(0, ""), text(PREAMBLE + START + TRANS_2 + END), 1))
                .isEmpty();
        assertThat(SavedEvents.judge(exit(0, ""), text(PREAMBLE + START + TRANS_2 + END), 2))
                .isEqualTo("read 1 of the 2 binary log(s)");
        assertThat(SavedEvents.judge(exit(0, ""), text(PREAMBLE + START + TRANS_2), 1))
                .contains("no closing '# End of log file'");
    }

    @Test
    void outputThatDoesNotBeginWithTheToolsPreambleIsNotTrusted() throws Exception {
        assertThat(SavedEvents.judge(
                        exit(0, ""), text("[1]+  Done    sleep 1\n" + PREAMBLE + START + TRANS_2 + END), 1))
                .contains("its first line is not /*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=1*/; but '[1]+  Done");
        assertThat(SavedEvents.judge(exit(0, ""), text(""), 1)).contains("but ''");
    }

    @Test
    void printedGtidsAreExactlyThoseTransactionsNotPositions() {
        GtidSet printed = BinlogText.exactly(
                Dialects.forVersion(ServerVersion.parse("10.11.19-MariaDB-log", "")),
                List.of("0-1-9", "0-1-12", "1-2-4"));

        assertThat(printed.count()).isEqualTo(3);
        assertThat(printed.intersect(MariadbGtidSet.parse("0-1-10"))).isEqualTo(MariadbGtidSet.parse("0-1-9..9"));
        assertThat(BinlogText.exactly(
                                Dialects.forVersion(ServerVersion.parse("8.4.3", "")),
                                List.of("3e11fa47-71ca-11e1-9e33-c80aa9429562:23"))
                        .count())
                .isEqualTo(1);
    }

    @Test
    void consecutivePrintedGtidsBecomeRangesWithoutLosingGapsOrSources() {
        List<String> gtids = new ArrayList<>();
        for (int seq = 101; seq <= 3000; seq++) {
            gtids.add("0-1-" + seq);
        }
        gtids.addAll(List.of("0-1-3002", "0-2-3003", "0-1-3004", "1-1-7", "1-1-8"));

        GtidSet printed =
                BinlogText.exactly(Dialects.forVersion(ServerVersion.parse("10.11.19-MariaDB-log", "")), gtids);

        assertThat(printed.count()).isEqualTo(2905);
        assertThat(printed.contains(MariadbGtidSet.parse("0-1-101..3000"))).isTrue();
        assertThat(printed.intersect(MariadbGtidSet.parse("0-1-100"))).isEqualTo(MariadbGtidSet.parse(""));
        assertThat(printed.intersect(MariadbGtidSet.parse("0-1-3001..3001"))).isEqualTo(MariadbGtidSet.parse(""));
        assertThat(printed.intersect(MariadbGtidSet.parse("1-1-8"))).isEqualTo(MariadbGtidSet.parse("1-1-7..8"));

        String uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        GtidSet mysql = BinlogText.exactly(
                Dialects.forVersion(ServerVersion.parse("8.4.3", "")),
                List.of(uuid + ":5", uuid + ":6", uuid + ":8", uuid + ":etl:9", uuid + ":etl:10"));
        assertThat(mysql).isEqualTo(MysqlGtidSet.parse(uuid + ":5-6:8:etl:9-10"));
        assertThatThrownBy(() -> BinlogText.exactly(
                        Dialects.forVersion(ServerVersion.parse("10.11.19-MariaDB-log", "")),
                        List.of("0-1-5", "0-1-18446744073709551615")))
                .as("beyond a long: the parser's own error, naming the number")
                .isInstanceOf(GtidFormatException.class)
                .hasMessageContaining("18446744073709551615");
    }
}
