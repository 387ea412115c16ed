package io.mha4j.internal.failover;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Times the compensation's text path (LineTee, BinlogText.Scan, the merge) over a saved file,
 * first pass cold, then compiled; with {@code -Dwarm=true} after {@link CompensationWarmup} as
 * the manager runs it. Not a test; run by hand for docs/measurements.md.
 */
public final class ColdPassMeasurement {
    public static void main(String[] args) throws Exception {
        byte[] text = Files.readAllBytes(Path.of(args[0]));
        if (Boolean.getBoolean("warm")) {
            long t = System.nanoTime();
            CompensationWarmup.run();
            System.out.printf("warm-up ms=%.1f%n", (System.nanoTime() - t) / 1e6);
        }
        Path dir = Files.createTempDirectory("mha4j-cold-pass");
        for (int run = 1; run <= Integer.getInteger("runs", 6); run++) {
            long t = System.nanoTime();
            int transactions = CompensationWarmup.pass(
                    text, Long.getLong("from", 0), dir.resolve("saved.sql"), dir.resolve("merged.sql"));
            System.out.printf("run=%d ms=%.1f transactions=%d%n", run, (System.nanoTime() - t) / 1e6, transactions);
        }
    }
}
