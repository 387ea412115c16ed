package io.mha4j.testkit;

import java.time.Duration;

/**
 * Measures 3-node sandbox starts: wall time from {@code start()} until the replicas
 * replicate, and the servers' peak RSS after 1,000 ledger writes. Not a test; run by hand to
 * refresh the numbers quoted in the package documentation. The argument is how many clusters
 * to start one after another in this JVM (default 1): the first pays for the JVM's class
 * loading, later ones show the warm cost.
 */
public final class StartupMeasurement {

    private StartupMeasurement() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        for (int run = 1; run <= runs; run++) {
            long started = System.nanoTime();
            try (SandboxCluster cluster = SandboxCluster.builder().nodes(3).start();
                    WriteLedger ledger = WriteLedger.builder(() -> cluster.master().endpoint()).build()) {
                long startMillis = (System.nanoTime() - started) / 1_000_000;
                ledger.write(1_000);
                cluster.awaitReplicasCaughtUp(Duration.ofSeconds(30));
                System.out.printf("run=%d start_ms=%d peak_rss_mib=%s%n", run, startMillis,
                        cluster.nodes().stream().map(n -> Long.toString(n.peakRssBytes() >> 20)).toList());
            }
        }
    }
}
