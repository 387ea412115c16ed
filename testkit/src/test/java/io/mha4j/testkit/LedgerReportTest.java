package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LedgerReportTest {

    private static final List<Long> NONE = List.of();

    @Test
    void aNodeMissingAcknowledgedIdsMeansWritesWereLost() {
        List<Long> lost = LongStream.rangeClosed(21, 35).boxed().toList();
        LedgerReport report = new LedgerReport(
                35,
                0,
                List.of(
                        new NodeLedger("node2", 20, lost, NONE, NONE, "aa"),
                        new NodeLedger("node3", 35, NONE, NONE, NONE, "bb")));

        assertThat(report.nothingLost()).isFalse();
        assertThat(report.checksumsAgree()).isFalse();
        assertThat(report.nothingLostAndAgreed()).isFalse();
        assertThat(report.node("node2").missing()).containsExactlyElementsOf(lost);
        assertThat(report.toString())
                .contains("WRITES LOST", "node2: 20 rows", "15 missing [21, 22, 23, 24, 25, 26, 27, 28, 29, 30] ...")
                .contains("node3: 35 rows, checksum bb, 0 missing,");
    }

    @Test
    void identicalCompleteNodesAgree() {
        LedgerReport report = new LedgerReport(
                3,
                1,
                List.of(
                        new NodeLedger("node1", 4, NONE, NONE, List.of(4L), "cc"),
                        new NodeLedger("node2", 4, NONE, NONE, List.of(4L), "cc")));

        assertThat(report.nothingLost()).isTrue();
        assertThat(report.noPhantoms()).isTrue();
        assertThat(report.checksumsAgree()).isTrue();
        assertThat(report.nothingLostAndAgreed()).isTrue();
        assertThat(report.toString()).contains("nothing lost, checksums agree");
    }

    @Test
    void nodesHoldingEveryAcknowledgedWriteButDifferentRowsHaveDivergedSoTheFailoverDidNotLoseNothing() {
        // node2 kept an in-doubt write that node3 never got: no acknowledged write is missing anywhere.
        LedgerReport report = new LedgerReport(
                3,
                1,
                List.of(
                        new NodeLedger("node2", 4, NONE, NONE, List.of(4L), "cc"),
                        new NodeLedger("node3", 3, NONE, NONE, NONE, "dd")));

        assertThat(report.nothingLost()).isTrue();
        assertThat(report.nothingLostAndAgreed()).isFalse();
        assertThat(report.toString()).contains("nothing lost, CHECKSUMS DIFFER");
    }

    @Test
    void aReportOverNoNodeIsRefusedBecauseItWouldPassWhateverWasLost() {
        assertThatThrownBy(() -> new LedgerReport(10, 0, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over no node proves nothing");
    }

    @Test
    void verifyingNoNodeIsRefusedBeforeAnyServerIsAsked() {
        WriteLedger ledger = WriteLedger.builder(() -> {
                    throw new IllegalStateException("no server is needed to refuse an empty verification");
                })
                .writer("empty")
                .build();

        assertThatThrownBy(() -> ledger.verify(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Ledger empty: verify() was given no node");
    }
}
