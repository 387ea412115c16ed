package io.mha4j.samples.cli;

import io.mha4j.samples.cli.FailoverBenchSettings.Configuration;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A run of {@code bench failover}: for every configuration, {@code trials} rounds in which every
 * tool runs one trial (so the tools alternate on the same machine), each appending its raw line to
 * {@code <out>/trials.tsv} (created with its header, appended to by a later run) and logging into
 * {@code <out>/trial-NNN-<tool>.log}, the manager's files in {@code <out>/trial-NNN-<tool>/}.
 */
final class FailoverBenchRun {
    private final FailoverBenchSettings settings;
    private final PrintWriter out;
    private final RawLines raw;

    FailoverBenchRun(FailoverBenchSettings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
        this.raw = new RawLines(settings.out(), FailoverBenchResult.HEADER);
    }

    Path rawFile() {
        return raw.file();
    }

    /** Runs every trial (none starts after {@code --max_minutes}); returns this run's results. */
    List<FailoverBenchResult> run(Optional<MhaInstallation> mha) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(settings.maxMinutes());
        // A later run into the same directory numbers on, so that its trial directories are new ones.
        int number = raw.trials() + 1;
        List<FailoverBenchResult> results = new ArrayList<>();
        for (Configuration c : settings.configurations()) {
            for (int round = 1; round <= settings.trials(); round++) {
                for (BenchTool tool : settings.tools()) {
                    if (System.nanoTime() - deadline > 0) {
                        out.printf(
                                "--max_minutes=%d reached: %d of %d trials run%n",
                                settings.maxMinutes(), results.size(), settings.totalTrials());
                        return results;
                    }
                    results.add(trial(number++, tool, c, mha));
                }
            }
        }
        return results;
    }

    private FailoverBenchResult trial(int number, BenchTool tool, Configuration c, Optional<MhaInstallation> mha) {
        String name = String.format("trial-%03d-%s", number, tool.label);
        FailoverBenchResult result;
        try (ChaosLog log = new ChaosLog(settings.out().resolve(name + ".log"))) {
            result = new FailoverBenchTrial(
                            number, tool, c, settings, settings.out().resolve(name), mha)
                    .run();
        }
        raw.append(result.line());
        out.println(result.line());
        out.flush();
        return result;
    }
}
