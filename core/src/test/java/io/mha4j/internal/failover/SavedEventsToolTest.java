package io.mha4j.internal.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mha4j.Mha4jException;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.gtid.MariadbGtidSet;
import io.mha4j.internal.dialect.Dialects;
import io.mha4j.remote.LocalShell;
import io.mha4j.server.Dialect;
import io.mha4j.server.ServerVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saved events from the real {@code mariadb-binlog} on this machine (no server): a binary log
 * of MariaDB 10.11 holding GTIDs 0-1-1 and 0-1-2 (DDL) and 0-1-3 and 0-1-4 (one-row
 * transactions; 1412 bytes, still flagged in use as a crashed master's last log is), whole, cut
 * inside the last transaction's last event, or gone; read from its start or from a byte (a
 * transaction's start, the log's end, inside an event). What the tool prints and how it exits in
 * each case is what {@link SavedEvents} judges.
 */
class SavedEventsToolTest {
    private static final int XID_OF_0_1_4 = 1381;
    private static final int GTID_0_1_3 = 762;
    private static final int XID_OF_0_1_3 = 1056;
    private static final int FLAGS = 4 + 17;
    private static final ServerConfig HOST = ApplicationConfig.builder("app1")
            .user("mha")
            .password("pw")
            .server("db1", s -> s.hostname("127.0.0.1").port(3306))
            .build()
            .servers()
            .get(0);
    private static final Dialect MARIADB = Dialects.forVersion(ServerVersion.parse("10.11.19-MariaDB-log", ""));

    @TempDir
    Path dir;

    private byte[] log;

    @BeforeEach
    void fixture() throws IOException {
        assumeTrue(
                Stream.of(System.getenv("PATH").split(":"))
                        .anyMatch(p -> Files.isExecutable(Path.of(p, "mariadb-binlog"))),
                "mariadb-binlog is not installed");
        try (InputStream in = getClass().getResourceAsStream("mysql-bin.000001")) {
            log = in.readAllBytes();
        }
    }

    /** The log, cut {@code bytes} into its last transaction's Xid event, closed properly or not. */
    private byte[] cut(int bytes, boolean closedProperly) {
        byte[] cut = Arrays.copyOf(log, XID_OF_0_1_4 + bytes);
        if (closedProperly) {
            cut[FLAGS] &= ~1;
        }
        return cut;
    }

    private String file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content).toString();
    }

    private BinlogText print(List<String> binlogs) {
        return print(binlogs, 0);
    }

    private BinlogText print(List<String> binlogs, long offset) {
        return SavedEvents.print(
                LocalShell.INSTANCE,
                HOST,
                "db1",
                MARIADB,
                MariadbGtidSet.parse("0-1-2"),
                binlogs,
                offset,
                dir.resolve("saved.sql"),
                new BinlogText.Scan(offset),
                null);
    }

    @Test
    void wholeLogsAreTrusted() throws IOException {
        BinlogText t = print(List.of(file("mysql-bin.000001", log)));

        assertThat(t.transactions()).containsExactly("0-1-3", "0-1-4");
        assertThat(t.unfinished()).isEmpty();
        assertThat(t.logs()).isEqualTo(1);
    }

    @Test
    void aLastLogInUseCutMidEventIsReadToTheCutWithoutItsUnfinishedTransaction() throws IOException {
        BinlogText t = print(List.of(file("mysql-bin.000001", cut(10, false))));

        assertThat(t.transactions()).containsExactly("0-1-3");
        assertThat(t.unfinished()).containsExactly("0-1-4");
    }

    @Test
    void aLastLogClosedProperlyButCutMidEventFailsTheToolYetIsReadToTheCut() throws IOException {
        BinlogText t = print(List.of(file("mysql-bin.000001", cut(10, true))));

        assertThat(t.transactions()).containsExactly("0-1-3");
        assertThat(t.unfinished()).containsExactly("0-1-4");
        assertThat(t.ended()).as("the tool stopped at the cut").isFalse();
    }

    @Test
    void aLogCutBeforeTheLastIsNotTrusted() throws IOException {
        List<String> logs = List.of(file("mysql-bin.000001", cut(10, true)), file("mysql-bin.000002", log));

        assertThatThrownBy(() -> print(logs))
                .isInstanceOf(Mha4jException.class)
                .hasMessageContaining("read 1 of the 2 binary log(s) before failing")
                .hasMessageContaining("Event truncated");
    }

    @Test
    void aLogPurgedBeforeTheToolRanIsNotTrustedThoughTheToolPrintedItsPreamble() throws IOException {
        List<String> logs = List.of(
                file("mysql-bin.000001", log), dir.resolve("mysql-bin.000002").toString());

        assertThatThrownBy(() -> print(logs))
                .isInstanceOf(Mha4jException.class)
                .hasMessageContaining("exited 1: ")
                .hasMessageContaining("mysql-bin.000002' not found");
        assertThat(Files.readString(dir.resolve("saved.sql"))).startsWith(BinlogText.PREAMBLE);
    }

    @Test
    void aLogReadFromATransactionsStartPrintsWhatFollows() throws IOException {
        BinlogText t = print(List.of(file("mysql-bin.000001", log)), GTID_0_1_3);

        assertThat(t.transactions()).containsExactly("0-1-3", "0-1-4");
        assertThat(t.misplaced()).isEmpty();
        assertThat(Files.readString(dir.resolve("saved.sql")))
                .as("nothing before the offset")
                .doesNotContain("GTID 0-1-2");
    }

    @Test
    void aLogReadFromItsEndPrintsNothingAndIsTrusted() throws IOException {
        BinlogText t = print(List.of(file("mysql-bin.000001", log)), log.length);

        assertThat(t.transactions()).isEmpty();
        assertThat(t.logs()).isEqualTo(1);
    }

    @Test
    void aFirstLogReadFromItsEndIsFollowedByTheNextWhole() throws IOException {
        BinlogText t = print(List.of(file("mysql-bin.000001", log), file("mysql-bin.000002", log)), log.length);

        assertThat(t.transactions()).containsExactly("0-1-1", "0-1-2", "0-1-3", "0-1-4");
        assertThat(t.logs()).isEqualTo(2);
    }

    @Test
    void anOffsetInsideAnEventOfALogInUseIsNotTrustedThoughTheToolExits0() throws IOException {
        List<String> logs = List.of(file("mysql-bin.000001", log));

        assertThatThrownBy(() -> print(logs, GTID_0_1_3 + 1))
                .isInstanceOf(Mha4jException.class)
                .hasMessageContaining(
                        "read from byte " + (GTID_0_1_3 + 1) + " of the first log, exited 0 saying 'ERROR");
    }

    @Test
    void anOffsetInsideAnEventOfALogClosedProperlyIsNotTrusted() throws IOException {
        byte[] closed = log.clone();
        closed[FLAGS] &= ~1;
        List<String> logs = List.of(file("mysql-bin.000001", closed));

        assertThatThrownBy(() -> print(logs, GTID_0_1_3 + 1))
                .isInstanceOf(Mha4jException.class)
                .hasMessageContaining("read from byte " + (GTID_0_1_3 + 1) + " of the first log, exited 1");
    }

    @Test
    void anOffsetAtAnEventInsideATransactionIsNotTrusted() throws IOException {
        List<String> logs = List.of(file("mysql-bin.000001", log));

        assertThatThrownBy(() -> print(logs, XID_OF_0_1_3))
                .isInstanceOf(Mha4jException.class)
                .hasMessageContaining("the event at byte " + XID_OF_0_1_3 + " is no transaction's start")
                .hasMessageContaining("Xid = 69");
    }
}
