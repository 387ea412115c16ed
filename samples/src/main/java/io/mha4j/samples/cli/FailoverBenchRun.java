package io.mha4j.samples.cli;

import io.mha4j.samples.cli.FailoverBenchSettings.Configuration;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
    private final Path raw;

    FailoverBenchRun(FailoverBenchSettings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
        try {
            Files.createDirectories(settings.out());
            raw = settings.out().resolve("trials.tsv");
            if (!Files.exists(raw)) {
                Files.writeString(raw, FailoverBenchResult.HEADER + "\n", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + settings.out(), e);
        }
    }

    Path rawFile() {
        return raw;
    }

    /** Runs every trial (none starts after {@code --max_minutes}); returns this run's results. */
    List<FailoverBenchResult> run(Optional<MhaInstallation> mha) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(settings.maxMinutes());
        int number = firstTrialNumber();
        List<FailoverBenchResult> results = new ArrayList<>();
        for (Configuration c : settings.configurations()) {
            for (int round = 1; round <= settings.trials(); round++) {
                for (BenchTool tool : settings.tools()) {
                    if (System.nanoTime() - deadline > 0) {
                        out.printf("--max_minutes=%d reached: %d of %d trials run%n", settings.maxMinutes(),
                                results.size(), settings.totalTrials());
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
            result = new FailoverBenchTrial(number, tool, c, settings, settings.out().resolve(name), mha).run();
        }
        try {
            Files.writeString(raw, result.line() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + raw, e);
        }
        out.println(result.line());
        out.flush();
        return result;
    }

    /** A later run into the same directory numbers on, so that its trial directories are new ones. */
    private int firstTrialNumber() {
        try (var lines = Files.lines(raw, StandardCharsets.UTF_8)) {
            return (int) lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + raw, e);
        }
    }
}
