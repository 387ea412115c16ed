package io.mha4j.internal.failover;

import static io.mha4j.internal.failover.SavedEventsTest.CUT_3;
import static io.mha4j.internal.failover.SavedEventsTest.DDL_1;
import static io.mha4j.internal.failover.SavedEventsTest.END;
import static io.mha4j.internal.failover.SavedEventsTest.PREAMBLE;
import static io.mha4j.internal.failover.SavedEventsTest.START;
import static io.mha4j.internal.failover.SavedEventsTest.TRANS_2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.gtid.GtidSet;
import io.mha4j.internal.dialect.Dialects;
import io.mha4j.remote.CommandResult;
import io.mha4j.server.Dialect;
import io.mha4j.server.ServerVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The merged events handed to the client while the tool still prints: only whole runs, only of a
 * text that began with the tool's preamble, cut nothing off, and holds nothing the new master had.
 * The client is a script that keeps what it read.
 */
class LiveReplayTest {
    private static final Dialect MARIADB = Dialects.forVersion(ServerVersion.parse("10.11.19-MariaDB-log", ""));

    @TempDir
    Path dir;

    private static String trans(int seq) {
        return TRANS_2.replace("0-1-12", "0-1-" + seq)
                .replace("gtid_seq_no=12", "gtid_seq_no=" + seq)
                .replace("Xid = 1287", "Xid = " + (1000 + seq));
    }

    private static String ddl(int seq) {
        return DDL_1.replace("0-1-11", "0-1-" + seq).replace("gtid_seq_no=11", "gtid_seq_no=" + seq);
    }

    private ServerConfig newMaster(Path bindir) {
        return ApplicationConfig.builder("app1")
                .user("mha")
                .password("secret")
                .server(
                        "server2",
                        s -> s.hostname("127.0.0.2").port(3307).set(Parameter.CLIENT_BINDIR, bindir.toString()))
                .build()
                .servers()
                .get(0);
    }

    /** A {@code mariadb} that reads its options, as the real one does first, then keeps its standard input. */
    private ServerConfig withRecordingClient() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path client = bin.resolve("mariadb");
        Files.writeString(client, "#!/bin/sh\ncat /dev/fd/3 > /dev/null\ncat > " + dir.resolve("received") + "\n");
        Files.setPosixFilePermissions(client, PosixFilePermissions.fromString("rwx------"));
        return newMaster(bin);
    }

    private String received() throws IOException {
        Path r = dir.resolve("received");
        return Files.exists(r) ? Files.readString(r, StandardCharsets.ISO_8859_1) : "";
    }

    private String merged() throws IOException {
        return Files.readString(dir.resolve("merged.sql"), StandardCharsets.ISO_8859_1);
    }

    /** The merge fed as the tool's text arrives, its runs ended at every 2 transactions, replayed live. */
    private final class Feed {
        final BinlogText.Scan scan;
        final LiveReplay live;
        final TransactionMerge.Writing merging;

        Feed(GtidSet have) throws IOException {
            this(have, 0);
        }

        /** The first log read from byte {@code from}. */
        Feed(GtidSet have, long from) throws IOException {
            scan = new BinlogText.Scan(from);
            live = LiveReplay.of(withRecordingClient(), MARIADB, dir.resolve("merged.sql"), scan, have)
                    .orElseThrow();
            merging = TransactionMerge.into(
                    dir.resolve("merged.sql"), 2, TransactionMerge.MAX_BYTES, TransactionMerge.MAX_BYTES, live);
        }

        void print(String text) {
            text.lines().forEach(line -> {
                scan.line(line);
                merging.line(line);
            });
        }
    }

    @Test
    void eachRunGoesToTheClientOnceItsCommitIsWrittenBeforeTheToolHasEnded() throws Exception {
        Feed feed = new Feed(MARIADB.parseGtids("0-1-11"));
        feed.print(PREAMBLE + START + trans(12) + trans(13) + trans(14));

        // 12 and 13 are a run; 14 opened the next one, so the first ended.
        await().atMost(Duration.ofSeconds(10)).until(() -> received().contains("COMMIT/*!*/;"));
        assertThat(received()).contains("gtid_seq_no=13").doesNotContain("gtid_seq_no=14");
        assertThat(merged()).startsWith(received());
        assertThat(received()).endsWith("COMMIT/*!*/;\n");

        feed.print(trans(15) + END);
        assertThat(feed.merging.finish()).isPresent();
        CommandResult r = feed.live.end(Files.size(dir.resolve("merged.sql"))).orElseThrow();

        assertThat(r.succeeded()).as(r.stderr()).isTrue();
        assertThat(received()).isEqualTo(merged()).endsWith(END);
        assertThat(feed.live.releasedSoFar()).endsWith("(2 run(s))");
    }

    @Test
    void aTransactionTheNewMasterHeldHoldsBackItsRunAndEverythingAfterIt() throws Exception {
        Feed feed = new Feed(BinlogText.exactly(MARIADB, List.of("0-1-16")));
        feed.print(PREAMBLE + START + trans(12) + trans(13) + ddl(14) + trans(15) + trans(16) + trans(17) + trans(18));
        assertThat(feed.merging.finish()).isPresent();

        CommandResult r = feed.live.end(feed.live.atRelease()).orElseThrow();

        assertThat(r.succeeded()).as(r.stderr()).isTrue();
        assertThat(received()).contains("gtid_seq_no=13").doesNotContain("gtid_seq_no=16", "gtid_seq_no=18");
        assertThat(merged()).startsWith(received()).contains("gtid_seq_no=18");
        assertThat(received()).endsWith("COMMIT/*!*/;\n").hasSize((int) feed.live.atRelease());
    }

    @Test
    void readFromAByteNothingGoesThatDoesNotFollowOnFromTheNewMastersTransactions() throws Exception {
        Feed feed = new Feed(MARIADB.parseGtids("0-1-10"), 398909);
        feed.print(PREAMBLE + START + trans(12) + trans(13) + trans(14) + trans(15));
        assertThat(feed.merging.finish()).isPresent();

        assertThat(feed.live.end(feed.live.atRelease()))
                .as("0-1-11 is missing: no client ran")
                .isEmpty();
        assertThat(received()).isEmpty();
    }

    @Test
    void readFromAByteRunsThatFollowOnFromTheNewMastersTransactionsGoAsTheyArrive() throws Exception {
        Feed feed = new Feed(MARIADB.parseGtids("0-1-11"), 398909);
        feed.print(PREAMBLE + START + trans(12) + trans(13) + trans(14) + trans(15));
        assertThat(feed.merging.finish()).isPresent();

        CommandResult r = feed.live.end(feed.live.atRelease()).orElseThrow();

        assertThat(r.succeeded()).as(r.stderr()).isTrue();
        assertThat(received()).contains("gtid_seq_no=13");
    }

    @Test
    void aTextThatDoesNotBeginWithTheToolsPreambleIsNotReplayedBeforeItIsJudged() throws Exception {
        Feed feed = new Feed(MARIADB.parseGtids("0-1-11"));
        feed.print("Welcome to host1!\n" + PREAMBLE + START + trans(12) + trans(13) + trans(14) + trans(15));
        assertThat(feed.merging.finish()).isPresent();

        assertThat(feed.live.end(feed.live.atRelease())).as("no client ran").isEmpty();

        assertThat(feed.live.atRelease()).isZero();
        assertThat(received()).isEmpty();
        assertThat(feed.live.releasedSoFar()).isEqualTo("nothing");
    }

    @Test
    void aTransactionCutOffBeforeItsEndHoldsBackWhatFollowsIt() throws Exception {
        Feed feed = new Feed(MARIADB.parseGtids("0-1-11"));
        feed.print(PREAMBLE
                + START
                + trans(12)
                + trans(13)
                + trans(14)
                + CUT_3.replace("0-1-13", "0-1-15")
                + trans(16)
                + trans(17));
        assertThat(feed.merging.finish()).isPresent();

        feed.live.end(feed.live.atRelease());

        // 14 was complete, but its run ended after 15 was cut off.
        assertThat(received()).contains("gtid_seq_no=13").doesNotContain("gtid_seq_no=14", "gtid_seq_no=17");
        assertThat(merged()).startsWith(received());
    }

    @Test
    void whenNothingCouldGoBeforeTheEndTheClientStartsThenAndIsGivenTheWholeText() throws Exception {
        Feed feed = new Feed(BinlogText.exactly(MARIADB, List.of("0-1-12")));
        feed.print(PREAMBLE + START + trans(12) + trans(13) + trans(14) + END);
        assertThat(feed.merging.finish()).isPresent();
        assertThat(feed.live.atRelease()).isZero();

        // As if the tool's end had been judged and every GTID checked: the whole file goes.
        CommandResult r = feed.live.end(Files.size(dir.resolve("merged.sql"))).orElseThrow();

        assertThat(r.succeeded()).as(r.stderr()).isTrue();
        assertThat(received()).isEqualTo(merged());
    }
}
