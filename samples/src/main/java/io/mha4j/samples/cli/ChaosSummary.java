package io.mha4j.samples.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The table {@code bench chaos} prints at the end: per fault, and which invariants failed how often. */
final class ChaosSummary {
    private ChaosSummary() {}

    static String table(List<ChaosResult> results) {
        Map<String, List<ChaosResult>> byFault = new LinkedHashMap<>();
        for (ChaosFault f : ChaosFault.values()) {
            List<ChaosResult> of =
                    results.stream().filter(r -> r.plan().fault() == f).toList();
            if (!of.isEmpty()) {
                byFault.put(f.label, of);
            }
        }
        byFault.put("all", results);
        StringBuilder s = new StringBuilder(String.format(
                "%-16s %6s %5s %8s %9s %19s %6s %13s %12s %11s %9s%n",
                "fault",
                "trials",
                "held",
                "skipped",
                "failovers",
                "promotion p50/p95",
                "lost",
                "dual-writable",
                "guard window",
                "stuck/error",
                "s/trial"));
        byFault.forEach((fault, rs) -> {
            List<ChaosResult> ran = rs.stream().filter(ChaosResult::ran).toList();
            List<Long> promotions = ran.stream()
                    .map(ChaosResult::promotionMs)
                    .filter(ms -> ms >= 0)
                    .toList();
            s.append(String.format(
                    "%-16s %6d %5d %8d %9d %19s %6d %13d %12d %11d %9s%n",
                    fault,
                    ran.size(),
                    ran.stream().filter(ChaosResult::held).count(),
                    rs.size() - ran.size(),
                    ran.stream().filter(r -> r.failover().equals("yes")).count(),
                    promotions.isEmpty()
                            ? "-"
                            : BenchDetectionCommand.percentile(promotions, 50) + " / "
                                    + BenchDetectionCommand.percentile(promotions, 95) + " ms",
                    ran.stream().mapToLong(r -> Math.max(0, r.lost())).sum(),
                    ran.stream().mapToLong(ChaosResult::dualWritable).sum(),
                    ran.stream().mapToLong(ChaosResult::guardWindow).sum(),
                    ran.stream()
                            .filter(r ->
                                    r.outcome().equals("STUCK") || r.outcome().equals("ERROR"))
                            .count(),
                    ran.isEmpty()
                            ? "-"
                            : Long.toString(
                                    ran.stream().mapToLong(ChaosResult::seconds).sum() / ran.size())));
        });
        Map<String, Integer> failed = new TreeMap<>();
        for (ChaosResult r : results) {
            r.violations().stream()
                    .map(v -> v.substring(0, Math.max(0, v.indexOf(':'))))
                    .distinct()
                    .forEach(k -> failed.merge(k, 1, Integer::sum));
        }
        List<String> parts = new ArrayList<>();
        failed.forEach((k, n) -> parts.add(k + " in " + n + " trial(s)"));
        s.append(
                parts.isEmpty()
                        ? "Every invariant held in every trial that ran.\n"
                        : "Invariants failed: " + String.join(", ", parts) + ".\n");
        return s.toString();
    }
}
