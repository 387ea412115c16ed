package io.mha4j.samples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The write outage an application sees across a kill -9 failover, by how it reaches the master:
 * mha4j's DataSource, HAProxy checking the manager's endpoints, or a virtual IP. The routes take
 * turns, trial by trial, so that a slower minute of the machine falls on all of them; one raw line
 * per trial. Bounded in trials and minutes; asserts nothing (the ITs do).
 */
@Command(
        name = "outage",
        mixinStandardHelpOptions = true,
        description = "Write outage the application sees across a kill -9 failover: DataSource, HAProxy, VIP.")
final class BenchOutageCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--via",
            split = ",",
            defaultValue = "datasource,haproxy,vip",
            description = "routes to measure, taking turns (default: ${DEFAULT-VALUE})")
    List<String> via;

    @Option(names = "--trials", defaultValue = "10", description = "trials per route (default: ${DEFAULT-VALUE})")
    int trials;

    @Option(
            names = "--ping_interval",
            defaultValue = "1",
            description = "the manager's ping_interval in seconds (default: ${DEFAULT-VALUE})")
    int pingInterval;

    @Option(
            names = "--out",
            description = "directory for trials.tsv and the trials' files (default: ./mha4j-bench-outage-<time>)")
    Path out;

    @Option(
            names = "--max_minutes",
            defaultValue = "60",
            description = "start no trial after this long (default: ${DEFAULT-VALUE})")
    int maxMinutes;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        List<OutageRoute> routes =
                via.stream().map(OutageRoute::parse).distinct().toList();
        Path dir = (out != null
                        ? out
                        : Path.of("mha4j-bench-outage-"
                                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))))
                .toAbsolutePath();
        RawLines raw = new RawLines(dir, OutageResult.HEADER);
        o.printf(
                "Outage bench: routes %s taking turns, %d trial(s) each; a fresh 3-node sandbox per trial (servers not"
                        + " started read-only), mha4j's manager over real SSH at ping_interval=%d s, the application"
                        + " (WriteLedger, one client for every route) writing single-row transactions; kill -9 of the"
                        + " master at a random point of the ping cycle; outage = kill -> the application's first"
                        + " acknowledged write. Output: %s%n",
                routes.stream().map(r -> r.label).toList(), trials, pingInterval, dir);
        o.println(OutageResult.HEADER);
        o.flush();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(maxMinutes);
        List<OutageResult> results = new ArrayList<>();
        int first = raw.trials() + 1;
        for (int t = 0; t < trials && System.nanoTime() < deadline; t++) {
            for (OutageRoute route : routes) {
                int number = first + results.size();
                OutageResult r = new OutageTrial(
                                number, route, pingInterval, dir.resolve("trial-" + number + "-" + route.label))
                        .run();
                raw.append(r.line());
                o.println(r.line());
                o.flush();
                results.add(r);
            }
        }
        o.println();
        for (OutageRoute route : routes) {
            List<OutageResult> of =
                    results.stream().filter(r -> r.route() == route).toList();
            List<Long> outages = of.stream()
                    .filter(r -> r.outageMs() >= 0)
                    .map(OutageResult::outageMs)
                    .toList();
            o.printf(
                    "%-10s %2d trial(s), %2d ok: outage %5d / %5d / %5d ms (median / p95 / max); lost %d%n",
                    route.label,
                    of.size(),
                    of.stream().filter(OutageResult::ok).count(),
                    BenchDetectionCommand.percentile(outages, 50),
                    BenchDetectionCommand.percentile(outages, 95),
                    BenchDetectionCommand.percentile(outages, 100),
                    of.stream().mapToInt(r -> Math.max(0, r.lost())).sum());
        }
        o.printf("Raw lines: %s%n", raw.file());
        o.flush();
        return results.stream().allMatch(OutageResult::ok) ? 0 : 1;
    }
}
