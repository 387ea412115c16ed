package io.mha4j.internal.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompensationWarmupTest {
    @TempDir
    Path dir;

    @Test
    void theSyntheticTextTakesTheFailoversPathScannedAndMergedWhole() throws Exception {
        String text = CompensationWarmup.text(100, false);

        assertThat(CompensationWarmup.pass(
                        text.getBytes(StandardCharsets.ISO_8859_1),
                        dir.resolve("saved.sql"),
                        dir.resolve("merged.sql")))
                .isEqualTo(100);
        assertThat(dir.resolve("saved.sql")).hasContent(text);
        assertThat(dir.resolve("merged.sql"))
                .content()
                .contains("gtid_seq_no=100")
                .doesNotContain("gtid_seq_no=99*");
        Path in = Files.writeString(dir.resolve("in.sql"), text, StandardCharsets.ISO_8859_1);
        assertThat(TransactionMerge.merge(in, dir.resolve("out.sql")))
                .as("the warm-up exercises the merge, not only its pass-through")
                .isEqualTo(new TransactionMerge.Result(100, 1));
        BinlogText scanned = BinlogText.read(in);
        assertThat(scanned.preamble()).isTrue();
        assertThat(scanned.ended()).isTrue();
        assertThat(scanned.unfinished()).isEmpty();
        assertThat(scanned.logs())
                .as("the format description a real text begins with")
                .isEqualTo(1);
    }

    @Test
    void theTextReadFromAByteIsTrustedAtThatByteOnly() throws Exception {
        byte[] text = CompensationWarmup.text(100, true).getBytes(StandardCharsets.ISO_8859_1);

        assertThat(CompensationWarmup.pass(
                        text,
                        CompensationWarmup.FIRST_TRANSACTION,
                        dir.resolve("saved.sql"),
                        dir.resolve("merged.sql")))
                .isEqualTo(100);
        assertThatThrownBy(() -> CompensationWarmup.pass(
                        text,
                        CompensationWarmup.FIRST_TRANSACTION + 1,
                        dir.resolve("saved.sql"),
                        dir.resolve("merged.sql")))
                .as("the byte check ran: the warm-up takes the path a failover from a byte takes")
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("not at " + (CompensationWarmup.FIRST_TRANSACTION + 1));
    }

    @Test
    void thePassesTakeTurnsBetweenALogsStartAndAByteEndingOnBoth() {
        assertThat(CompensationWarmup.passStarts())
                .containsSubsequence(
                        0L, CompensationWarmup.FIRST_TRANSACTION, 0L, CompensationWarmup.FIRST_TRANSACTION);
    }
}
