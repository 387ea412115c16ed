package io.mha4j.samples.cli;

import io.mha4j.samples.cli.FailoverBenchSettings.Configuration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The table {@code bench failover} prints at the end: per tool and configuration, p50 / p95 / max
 * of detection, promotion and convergence over the trials that measured them, the acknowledged
 * writes lost, and, where both tools ran a configuration, how many times faster mha4j promoted.
 */
final class FailoverBenchSummary {
    private static final String ROW = "%-6s %5s %6s %-6s %6s %4s %20s %20s %20s %5s %9s %9s%n";

    private FailoverBenchSummary() {}

    static String table(List<FailoverBenchResult> results) {
        Map<Configuration, Map<BenchTool, List<FailoverBenchResult>>> cells = new LinkedHashMap<>();
        for (FailoverBenchResult r : results) {
            cells.computeIfAbsent(r.configuration(), c -> new LinkedHashMap<>())
                    .computeIfAbsent(r.tool(), t -> new ArrayList<>())
                    .add(r);
        }
        StringBuilder s = new StringBuilder("ms from the kill: p50 / p95 / max over the trials that measured it\n");
        s.append(String.format(
                ROW,
                "tool",
                "nodes",
                "tail_s",
                "shell",
                "trials",
                "ok",
                "detection",
                "promotion",
                "convergence",
                "lost",
                "tail_p50",
                "checksums"));
        cells.forEach((c, byTool) -> byTool.forEach((tool, rs) -> s.append(row(c, tool, rs))));
        cells.forEach((c, byTool) -> ratio(c, byTool).ifPresent(s::append));
        return s.toString();
    }

    private static String row(Configuration c, BenchTool tool, List<FailoverBenchResult> rs) {
        return String.format(
                ROW,
                tool.label,
                c.nodes(),
                c.tailSeconds(),
                c.shellLabel(),
                rs.size(),
                rs.stream().filter(FailoverBenchResult::ok).count(),
                stats(rs, FailoverBenchResult::detectionMs),
                stats(rs, FailoverBenchResult::promotionMs),
                stats(rs, FailoverBenchResult::convergenceMs),
                rs.stream().mapToLong(r -> Math.max(0, r.lost())).sum(),
                percentile(rs, FailoverBenchResult::tailWrites, 50),
                rs.stream().allMatch(r -> r.checksums().equals("agree")) ? "agree" : "NOT ALL");
    }

    /** "MHA / mha4j" for one configuration, when both promoted in some trial. */
    private static Optional<String> ratio(Configuration c, Map<BenchTool, List<FailoverBenchResult>> byTool) {
        List<FailoverBenchResult> ours = byTool.getOrDefault(BenchTool.MHA4J, List.of());
        List<FailoverBenchResult> mha = byTool.getOrDefault(BenchTool.MHA, List.of());
        long oursP50 = percentile(ours, FailoverBenchResult::promotionMs, 50);
        long mhaP50 = percentile(mha, FailoverBenchResult::promotionMs, 50);
        if (oursP50 <= 0 || mhaP50 <= 0) {
            return Optional.empty();
        }
        long oursP95 = percentile(ours, FailoverBenchResult::promotionMs, 95);
        long mhaP95 = percentile(mha, FailoverBenchResult::promotionMs, 95);
        return Optional.of(String.format(
                Locale.ROOT,
                "%d nodes, tail %d s, shell %s: promotion p50 MHA %d ms"
                        + " / mha4j %d ms = %.1fx; p95 %d / %d ms = %.1fx%n",
                c.nodes(),
                c.tailSeconds(),
                c.shellLabel(),
                mhaP50,
                oursP50,
                (double) mhaP50 / oursP50,
                mhaP95,
                oursP95,
                (double) mhaP95 / oursP95));
    }

    private static String stats(List<FailoverBenchResult> rs, ToLongFunction<FailoverBenchResult> field) {
        long p50 = percentile(rs, field, 50);
        return p50 < 0 ? "-" : p50 + " / " + percentile(rs, field, 95) + " / " + percentile(rs, field, 100);
    }

    /** Nearest-rank percentile of the field's measured (non-negative) values; -1 when none was measured. */
    static long percentile(List<FailoverBenchResult> rs, ToLongFunction<FailoverBenchResult> field, int p) {
        return BenchDetectionCommand.percentile(
                rs.stream().mapToLong(field).filter(v -> v >= 0).boxed().toList(), p);
    }
}
