package io.mha4j.internal.failover;

import java.io.OutputStream;
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
        for (int run = 1; run <= Integer.getInteger("runs", 6); run++) {
            long t = System.nanoTime();
            BinlogText.Scan scan = new BinlogText.Scan();
            try (TransactionMerge.Writing merging =
                            TransactionMerge.into(Files.createTempFile("mha4j-merged", ".sql"));
                    OutputStream tee = new LineTee(OutputStream.nullOutputStream(), l -> {
                        scan.line(l);
                        merging.line(l);
                    })) {
                for (int i = 0; i < text.length; i += 32 * 1024) {
                    tee.write(text, i, Math.min(32 * 1024, text.length - i));
                }
                tee.close();
                merging.finish();
            }
            System.out.printf(
                    "run=%d ms=%.1f transactions=%d%n",
                    run,
                    (System.nanoTime() - t) / 1e6,
                    scan.done().transactions().size());
        }
    }
}
