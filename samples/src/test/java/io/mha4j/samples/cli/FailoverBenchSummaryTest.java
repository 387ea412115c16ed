package io.mha4j.samples.cli;

import static io.mha4j.samples.cli.FailoverBenchResultTest.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.samples.cli.FailoverBenchSettings.Configuration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FailoverBenchSummaryTest {
    private static final Configuration LEAN3 = new Configuration(3, 1, Optional.of(HostShell.LEAN));

    @Test
    void percentilesAreNearestRankOverTheMeasuredValuesOnly() {
        List<FailoverBenchResult> rs = new ArrayList<>();
        IntStream.rangeClosed(1, 20)
                .forEach(i -> rs.add(result(BenchTool.MHA4J, LEAN3, 10L * i, 100L * i, -1, 0, "ok")));
        rs.add(result(BenchTool.MHA4J, LEAN3, -1, -1, -1, -1, "ERROR"));

        assertThat(FailoverBenchSummary.percentile(rs, FailoverBenchResult::promotionMs, 50))
                .isEqualTo(1000);
        assertThat(FailoverBenchSummary.percentile(rs, FailoverBenchResult::promotionMs, 95))
                .isEqualTo(1900);
        assertThat(FailoverBenchSummary.percentile(rs, FailoverBenchResult::promotionMs, 100))
                .isEqualTo(2000);
        assertThat(FailoverBenchSummary.percentile(rs, FailoverBenchResult::convergenceMs, 50))
                .isEqualTo(-1);
    }

    @Test
    void oneRowPerToolAndConfigurationWithTheLostWritesSummed() {
        List<FailoverBenchResult> rs = List.of(
                result(BenchTool.MHA4J, LEAN3, 400, 900, 1000, 0, "ok"),
                result(BenchTool.MHA, LEAN3, 4500, 11000, 12000, 0, "ok"),
                result(BenchTool.MHA4J, LEAN3, 600, 1100, 1200, 2, "LOST"),
                result(BenchTool.MHA, LEAN3, 4600, 12000, 13000, 0, "ok"));

        String table = FailoverBenchSummary.table(rs);

        assertThat(table.lines().filter(l -> l.startsWith("mha4j ")))
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .contains(" 2    1 ")
                        .contains("400 / 600 / 600")
                        .contains("900 / 1100 / 1100")
                        .contains(" 2 "));
        assertThat(table.lines().filter(l -> l.startsWith("mha ")))
                .singleElement()
                .satisfies(l -> assertThat(l).contains("11000 / 12000 / 12000"));
        assertThat(table)
                .contains("3 nodes, tail 1 s, shell lean: promotion p50 MHA 11000 ms / mha4j 900 ms = 12.2x;"
                        + " p95 12000 / 1100 ms = 10.9x");
    }

    @Test
    void noRatioWithoutBothTools() {
        String table = FailoverBenchSummary.table(List.of(result(BenchTool.MHA4J, LEAN3, 400, 900, 1000, 0, "ok")));

        assertThat(table).doesNotContain("promotion p50 MHA");
    }
}
