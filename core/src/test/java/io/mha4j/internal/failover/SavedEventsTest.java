package io.mha4j.internal.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GTIDs of saved events, as mariadb-binlog and mysqlbinlog print them. */
class SavedEventsTest {
    @TempDir
    Path dir;

    @Test
    void mariadbBinlogPrintsEachTransactionsGtidInAnEventComment() throws Exception {
        Path file = dir.resolve("saved.sql");
        Files.writeString(file, """
                /*!100001 SET @@session.gtid_domain_id=0*/;
                # at 4
                #261125  4:25:25 server id 1  end_log_pos 642 CRC32 0xacdf1233 \tGTID 0-1-3 trans
                /*!100001 SET @@session.gtid_seq_no=3*/;
                BEGIN
                /*!*/;
                # the payload may mention GTID 9-9-9 in a comment that is not an event header
                INSERT INTO t VALUES ('GTID 0-1-99 in data')
                #261125  4:25:25 server id 1  end_log_pos 807 CRC32 0x24f659c5 \tGTID 1-2-4 ddl
                """);
        assertThat(SavedEvents.gtids(file)).containsExactly("0-1-3", "1-2-4");
    }

    @Test
    void mysqlbinlogSetsGtidNextBeforeEachTransaction() throws Exception {
        Path file = dir.resolve("saved.sql");
        Files.writeString(file, """
                SET @@SESSION.GTID_NEXT= '3e11fa47-71ca-11e1-9e33-c80aa9429562:23'/*!*/;
                BEGIN
                SET @@SESSION.GTID_NEXT= '3e11fa47-71ca-11e1-9e33-c80aa9429562:tag_1:24'/*!*/;
                SET @@SESSION.GTID_NEXT= 'AUTOMATIC' /* added by mysqlbinlog */ /*!*/;
                """);
        assertThat(SavedEvents.gtids(file)).containsExactly("3e11fa47-71ca-11e1-9e33-c80aa9429562:23",
                "3e11fa47-71ca-11e1-9e33-c80aa9429562:tag_1:24");
    }
}
