package io.mha4j.internal.failover;

import io.mha4j.remote.CommandResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the text path of the compensation — {@link SavedEvents#stream}: {@link LineTee}, {@link
 * BinlogText.Scan}, the merge, the two files — over synthetic {@code mariadb-binlog} text once
 * per JVM while the master is healthy, so that the failover finds it compiled. A manager runs for
 * days and fails over once: cold, a 2.3 MB text took 150 ms where the compiled pass takes 40
 * (docs/measurements.md), on the failover's critical path.
 *
 * <p>It must be the failover's own code and look like the tool's real text: the compiler bets on
 * what it has seen, and the first line of a kind the warm-up never showed (the binary log's
 * format description, the session settings the tool prints before the first transaction) or a
 * class it never met at a call site (another sink, another line consumer) throws the compiled
 * code away in the middle of the failover — seen in a JIT log as the compiled methods "made not
 * entrant" when the tool's text began. Its two files are {@code /dev/null}: nothing is kept.
 */
public final class CompensationWarmup {
    private static final Logger log = LoggerFactory.getLogger(CompensationWarmup.class);
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final int TRANSACTIONS = 3_000;
    private static final int PASSES = 4;
    /** Where the synthetic log's first transaction starts, each one as long. */
    static final long FIRST_TRANSACTION = 400;
    /** Where both files go: written through the same classes as a failover's files, kept nowhere. */
    private static final Path NOWHERE = Path.of("/dev/null");

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
        if (!Files.isWritable(NOWHERE)) {
            log.debug("no {} here: the compensation's text path is not warmed up", NOWHERE);
            return;
        }
        byte[] fromStart = text(TRANSACTIONS, false).getBytes(StandardCharsets.ISO_8859_1);
        byte[] fromByte = text(TRANSACTIONS, true).getBytes(StandardCharsets.ISO_8859_1);
        try {
            for (long from : passStarts()) {
                pass(from == 0 ? fromStart : fromByte, from, NOWHERE, NOWHERE);
            }
            log.debug("compensation text path compiled in {} ms", (System.nanoTime() - started) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            // Our own synthetic text failed our own path: a bug, and the first failover runs cold.
            log.warn("compensation warm-up failed (the failover is only slower): {}", e.toString());
        }
    }

    /**
     * Where each pass reads its text from: a log's start and a byte, taking turns. A branch the
     * compiled code never saw taken (the first event's place in a text read from a byte) would
     * discard it at the failover's first line.
     */
    static long[] passStarts() {
        long[] starts = new long[PASSES];
        for (int pass = 0; pass < PASSES; pass++) {
            starts[pass] = pass % 2 == 0 ? 0 : FIRST_TRANSACTION;
        }
        return starts;
    }

    /** One pass as a failover makes it, the text saved to {@code saved} and merged into {@code merged}. */
    static int pass(byte[] text, Path saved, Path merged) throws IOException {
        return pass(text, 0, saved, merged);
    }

    /**
     * {@link #pass(byte[], Path, Path)} of a text the tool printed from byte {@code from} of the first log.
     *
     * @throws IOException also when the text read from {@code from} would not be trusted: a warm-up
     *     that missed the path it is for
     */
    static int pass(byte[] text, long from, Path saved, Path merged) throws IOException {
        BinlogText.Scan scan = new BinlogText.Scan(from);
        try (TransactionMerge.Writing merging = TransactionMerge.into(merged)) {
            SavedEvents.stream(out -> print(text, out), saved, scan, merging);
            merging.finish().orElseThrow(() -> new IOException(merging.failure()));
        }
        if (!scan.misplacedSoFar().isEmpty()) {
            throw new IOException(scan.misplacedSoFar());
        }
        return scan.done().transactions().size();
    }

    /**
     * {@code count} one-row transactions as {@code mariadb-binlog --start-position=<GTID>} prints a
     * dead master's tail: its preamble, the log's format description, the session settings before
     * the first transaction, and its end; with {@code fromAByte} as {@code --start-position=}{@link
     * #FIRST_TRANSACTION} prints it: the first transaction right after the format description.
     */
    static String text(int count, boolean fromAByte) {
        StringBuilder s = new StringBuilder(count * 1000);
        s.append(BinlogText.PREAMBLE)
                .append("\n/*!40019 SET @@session.max_delayed_threads=0*/;\n")
                .append("/*!50003 SET @OLD_COMPLETION_TYPE=@@COMPLETION_TYPE,COMPLETION_TYPE=0*/;\n")
                .append("DELIMITER /*!*/;\n# at 4\n")
                .append("#261207 15:14:11 server id 1  end_log_pos 256 CRC32 0x6e0dff5c \tStart: binlog v 4, server v"
                        + " 10.11.19-MariaDB-log created 261207 15:14:11 at startup\n")
                .append("# Warning: this binlog is either in use or was not closed properly.\nROLLBACK/*!*/;\n")
                .append("BINLOG '\nQ80Waw8BAAAA/AAAAAABAAABAAQAMTAuMTEuMTktTWFyaWFEQi0wK2RlYjEydTEtbG9nAAAAAAAA\n")
                .append("AAAAAAAAAAAEEwQADQgICAoKCgFc/w1u\n'/*!*/;\n");
        if (!fromAByte) {
            s.append("# at 256\n")
                    .append("#261207 15:14:11 server id 1  end_log_pos 285 CRC32 0x1f406b85 \tGtid list []\n# at 285\n")
                    .append("#261207 15:14:11 server id 1  end_log_pos 328 CRC32 0x7c6bcf6a \tBinlog checkpoint"
                            + " mysql-bin.000001\n");
        }
        for (int seq = 1; seq <= count; seq++) {
            long pos = FIRST_TRANSACTION * seq;
            s.append("# at ").append(pos).append('\n');
            s.append("#261207 12:54:36 server id 1  end_log_pos ")
                    .append(pos + 42)
                    .append(" CRC32 0xa441f634 \tGTID 0-1-")
                    .append(seq)
                    .append(" trans\n");
            if (seq == 1) {
                s.append("/*M!100101 SET @@session.skip_parallel_replication=0*//*!*/;\n")
                        .append("/*M!100001 SET @@session.gtid_domain_id=0*//*!*/;\n")
                        .append("/*M!100001 SET @@session.server_id=1*//*!*/;\n");
            }
            s.append("/*M!100001 SET @@session.gtid_seq_no=").append(seq).append("*//*!*/;\n");
            s.append("START TRANSACTION\n/*!*/;\n");
            s.append("# at ")
                    .append(pos + 42)
                    .append("\n# at ")
                    .append(pos + 190)
                    .append('\n');
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
        s.append("DELIMITER ;\n# End of log file\nROLLBACK /* added by mysqlbinlog */;\n")
                .append("/*!50003 SET COMPLETION_TYPE=@OLD_COMPLETION_TYPE*/;\n")
                .append("/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=0*/;\n")
                .append("/*!100001 SET @@SESSION.SERVER_ID=@@GLOBAL.SERVER_ID */;\n")
                .append("/*!100001 SET @@SESSION.GTID_DOMAIN_ID=@@GLOBAL.GTID_DOMAIN_ID */;\n");
        return s.toString();
    }

    /** The binlog tool printing {@code text}: it arrives in pieces, as over SSH. */
    private static CommandResult print(byte[] text, OutputStream out) {
        try {
            for (int i = 0; i < text.length; i += 32 * 1024) {
                out.write(text, i, Math.min(32 * 1024, text.length - i));
            }
        } catch (IOException e) {
            return new CommandResult(1, "", e.toString(), Duration.ZERO);
        }
        return new CommandResult(0, "", "", Duration.ZERO);
    }
}
