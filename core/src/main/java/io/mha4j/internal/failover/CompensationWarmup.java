package io.mha4j.internal.failover;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the text path of the compensation — {@link LineTee}, {@link BinlogText.Scan} and the merge
 * — over synthetic {@code mariadb-binlog} text once per JVM while the master is healthy, so that
 * the failover finds it compiled. A manager runs for days and fails over once: cold, a 2.3 MB text
 * took 150 ms where the compiled pass takes 40 (docs/measurements.md), on the failover's critical
 * path. The same kind of work ahead of time as the monitor's warm shell; nothing is written.
 */
public final class CompensationWarmup {
    private static final Logger log = LoggerFactory.getLogger(CompensationWarmup.class);
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final int TRANSACTIONS = 3_000;
    private static final int PASSES = 4;

    private CompensationWarmup() {}

    /** Starts the warm-up on a daemon thread of low priority, once per JVM. */
    public static void inBackground() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(CompensationWarmup::run, "mha4j-compensation-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    static void run() {
        long started = System.nanoTime();
        byte[] text = text(TRANSACTIONS).getBytes(StandardCharsets.ISO_8859_1);
        try {
            for (int pass = 0; pass < PASSES; pass++) {
                pass(text);
            }
            log.debug("compensation text path compiled in {} ms", (System.nanoTime() - started) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            log.debug("compensation warm-up failed (the failover is only slower): {}", e.toString());
        }
    }

    /** One pass as a failover makes it, the merged text written nowhere. */
    static int pass(byte[] text) throws IOException {
        BinlogText.Scan scan = new BinlogText.Scan();
        TransactionMerge.Writing merging = TransactionMerge.into(Writer.nullWriter());
        try (OutputStream tee = new LineTee(OutputStream.nullOutputStream(), l -> {
            scan.line(l);
            merging.line(l);
        })) {
            for (int i = 0; i < text.length; i += 32 * 1024) {
                tee.write(text, i, Math.min(32 * 1024, text.length - i));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        merging.finish().orElseThrow(() -> new IOException(merging.failure()));
        return scan.done().transactions().size();
    }

    /** {@code count} one-row transactions as {@code mariadb-binlog} prints them, with its preamble and end. */
    static String text(int count) {
        StringBuilder s = new StringBuilder(count * 700);
        s.append(BinlogText.PREAMBLE).append("\nDELIMITER /*!*/;\n");
        for (int seq = 1; seq <= count; seq++) {
            long pos = 400L * seq;
            s.append("# at ").append(pos).append('\n');
            s.append("#261207 12:54:36 server id 1  end_log_pos ")
                    .append(pos + 42)
                    .append(" CRC32 0xa441f634 \tGTID 0-1-")
                    .append(seq)
                    .append(" trans\n");
            s.append("/*M!100001 SET @@session.gtid_seq_no=").append(seq).append("*//*!*/;\n");
            s.append("START TRANSACTION\n/*!*/;\n");
            s.append("# at ").append(pos + 42).append('\n');
            s.append("#261207 12:54:36 server id 1  end_log_pos ")
                    .append(pos + 190)
                    .append(" CRC32 0x86e4ecc9 \tAnnotate_rows:\n");
            s.append("#Q> INSERT INTO l.t (writer,seq) VALUES ('warm-up',")
                    .append(seq)
                    .append(")\n");
            s.append("#261207 12:54:36 server id 1  end_log_pos ")
                    .append(pos + 240)
                    .append(" CRC32 0xd5d70658 \tTable_map: `l`.`t` mapped to number 18\n");
            s.append("# at ").append(pos + 240).append('\n');
            s.append("#261207 12:54:36 server id 1  end_log_pos ")
                    .append(pos + 365)
                    .append(" CRC32 0x81dae4e3 \tWrite_rows: table id 18 flags: STMT_END_F\n\nBINLOG '\n");
            s.append("jKwWaxMBAAAAMgAAACybAAAAABIAAAAAAAEAAWwAAXQABQgPCA8SBUAAyAAGHlgG19U=\n");
            s.append("jKwWaxcBAAAAfQAAAKmbAAAAABIAAAAAAAEABR/gYgAAAAAAAAAFYmVuY2hhAAAAAAAAADx4eHh4\n");
            s.append("u47NpAiJ+ePk2oE=\n'/*!*/;\n# Number of rows: 1\n");
            s.append("# at ").append(pos + 365).append('\n');
            s.append("#261207 12:54:36 server id 1  end_log_pos ")
                    .append(pos + 400)
                    .append(" CRC32 0xb04d283a \tXid = ")
                    .append(seq)
                    .append("\nCOMMIT/*!*/;\n");
        }
        s.append("DELIMITER ;\n# End of log file\nROLLBACK /* added by mysqlbinlog */;\n");
        return s.toString();
    }
}
