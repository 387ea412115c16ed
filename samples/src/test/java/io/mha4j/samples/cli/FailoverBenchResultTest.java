package io.mha4j.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.samples.cli.FailoverBenchSettings.Configuration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailoverBenchResultTest {

    static FailoverBenchResult result(
            BenchTool tool,
            Configuration c,
            long detection,
            long promotion,
            long convergence,
            int lost,
            String outcome) {
        return new FailoverBenchResult(
                7,
                tool,
                c,
                true,
                1,
                420,
                detection,
                promotion,
                convergence,
                "node2",
                812,
                27,
                lost,
                "agree",
                outcome,
                14,
                "report SUCCEEDED in 310 ms");
    }

    @Test
    void aLineHasAFieldForEveryColumnAndReadsBackAsItWasWritten() {
        FailoverBenchResult r = result(
                BenchTool.MHA, new Configuration(5, 1, Optional.of(HostShell.SLOW)), 3550, 11200, 12100, 0, "ok");

        String line = r.line();

        assertThat(line.split("\t", -1)).hasSameSizeAs(FailoverBenchResult.HEADER.split("\t"));
        assertThat(line)
                .startsWith("7\tmha\t5\t1\tslow\tssh\t1\t420\t3550\t11200\t12100\tnode2\t812\t27\t0\tagree\tok\t14\t");
        assertThat(FailoverBenchResult.parse(line)).isEqualTo(r);
    }

    @Test
    void withoutSshTheShellIsADashAndNotesNeverBreakTheLine() {
        FailoverBenchResult r = new FailoverBenchResult(
                1,
                BenchTool.MHA4J,
                new Configuration(3, 0, Optional.empty()),
                false,
                1,
                0,
                -1,
                -1,
                -1,
                "-",
                0,
                0,
                -1,
                "-",
                "ERROR",
                3,
                "java.lang.IllegalStateException: a\tb\nc");

        String line = r.line();

        assertThat(line).contains("\t-\tlocal\t").endsWith("ERROR\t3\tjava.lang.IllegalStateException: a b c");
        assertThat(line.lines()).hasSize(1);
        assertThat(FailoverBenchResult.parse(line).configuration().shell()).isEmpty();
        assertThat(FailoverBenchResult.parse(line).ok()).isFalse();
    }

    @Test
    void aLineWithMissingFieldsIsRefused() {
        assertThatThrownBy(() -> FailoverBenchResult.parse("1\tmha4j\t3"))
                .hasMessageContaining("has 19 fields, this one 3");
    }
}
