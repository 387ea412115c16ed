package io.mha4j.internal.failover;

import static io.mha4j.internal.failover.SavedEventsTest.DDL_1;
import static io.mha4j.internal.failover.SavedEventsTest.END;
import static io.mha4j.internal.failover.SavedEventsTest.PREAMBLE;
import static io.mha4j.internal.failover.SavedEventsTest.START;
import static io.mha4j.internal.failover.SavedEventsTest.TRANS_2;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionMergeTest {
    @TempDir
    Path dir;

    private static String trans(int seq) {
        return TRANS_2.replace("0-1-12", "0-1-" + seq)
                .replace("gtid_seq_no=12", "gtid_seq_no=" + seq)
                .replace("Xid = 1287", "Xid = " + (1000 + seq))
                .replace("AAQIDw8RBUAA", "AAQIDw8R" + seq);
    }

    private record Merged(TransactionMerge.Result result, String text) {}

    private Merged merge(String printed) throws Exception {
        return merge(printed, TransactionMerge.MAX_TRANSACTIONS);
    }

    private Merged merge(String printed, int maxTransactions) throws Exception {
        Path in = Files.writeString(dir.resolve("in.sql"), printed);
        Path out = dir.resolve("out.sql");
        TransactionMerge.Result r = TransactionMerge.merge(in, out, maxTransactions, TransactionMerge.MAX_BYTES);
        return new Merged(r, Files.readString(out));
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    @Test
    void consecutiveRowTransactionsCommitOnceUnderTheLastGtid() throws Exception {
        Merged m = merge(PREAMBLE + START + trans(12) + trans(13) + trans(14) + END);

        assertThat(m.result()).isEqualTo(new TransactionMerge.Result(3, 1));
        assertThat(count(m.text(), "START TRANSACTION")).isEqualTo(1);
        assertThat(count(m.text(), "COMMIT/*!*/;")).isEqualTo(1);
        assertThat(count(m.text(), "SET @@session.gtid_seq_no=")).isEqualTo(1);
        assertThat(m.text()).contains("SET @@session.gtid_seq_no=14*/");
        assertThat(m.text().indexOf("gtid_seq_no=14")).isLessThan(m.text().indexOf("START TRANSACTION"));
        assertThat(m.text().indexOf("AAQIDw8R12"))
                .isLessThan(m.text().indexOf("AAQIDw8R13"))
                .isLessThan(m.text().indexOf("AAQIDw8R14"));
        assertThat(m.text().indexOf("AAQIDw8R14")).isLessThan(m.text().indexOf("COMMIT/*!*/;"));
        assertThat(m.text()).startsWith(PREAMBLE + START).endsWith(END);
    }

    @Test
    void ddlEndsARunAndPassesUnchanged() throws Exception {
        Merged m = merge(PREAMBLE
                + START
                + trans(12)
                + trans(13)
                + DDL_1.replace("0-1-11", "0-1-14").replace("gtid_seq_no=11", "gtid_seq_no=14")
                + trans(15)
                + trans(16)
                + END);

        assertThat(m.result()).isEqualTo(new TransactionMerge.Result(4, 2));
        assertThat(m.text()).contains("CREATE DATABASE IF NOT EXISTS mha4j_ledger\n/*!*/;");
        assertThat(m.text().indexOf("gtid_seq_no=13")).isLessThan(m.text().indexOf("CREATE DATABASE"));
        assertThat(m.text().indexOf("CREATE DATABASE")).isLessThan(m.text().indexOf("gtid_seq_no=16"));
        assertThat(m.text()).doesNotContain("gtid_seq_no=12", "gtid_seq_no=15");
    }

    @Test
    void aTransactionTheLogCutOffIsNotMergedIntoCommittedOnes() throws Exception {
        Merged m = merge(PREAMBLE
                + START
                + trans(12)
                + trans(13)
                + SavedEventsTest.CUT_3.replace("0-1-13", "0-1-14").replace("gtid_seq_no=13", "gtid_seq_no=14")
                + END);

        assertThat(m.result()).isEqualTo(new TransactionMerge.Result(2, 1));
        assertThat(m.text()).contains("gtid_seq_no=13", "gtid_seq_no=14");
        assertThat(count(m.text(), "START TRANSACTION")).isEqualTo(2);
        assertThat(count(m.text(), "COMMIT/*!*/;"))
                .as("the cut one stays open: the tool's ROLLBACK ends it")
                .isOne();
        assertThat(m.text().indexOf("gtid_seq_no=14")).isGreaterThan(m.text().indexOf("COMMIT/*!*/;"));
    }

    @Test
    void aStatementInATransactionKeepsItAsPrinted() throws Exception {
        String statement = trans(13).replace("BINLOG '", "SET TIMESTAMP=1796579307/*!*/;\nBINLOG '");
        Merged m = merge(PREAMBLE + START + trans(12) + statement + trans(14) + END);

        assertThat(m.result()).isEqualTo(new TransactionMerge.Result(0, 0));
        assertThat(m.text()).isEqualTo(PREAMBLE + START + trans(12) + statement + trans(14) + END);
    }

    @Test
    void anotherServerIdOrDomainStartsAnotherRun() throws Exception {
        String otherServer = trans(13)
                .replace("0-1-13", "0-2-13")
                .replace(
                        "/*M!100001 SET @@session.gtid_seq_no=13",
                        "/*M!100001 SET @@session.server_id=2*//*!*/;\n" + "/*M!100001 SET @@session.gtid_seq_no=13");
        Merged m = merge(PREAMBLE + START + trans(12) + otherServer + trans(14).replace("0-1-14", "0-2-14") + END);

        assertThat(m.result()).isEqualTo(new TransactionMerge.Result(2, 1));
        assertThat(m.text())
                .contains("gtid_seq_no=12", "server_id=2", "gtid_seq_no=14")
                .doesNotContain("seq_no=13");
        assertThat(m.text().indexOf("gtid_seq_no=12")).isLessThan(m.text().indexOf("server_id=2"));
    }

    @Test
    void aRunIsBoundedInTransactions() throws Exception {
        StringBuilder printed = new StringBuilder(PREAMBLE + START);
        for (int seq = 12; seq < 12 + 7; seq++) {
            printed.append(trans(seq));
        }
        Merged m = merge(printed + END, 3);

        assertThat(m.result()).isEqualTo(new TransactionMerge.Result(6, 2));
        assertThat(count(m.text(), "COMMIT/*!*/;")).isEqualTo(3);
        assertThat(m.text()).contains("gtid_seq_no=14*/", "gtid_seq_no=17*/", "gtid_seq_no=18*/");
    }

    @Test
    void eachRunEndsAtABoundaryRightAfterItsCommitOnceItHoldsItsBytes() throws Exception {
        List<Long> boundaries = new ArrayList<>();
        Path out = dir.resolve("out.sql");
        // Two transactions fit in a run, a third does not.
        long runBytes = 2L * trans(12).length();
        TransactionMerge.Writing merging = TransactionMerge.into(
                out, TransactionMerge.MAX_TRANSACTIONS, TransactionMerge.MAX_BYTES, runBytes, boundaries::add);

        (PREAMBLE
                        + START
                        + trans(12)
                        + trans(13)
                        + trans(14)
                        + trans(15)
                        + DDL_1.replace("0-1-11", "0-1-16")
                        + trans(17)
                        + END)
                .lines()
                .forEach(merging::line);

        assertThat(merging.finish()).hasValue(new TransactionMerge.Result(4, 2));
        String text = Files.readString(out, StandardCharsets.ISO_8859_1);
        // [12, 13], [14, 15], then the DDL passes through, then [17] alone: a boundary after each run.
        assertThat(boundaries).hasSize(3).isSorted();
        for (long b : boundaries) {
            assertThat(text.substring(0, (int) b)).endsWith("COMMIT/*!*/;\n");
        }
        assertThat(text.substring(0, boundaries.get(0).intValue()))
                .contains("gtid_seq_no=13")
                .doesNotContain("AAQIDw8R14");
        assertThat(text.substring(0, boundaries.get(1).intValue()))
                .contains("gtid_seq_no=15")
                .doesNotContain("CREATE DATABASE");
        assertThat(text.substring(0, boundaries.get(2).intValue())).contains("CREATE DATABASE", "gtid_seq_no=17");
        assertThat(text.substring(boundaries.get(2).intValue())).isEqualTo(END);
    }

    @Test
    void rowEventsGoTwentyBlocksToAStatementWithNoCommentInsideOne() throws Exception {
        StringBuilder printed = new StringBuilder(PREAMBLE + START);
        for (int seq = 12; seq < 12 + 25; seq++) {
            printed.append(trans(seq));
        }
        Merged m = merge(printed + END);

        assertThat(m.result()).isEqualTo(new TransactionMerge.Result(25, 1));
        String body = m.text()
                .substring(m.text().indexOf("START TRANSACTION"), m.text().indexOf("COMMIT/*!*/;"));
        assertThat(count(body, "BINLOG '")).isEqualTo(2);
        assertThat(count(body, "'/*!*/;")).isEqualTo(2);
        int previous = -1;
        for (int seq = 12; seq < 12 + 25; seq++) {
            int at = body.indexOf("AAQIDw8R" + seq);
            assertThat(at).as("row event of %d, in order", seq).isGreaterThan(previous);
            previous = at;
        }
        for (String statement : body.split("BINLOG '\n")) {
            String literal = statement.contains("'/*!*/;") ? statement.substring(0, statement.indexOf("'/*!*/;")) : "";
            assertThat(literal.lines()).as("base64 only inside a statement").noneMatch(l -> l.startsWith("#"));
        }
    }

    @Test
    void transactionsTheMasterGroupCommittedMergeToo() throws Exception {
        String printed = PREAMBLE
                + START
                + trans(12).replace("GTID 0-1-12 trans", "GTID 0-1-12 cid=100827 trans")
                + trans(13).replace("GTID 0-1-13 trans", "GTID 0-1-13 cid=100827 trans")
                + trans(14)
                + END;

        Merged m = merge(printed);

        assertThat(m.result()).isEqualTo(new TransactionMerge.Result(3, 1));
        assertThat(m.text()).contains("gtid_seq_no=14*/").doesNotContain("gtid_seq_no=12", "gtid_seq_no=13");
    }

    @Test
    void aTransactionLargerThanARunPassesThroughAsPrintedAndTheNextOnesStillMerge() throws Exception {
        String big = trans(13).replace("AAQIDw8R13", "AAQIDw8R13" + "A".repeat(2_000));
        Path in = Files.writeString(
                dir.resolve("in.sql"), PREAMBLE + START + trans(12) + big + trans(14) + trans(15) + END);
        Path out = dir.resolve("out.sql");

        TransactionMerge.Result r = TransactionMerge.merge(in, out, TransactionMerge.MAX_TRANSACTIONS, 1_000);

        assertThat(r).isEqualTo(new TransactionMerge.Result(2, 1));
        String text = Files.readString(out);
        assertThat(text).contains(big.substring(big.indexOf("START TRANSACTION")));
        assertThat(text)
                .contains("gtid_seq_no=12", "gtid_seq_no=13", "gtid_seq_no=15")
                .doesNotContain("seq_no=14");
    }

    @Test
    void aStatementOfJoinedBlocksEndsOnceItHoldsHalfAMebibyte() throws Exception {
        String large = "A".repeat(76);
        StringBuilder printed = new StringBuilder(PREAMBLE + START);
        for (int seq = 12; seq < 15; seq++) {
            // each block ~300 kB of base64: two of them pass the statement's limit
            String t = trans(seq);
            int at = t.indexOf("'/*!*/;");
            printed.append(t, 0, at).append((large + "\n").repeat(4_000)).append(t.substring(at));
        }
        Merged m = merge(printed + END);

        assertThat(m.result()).isEqualTo(new TransactionMerge.Result(3, 1));
        String body = m.text()
                .substring(m.text().indexOf("START TRANSACTION"), m.text().indexOf("COMMIT/*!*/;"));
        assertThat(count(body, "BINLOG '")).isEqualTo(2);
        assertThat(count(body, large)).isEqualTo(12_000);
    }

    @Test
    void aMergeThatCannotWriteStopsQuietlyForTheCallerToReplayTheSavedFile() {
        TransactionMerge.Writing merging = TransactionMerge.into(new java.io.Writer() {
            @Override
            public void write(char[] buf, int off, int len) throws java.io.IOException {
                throw new java.io.IOException("No space left on device");
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        String printed = PREAMBLE + START + trans(12) + trans(13) + END;

        printed.lines().forEach(merging::line);

        assertThat(merging.finish()).isEmpty();
        assertThat(merging.failure()).contains("No space left on device");
    }

    @Test
    void aMergedFileThatCannotBeCreatedStopsQuietlyToo() {
        TransactionMerge.Writing merging = TransactionMerge.into(dir.resolve("no/such/directory/merged.sql"));

        (PREAMBLE + START + trans(12) + trans(13) + END).lines().forEach(merging::line);

        assertThat(merging.finish()).isEmpty();
        assertThat(merging.failure()).contains("cannot write the merged events", "no/such/directory");
    }

    @Test
    void textWithNoTransactionPassesUnchanged() throws Exception {
        Merged m = merge(PREAMBLE + START + DDL_1 + END);

        assertThat(m.result()).isEqualTo(new TransactionMerge.Result(0, 0));
        assertThat(m.text()).isEqualTo(PREAMBLE + START + DDL_1 + END);
    }
}
