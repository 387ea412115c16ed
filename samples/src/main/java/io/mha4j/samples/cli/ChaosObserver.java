package io.mha4j.samples.cli;

import io.mha4j.FailoverHook;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverContext;
import io.mha4j.failover.FailoverPhase;
import io.mha4j.failover.FailoverReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What {@code bench chaos} sees of the manager's failovers, as a hook added to each failover the
 * manager runs: when one began, the master it activates (the application is pointed there, as a
 * virtual IP or proxy would be), and each report. Observes only: it never vetoes or fails.
 */
final class ChaosObserver implements FailoverHook {
    private final Consumer<ServerConfig> onActivate;
    private final CompletableFuture<FailoverReport> firstReport = new CompletableFuture<>();
    private final List<FailoverReport> reports = new ArrayList<>();
    private volatile long beganNanos;
    private volatile boolean began;
    private ServerConfig activated;

    ChaosObserver(Consumer<ServerConfig> onActivate) {
        this.onActivate = onActivate;
    }

    @Override
    public String name() {
        return "chaos-observer";
    }

    @Override
    public void beforePhase(FailoverPhase phase, FailoverContext context) {
        if (phase == FailoverPhase.CHECK && !began) {
            beganNanos = System.nanoTime();
            began = true;
        }
    }

    @Override
    public void activate(FailoverContext context) {
        ServerConfig newMaster = context.requireNewMaster();
        synchronized (this) {
            activated = newMaster;
        }
        onActivate.accept(newMaster);
    }

    @Override
    public void report(FailoverContext context, FailoverReport report) {
        synchronized (this) {
            reports.add(report);
        }
        firstReport.complete(report);
    }

    /** When the first failover began (its check phase), if one did. */
    OptionalLong began() {
        return began ? OptionalLong.of(beganNanos) : OptionalLong.empty();
    }

    CompletableFuture<FailoverReport> firstReport() {
        return firstReport;
    }

    synchronized List<FailoverReport> reports() {
        return List.copyOf(reports);
    }

    /** The last master a failover activated. */
    synchronized Optional<ServerConfig> activated() {
        return Optional.ofNullable(activated);
    }

    /** Whether some failover promoted a new master. */
    synchronized boolean promoted() {
        return reports.stream().anyMatch(r -> r.outcome().promoted());
    }
}
