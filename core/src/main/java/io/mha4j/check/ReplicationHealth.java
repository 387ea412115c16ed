package io.mha4j.check;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What {@code check_repl} found: the topology (when one could be made out) and every finding
 * in the order the checks ran. OK when no finding is an error.
 */
public record ReplicationHealth(Optional<Topology> topology, List<Finding> findings, Duration took) {

    public ReplicationHealth {
        findings = List.copyOf(findings);
    }

    public boolean isOk() {
        return findings.stream().noneMatch(Finding::isError);
    }

    public List<Finding> errors() {
        return findings.stream().filter(Finding::isError).toList();
    }

    public boolean has(FindingKind kind) {
        return findings.stream().anyMatch(f -> f.kind() == kind);
    }
}
