package io.mha4j.testkit;

import java.time.Duration;

/**
 * Measures one 3-node sandbox start in a fresh JVM: wall time from {@code start()} to
 * replicating, and each server's peak RSS after a small write load. Not a test; run by hand,
 * e.g. five times in a shell loop, to refresh the numbers quoted in the package documentation.
 */
public final class StartupMeasurement {

    private StartupMeasurement() {
    }

    public static void main(String[] args) {
        long started = System.nanoTime();
        try (SandboxCluster cluster = SandboxCluster.builder().nodes(3).start();
                WriteLedger ledger = WriteLedger.builder(() -> cluster.master().endpoint()).build()) {
            long startMillis = (System.nanoTime() - started) / 1_000_000;
            ledger.write(1_000);
            cluster.awaitReplicasCaughtUp(Duration.ofSeconds(30));
            long rss = cluster.nodes().stream().mapToLong(SandboxNode::peakRssBytes).sum();
            System.out.printf("start_ms=%d peak_rss_3_servers_mib=%d per_node_mib=%s%n", startMillis, rss >> 20,
                    cluster.nodes().stream().map(n -> Long.toString(n.peakRssBytes() >> 20)).toList());
        }
    }
}
