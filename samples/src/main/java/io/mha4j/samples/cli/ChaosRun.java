package io.mha4j.samples.cli;

import io.mha4j.failover.FailoverReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A series of chaos trials on one network (namespaces or loopback): each trial gets a fresh
 * sandbox, runs in its own thread within its time budget (a stuck one is aborted, its sandbox
 * killed, and reported), and appends its raw line to {@code trials.tsv} under the output
 * directory, with its log in {@code trial-NNN.log} and the manager's working directory in
 * {@code trial-NNN/}. The network is deleted by {@link #close()}.
 */
final class ChaosRun implements AutoCloseable {
    private static final long MANAGER_END_WAIT_SECONDS = 60;

    private final ChaosSettings settings;
    private final ChaosNetwork network;
    private final PrintWriter out;
    private final RawLines raw;

    ChaosRun(ChaosSettings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
        raw = new RawLines(settings.out(), ChaosResult.HEADER);
        network = ChaosNetwork.start(settings.nodes(), settings.namespaces());
    }

    boolean hasNamespaces() {
        return network.hasNamespaces();
    }

    /**
     * Runs {@code trials} trials, faults in cycles (each fault once per cycle, in an order drawn
     * from {@code seed}), trial {@code i}'s parameters drawn from {@code seed + i - 1}; stops
     * starting trials after {@code maxMinutes}.
     */
    List<ChaosResult> run(int trials, long seed, List<ChaosFault> faults, int maxMinutes) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(maxMinutes);
        Random order = new Random(seed);
        List<ChaosFault> cycle = new ArrayList<>();
        List<ChaosResult> results = new ArrayList<>();
        for (int i = 1; i <= trials; i++) {
            if (System.nanoTime() - deadline > 0) {
                out.printf("--max_minutes=%d reached: %d of %d trials run%n", maxMinutes, i - 1, trials);
                break;
            }
            if (cycle.isEmpty()) {
                cycle.addAll(faults);
                Collections.shuffle(cycle, order);
            }
            results.add(trial(i, seed + i - 1, cycle.remove(0)));
        }
        return results;
    }

    /** Runs one trial, its parameters drawn from {@code seed}, within its budget, and records its line. */
    ChaosResult trial(int number, long seed, ChaosFault fault) {
        return trial(FaultPlan.draw(number, seed, fault, settings));
    }

    /** Runs the trial {@code plan} within its budget and records its line. */
    ChaosResult trial(FaultPlan plan) {
        ChaosFault fault = plan.fault();
        ChaosResult result;
        if (fault.needsNamespaces && !network.hasNamespaces()) {
            result = ChaosResult.skipped(plan, "needs network namespaces; running on loopback");
        } else {
            result = runBounded(plan);
        }
        record(result);
        return result;
    }

    private ChaosResult runBounded(FaultPlan plan) {
        String name = String.format("trial-%03d", plan.trial());
        // A trial starts from nothing: an earlier run's flag files (failover.complete) would block its failover.
        deleteTree(settings.out().resolve(name));
        ChaosTrial trial =
                new ChaosTrial(plan, settings, network, settings.out().resolve(name));
        long started = System.nanoTime();
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mha4j-chaos-" + name);
            t.setDaemon(true);
            return t;
        });
        try (ChaosLog log = new ChaosLog(settings.out().resolve(name + ".log"))) {
            Future<ChaosResult> running = thread.submit(() -> body(trial, log, started));
            try {
                return running.get(settings.trialBudgetSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                trial.abort();
                running.cancel(true);
                awaitManagerEnd(trial);
                return failed(
                        plan, "STUCK", "killed after its budget of " + settings.trialBudgetSeconds() + " s", started);
            } catch (ExecutionException e) {
                return failed(plan, "ERROR", String.valueOf(e.getCause()), started);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                trial.abort();
                return failed(plan, "ERROR", "interrupted", started);
            }
        } finally {
            trial.close();
            thread.shutdownNow();
        }
    }

    private ChaosResult body(ChaosTrial t, ChaosLog log, long started) throws Exception {
        try {
            t.start();
            ChaosScript.run(t);
            String manager = t.finish();
            ChaosInvariants.Checked c = ChaosInvariants.check(t);
            List<String> notes = new ArrayList<>(c.notes());
            notes.add(manager);
            List<String> violations = new ArrayList<>(c.violations());
            if (manager.startsWith("MANAGER DID NOT STOP")) {
                violations.add("manager: " + manager);
            } else if (t.managerEndedOnItsOwn()) {
                violations.add("manager: ended on its own instead of staying up to monitor and guard: " + manager);
            }
            long promotion = -1;
            if (c.promoted() && t.strikeNanos() != 0) {
                promotion = t.watch().firstWritable(c.master(), t.strikeNanos()).stream()
                        .map(at -> (at - t.strikeNanos()) / 1_000_000)
                        .findFirst()
                        .orElse(-1L);
            }
            return new ChaosResult(
                    t.plan,
                    failover(t),
                    promotion,
                    c.lost(),
                    c.dualWritable(),
                    c.guardWindow(),
                    violations.isEmpty() ? "ok" : "VIOLATED",
                    violations,
                    seconds(started),
                    notes);
        } finally {
            if (t.managerRunning()) {
                t.abort();
            }
        }
    }

    private static String failover(ChaosTrial t) {
        List<FailoverReport> reports = t.observer().reports();
        if (reports.stream().anyMatch(r -> r.outcome().promoted())) {
            return "yes";
        }
        if (!reports.isEmpty()) {
            return reports.get(reports.size() - 1).outcome().name().toLowerCase(java.util.Locale.ROOT);
        }
        return t.observer().began().isPresent() ? "began" : "no";
    }

    /** A manager thread that outlives its trial could act on the next trial's servers: stop the run instead. */
    private static void awaitManagerEnd(ChaosTrial trial) {
        if (!trial.awaitManagerEnd(Duration.ofSeconds(MANAGER_END_WAIT_SECONDS))) {
            throw new IllegalStateException("trial " + trial.plan.trial() + ": the manager did not end within "
                    + MANAGER_END_WAIT_SECONDS + " s after its sandbox was killed; stopping the run so that it cannot"
                    + " act on the next trial's servers");
        }
    }

    private static ChaosResult failed(FaultPlan plan, String outcome, String why, long started) {
        return new ChaosResult(
                plan,
                "?",
                -1,
                -1,
                0,
                0,
                outcome,
                List.of(outcome.toLowerCase(java.util.Locale.ROOT) + ": " + why),
                seconds(started),
                List.of());
    }

    private static long seconds(long started) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    }

    private void record(ChaosResult r) {
        raw.append(r.line());
        out.println(r.line());
        out.flush();
    }

    Path rawFile() {
        return raw.file();
    }

    @Override
    public void close() {
        network.close();
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the earlier run's " + dir, e);
        }
    }
}
