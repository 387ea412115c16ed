package io.mha4j.failover;

import io.mha4j.config.ServerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What an online switchover did.
 *
 * @param application the application
 * @param outcome {@code SUCCEEDED}; {@code PARTIAL} (the new master took over, something after
 *     that failed); {@code REFUSED} (a check failed, nothing changed); {@code FAILED} (stopped
 *     after writes were blocked; the original master was made writable again)
 * @param origMaster the master before, the configuration's own server (compare by {@link
 *     ServerConfig#block()})
 * @param newMaster the master after, when the switch happened
 * @param writeBlock how long no server took writes: from {@code read_only=1} on the original
 *     master to {@code read_only=0} on the new one
 * @param steps each step with its duration and result ({@code ok}, or {@code failed: } and why)
 * @param replicas each other server's outcome (the original master too with
 *     {@code --orig_master_is_new_slave})
 * @param errors what went wrong
 * @param startedAt start
 * @param endedAt end
 */
public record SwitchoverReport(
        String application,
        FailoverReport.Outcome outcome,
        ServerConfig origMaster,
        Optional<ServerConfig> newMaster,
        Optional<Duration> writeBlock,
        List<TimedStep> steps,
        List<ReplicaOutcome> replicas,
        List<String> errors,
        Instant startedAt,
        Instant endedAt) {

    public SwitchoverReport {
        steps = List.copyOf(steps);
        replicas = List.copyOf(replicas);
        errors = List.copyOf(errors);
    }

    public String toText() {
        StringBuilder t = new StringBuilder();
        t.append(application)
                .append(": MySQL master switch ")
                .append(origMaster.displayName())
                .append(newMaster.map(n -> " to " + n.displayName()).orElse(""))
                .append(' ')
                .append(outcome.name().toLowerCase(Locale.ROOT))
                .append('\n');
        for (TimedStep s : steps) {
            t.append(String.format(
                    Locale.ROOT, "  %-44s %6d ms  %s%n", s.name(), s.took().toMillis(), s.detail()));
        }
        writeBlock.ifPresent(
                w -> t.append("Writes were blocked for ").append(w.toMillis()).append(" ms.\n"));
        for (ReplicaOutcome o : replicas) {
            t.append(o.server())
                    .append(o.recovered() ? ": OK: " : ": ERROR: ")
                    .append(o.detail())
                    .append('\n');
        }
        errors.forEach(e -> t.append("[error] ").append(e).append('\n'));
        t.append("Total: ")
                .append(Duration.between(startedAt, endedAt).toMillis())
                .append(" ms\n");
        return t.toString();
    }
}
