package io.mha4j.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.cli.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code bench failover} for one trial per tool it can run here: mha4j always; MHA 0.58 only where
 * Debian's packages are installed. Each trial kills the master after a one-second tail (the dead
 * master alone holds what was written meanwhile) over the testkit's sshd with a lean shell. The raw
 * line must say the promotion was seen from outside: an ordinary user's INSERT succeeded on a
 * survivor after the tool had declared the master dead, every other survivor then replicated from
 * it, and nothing acknowledged was lost. Raw lines and logs: {@code target/bench-failover-it/<tool>/}.
 */
class BenchFailoverIT {

    @Test
    void mha4jIsTimedFromOutsideOverRealSsh() throws IOException {
        FailoverBenchResult trial = oneTrial("mha4j");

        assertThat(trial.notes()).contains("report SUCCEEDED").contains("recovered");
    }

    @Test
    void mhaIsTimedTheSameWayWhereItIsInstalled() throws IOException {
        Assumptions.assumeTrue(
                MhaInstallation.missing().isEmpty(),
                () -> "MHA 0.58 is not installed here, so only" + " mha4j was measured: "
                        + MhaInstallation.missing().orElse(""));

        FailoverBenchResult trial = oneTrial("mha");

        assertThat(trial.notes()).contains("masterha_manager exit 0").contains("completed successfully");
    }

    private static FailoverBenchResult oneTrial(String tool) throws IOException {
        Path out = Path.of("target/bench-failover-it", tool).toAbsolutePath();
        // A fresh directory: an earlier run's trial directory is refused by the bench.
        if (Files.exists(out)) {
            try (var files = Files.walk(out)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }

        CommandRun run = CommandRun.of(
                Launcher::run,
                "bench",
                "failover",
                "--tool=" + tool,
                "--nodes=3",
                "--trials=1",
                "--tail=1",
                "--login_shell=lean",
                "--out=" + out);

        List<String> raw = Files.readAllLines(out.resolve("trials.tsv"));
        assertThat(raw).as(run.out() + run.err()).hasSize(2).first().isEqualTo(FailoverBenchResult.HEADER);
        FailoverBenchResult trial = FailoverBenchResult.parse(raw.get(1));
        assertThat(trial.outcome()).as(raw.get(1)).isEqualTo("ok");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(trial.tool().label).isEqualTo(tool);
        assertThat(trial.overSsh()).isTrue();
        assertThat(trial.newMaster()).isIn("node2", "node3");
        assertThat(trial.detectionMs()).isPositive();
        assertThat(trial.promotionMs())
                .as("the INSERT succeeded after the tool declared the master dead")
                .isGreaterThan(trial.detectionMs());
        assertThat(trial.convergenceMs()).isGreaterThanOrEqualTo(trial.promotionMs());
        assertThat(trial.tailWrites()).as("writes only the dead master had").isPositive();
        assertThat(trial.lost()).isZero();
        assertThat(trial.checksums()).isEqualTo("agree");
        assertThat(run.out()).contains(raw.get(1)).contains("Raw lines: " + out.resolve("trials.tsv"));
        return trial;
    }
}
