package io.mha4j.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.SandboxConfigs;
import io.mha4j.binlog.BinlogServers;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.failover.Compensation;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.MasterFailover;
import io.mha4j.failover.TimedStep;
import io.mha4j.remote.RemoteShells;
import io.mha4j.testkit.LedgerReport;
import io.mha4j.testkit.OpenSshServer;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.WriteLedger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failover's data recovery over a real sshd: the dead master's binary logs are printed on
 * its host, fetched over SFTP, sent to the new master's host and replayed there; with the dead
 * master's host refusing SSH the failover still promotes, ends PARTIAL, and the report says that
 * the transactions after the replicas' position may be lost (the ledger finds them missing).
 */
class FailoverOverSshIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private SandboxCluster cluster;
    private OpenSshServer sshd;

    @BeforeEach
    void start() {
        cluster = SandboxCluster.builder().nodes(3).start();
        sshd = OpenSshServer.builder().start();
    }

    @AfterEach
    void stop() {
        sshd.close();
        cluster.close();
    }

    private ApplicationConfig config(int deadMasterSshPort) {
        return config(cluster, sshd, dir, deadMasterSshPort);
    }

    /** The cluster's servers reached over {@code sshd}, server1's host on {@code deadMasterSshPort}. */
    static ApplicationConfig config(SandboxCluster cluster, OpenSshServer sshd, Path dir, int deadMasterSshPort) {
        return SandboxConfigs.overSsh(
                        SandboxConfigs.builder(cluster, dir.resolve("manager"), (n, s) -> {
                            s.masterBinlogDirs(List.of(n.dataDir().toString()));
                            if (n.index() == 1) {
                                s.sshPort(deadMasterSshPort);
                            }
                        }),
                        sshd)
                .set(Parameter.SSH_CONNECTION_TIMEOUT, 2)
                .set(Parameter.REMOTE_WORKDIR, dir.toString())
                .build();
    }

    /** Fails server1 over, over SSH. */
    private FailoverReport failOver() {
        ApplicationConfig config = config(sshd.port());
        return MasterFailover.builder(config).build().run(config.servers().get(0));
    }

    /** Fails server1 over with merge_recovered_transactions=1, over SSH. */
    private FailoverReport failOverMerging() {
        ApplicationConfig config = config(sshd.port()).toBuilder()
                .set(Parameter.MERGE_RECOVERED_TRANSACTIONS, true)
                .build();
        return MasterFailover.builder(config).build().run(config.servers().get(0));
    }

    /** The detail of the compensation's steps called {@code name}. */
    private static String step(Compensation c, String name) {
        return c.steps().stream()
                .filter(s -> s.name().equals(name))
                .map(TimedStep::detail)
                .reduce((a, b) -> a + " | " + b)
                .orElse("no step " + name);
    }

    /**
     * The report names {@code after} as the GTID after which transactions may be lost, and the
     * survivors, which agree, lack exactly {@code tail} of what the ledger wrote.
     */
    static void saysMayBeLostAfterAndLosesExactly(
            SandboxCluster cluster, FailoverReport report, String after, WriteLedger ledger, SortedSet<Long> tail) {
        assertThat(report.possibleLoss().orElseThrow().after().toString()).isEqualTo(after);
        assertThat(report.subject()).endsWith("transactions after GTID " + after + " may be lost");
        cluster.awaitReplicasCaughtUp(WAIT);
        LedgerReport verified = ledger.verify(List.of(cluster.node(2), cluster.node(3)));
        assertThat(verified.node("node2").missing()).as(verified.toString()).containsExactlyElementsOf(tail);
        assertThat(verified.node("node3").missing()).as(verified.toString()).containsExactlyElementsOf(tail);
        assertThat(verified.checksumsAgree()).as(verified.toString()).isTrue();
    }

    /** Once the replicas have caught up, both survivors hold every acknowledged write, and agree. */
    private void survivorsLoseNothingAndAgree(WriteLedger ledger) {
        cluster.awaitReplicasCaughtUp(WAIT);
        LedgerReport verified = ledger.verify(List.of(cluster.node(2), cluster.node(3)));
        assertThat(verified.nothingLost()).as(verified.toString()).isTrue();
        assertThat(verified.checksumsAgree()).as(verified.toString()).isTrue();
    }

    private WriteLedger ledger() {
        return WriteLedger.builder(() -> cluster.master().endpoint())
                .writer("ssh")
                .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .build();
    }

    /** Ten writes every server has, then the replicas' IO threads stopped: what follows only the master has. */
    private void replicasStopReceivingAfterTenWrites(WriteLedger ledger) {
        assertThat(ledger.write(10)).isEqualTo(10);
        cluster.awaitReplicasCaughtUp(WAIT);
        cluster.node(2).stopReplicaIoThread();
        cluster.node(3).stopReplicaIoThread();
    }

    @Test
    void whatOnlyTheDeadMasterHadTravelsOverSshAndNothingIsLost() {
        try (WriteLedger ledger = ledger()) {
            replicasStopReceivingAfterTenWrites(ledger);
            assertThat(ledger.write(7)).isEqualTo(7);
            cluster.node(1).kill();

            FailoverReport report = failOver();

            assertThat(report.outcome()).as(report.toString()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
            assertThat(report.compensation().orElseThrow().transactions()).isEqualTo(7);
            survivorsLoseNothingAndAgree(ledger);
        }
    }

    /**
     * In a full binary log the tool starts where the latest replica had executed (its
     * {@code Exec_Master_Log_Pos}), not at the log's start searching for a GTID position; what only
     * the dead master had is still recovered whole.
     */
    @Test
    void inAFullBinaryLogTheToolStartsWhereTheReplicasHadExecutedAndNothingIsLost() {
        cluster.node(1).fillBinaryLog(5);
        try (WriteLedger ledger = ledger()) {
            replicasStopReceivingAfterTenWrites(ledger);
            Map<String, String> replica = cluster.node(2).replicaStatus().orElseThrow();
            assertThat(replica.get("Exec_Master_Log_Pos"))
                    .as("applied all it received")
                    .isEqualTo(replica.get("Read_Master_Log_Pos"));
            long executed = Long.parseLong(replica.get("Exec_Master_Log_Pos"));
            assertThat(executed).as("the filled log's end").isGreaterThan(4_000_000L);
            assertThat(ledger.write(7)).isEqualTo(7);
            cluster.node(1).kill();

            FailoverReport report = failOver();

            assertThat(report.outcome()).as(report.toString()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
            Compensation c = report.compensation().orElseThrow();
            assertThat(c.transactions()).isEqualTo(7);
            assertThat(c.source()).contains(replica.get("Relay_Master_Log_File") + " byte " + executed);
            survivorsLoseNothingAndAgree(ledger);
        }
    }

    @Test
    void mergedTheDeadMastersRowTransactionsCommitAsFewOnTheNewMasterAndEveryPositionEndsAtItsLastGtid() {
        try (WriteLedger ledger = ledger()) {
            replicasStopReceivingAfterTenWrites(ledger);
            assertThat(ledger.write(150)).isEqualTo(150);
            cluster.node(1).execute("CREATE DATABASE merge_ends_at_ddl");
            assertThat(ledger.write(150)).isEqualTo(150);
            String deadMasterHad = cluster.node(1).queryForString("SELECT @@GLOBAL.gtid_binlog_pos");
            cluster.node(1).kill();
            FailoverReport report = failOverMerging();

            assertThat(report.outcome()).as(report.toString()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
            Compensation c = report.compensation().orElseThrow();
            assertThat(c.transactions()).isEqualTo(301);
            assertThat(c.note())
                    .contains("300 of them committed as 2 transaction(s)", "merge_recovered_transactions=1");
            assertThat(step(c, "tool")).contains("300 transaction(s) merged into 2 commit(s) as they arrived");
            // The manager has the client: it replayed the runs as the tool printed them.
            assertThat(step(c, "replay")).contains("on the manager's host, fed as the tool printed them");
            survivorsLoseNothingAndAgree(ledger);
            for (int i = 2; i <= 3; i++) {
                assertThat(cluster.node(i).queryForString("SELECT @@GLOBAL.gtid_binlog_pos"))
                        .as("node %d ends where the dead master ended", i)
                        .isEqualTo(deadMasterHad);
                assertThat(cluster.node(i).query("SHOW DATABASES LIKE 'merge_ends_at_ddl'"))
                        .hasSize(1);
            }
        }
    }

    /**
     * Runs replayed while the tool printed stay when the tool then fails on a later log: they are
     * the dead master's committed history; the failover is PARTIAL and names the GTID after which
     * transactions may be lost — the first log's end, not the replicas' position.
     */
    @Test
    void runsReplayedBeforeTheToolFailsOnALaterLogAreKeptAndOnlyWhatFollowsIsReportedAsMayBeLost() throws Exception {
        try (WriteLedger ledger = ledger()) {
            replicasStopReceivingAfterTenWrites(ledger);
            // ~400 KB of the tool's text: more than one run, so that some go to the client while it prints.
            assertThat(ledger.write(400)).isEqualTo(400);
            SandboxNode master = cluster.node(1);
            String firstLogEnds = master.queryForString("SELECT @@GLOBAL.gtid_binlog_pos");
            master.execute("FLUSH BINARY LOGS");
            String secondLog = master.query("SHOW MASTER STATUS").get(0).get("File");
            assertThat(ledger.write(5)).isEqualTo(5);
            SortedSet<Long> tail = new TreeSet<>(ledger.acknowledged().tailSet(411L));
            master.kill();
            // The tool reads the first log whole, then cannot open the second: not a binary log any more.
            try (FileChannel log = FileChannel.open(master.dataDir().resolve(secondLog), StandardOpenOption.WRITE)) {
                log.write(ByteBuffer.wrap("XXXX".getBytes(StandardCharsets.US_ASCII)), 0);
            }
            FailoverReport report = failOverMerging();

            assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.PARTIAL);
            Compensation c = report.compensation().orElseThrow();
            assertThat(c.checked()).isFalse();
            assertThat(c.transactions()).as(report.toText()).isEqualTo(400);
            assertThat(step(c, "replay")).contains("400 transaction(s)", "replayed as the tool printed them");
            saysMayBeLostAfterAndLosesExactly(cluster, report, firstLogEnds, ledger, tail);
        }
    }

    /**
     * The new master received only part of the dead master's last transaction (its IO thread
     * stopped inside it, as when the master dies while sending it): its SQL thread waits inside
     * that transaction holding its row locks, and the compensation replays the transaction whole
     * from the dead master's binary log. Its replication is stopped first (the unfinished part
     * rolled back), or the replay would wait for those locks until innodb_lock_wait_timeout
     * failed the failover — what a bench trial met.
     */
    @Test
    void aTransactionTheNewMasterReceivedOnlyPartOfIsRecoveredWhole() {
        try (WriteLedger ledger = ledger()) {
            assertThat(ledger.write(10)).isEqualTo(10);
            cluster.awaitReplicasCaughtUp(WAIT);
            SandboxNode master = cluster.node(1);
            SandboxNode latest = cluster.node(3);
            cluster.node(2).stopReplicaIoThread();
            master.execute(
                    "CREATE DATABASE cut_mid_transaction",
                    "CREATE TABLE cut_mid_transaction.t (id INT PRIMARY KEY, pad VARCHAR(200) NOT NULL)");
            String masterHad = master.queryForString("SELECT @@GLOBAL.gtid_binlog_pos");
            await().atMost(WAIT)
                    .until(() -> latest.queryForString("SELECT @@GLOBAL.gtid_slave_pos")
                            .equals(masterHad));
            // Without the fix, the replay fails after this long instead of 50 s.
            latest.execute("SET GLOBAL innodb_lock_wait_timeout = 5");
            int rows = 0;
            boolean cut = false;
            // ~25 MB of row events take the IO thread a while: stopped right after the commit, it is inside them.
            // 40 statements of 2,500 rows: each statement's events are one BINLOG statement of the tool's text,
            // below max_allowed_packet.
            for (int attempt = 0; attempt < 3 && !cut; attempt++) {
                long start = position(master);
                List<String> transaction = new ArrayList<>(List.of("START TRANSACTION"));
                for (int part = 0; part < 40; part++) {
                    transaction.add("INSERT INTO cut_mid_transaction.t SELECT seq + " + (attempt * 100 + part) * 2_500
                            + ", REPEAT('x', 200) FROM cut_mid_transaction.seq_1_to_2500");
                }
                transaction.add("COMMIT");
                master.execute(transaction.toArray(String[]::new));
                latest.stopReplicaIoThread();
                rows += 100_000;
                long read = Long.parseLong(latest.replicaStatus().orElseThrow().get("Read_Master_Log_Pos"));
                cut = read > start && read < position(master);
                if (!cut) {
                    latest.startReplica();
                }
            }
            assertThat(cut).as("the IO thread stopped inside the transaction").isTrue();
            master.kill();

            ApplicationConfig config = config(sshd.port());

            FailoverReport report =
                    MasterFailover.builder(config).build().run(config.servers().get(0));

            assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
            assertThat(report.newMaster().orElseThrow()).endsWith(":" + latest.port() + ")");
            assertThat(latest.queryForString("SELECT COUNT(*) FROM cut_mid_transaction.t"))
                    .isEqualTo(String.valueOf(rows));
            cluster.awaitReplicasCaughtUp(WAIT);
            LedgerReport verified = ledger.verify(List.of(cluster.node(2), latest));
            assertThat(verified.nothingLost()).as(verified.toString()).isTrue();
            assertThat(verified.checksumsAgree()).as(verified.toString()).isTrue();
        }
    }

    /**
     * One statement of 100,000 rows only the dead master had: the tool prints its row events as
     * one 28 MB statement, above the new master's max_allowed_packet (16 MiB), which is raised
     * while the replay runs and set back after; before, the replay failed with ERROR 2006.
     */
    @Test
    void aStatementWhoseRowEventsExceedMaxAllowedPacketIsRecovered() {
        try (WriteLedger ledger = ledger()) {
            SandboxNode master = cluster.node(1);
            master.execute(
                    "CREATE DATABASE one_big_statement",
                    "CREATE TABLE one_big_statement.t (id INT PRIMARY KEY, pad VARCHAR(200) NOT NULL)");
            replicasStopReceivingAfterTenWrites(ledger);
            String limit = cluster.node(3).queryForString("SELECT @@GLOBAL.max_allowed_packet");
            assertThat(Long.parseLong(limit)).isLessThan(28_000_000L);
            master.execute("INSERT INTO one_big_statement.t SELECT seq, REPEAT('x', 200)"
                    + " FROM one_big_statement.seq_1_to_100000");
            assertThat(ledger.write(3)).isEqualTo(3);
            master.kill();
            ApplicationConfig config = config(sshd.port());

            FailoverReport report =
                    MasterFailover.builder(config).build().run(config.servers().get(0));

            assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
            assertThat(report.compensation().orElseThrow().transactions()).isEqualTo(4);
            cluster.awaitReplicasCaughtUp(WAIT);
            for (int i = 2; i <= 3; i++) {
                assertThat(cluster.node(i).queryForString("SELECT COUNT(*) FROM one_big_statement.t"))
                        .isEqualTo("100000");
                assertThat(cluster.node(i).queryForString("SELECT @@GLOBAL.max_allowed_packet"))
                        .as("set back")
                        .isEqualTo(limit);
            }
            LedgerReport verified = ledger.verify(List.of(cluster.node(2), cluster.node(3)));
            assertThat(verified.nothingLost()).as(verified.toString()).isTrue();
            assertThat(verified.checksumsAgree()).as(verified.toString()).isTrue();
        }
    }

    private static long position(SandboxNode master) {
        return Long.parseLong(master.query("SHOW MASTER STATUS").get(0).get("Position"));
    }

    @Test
    void aDeadMasterWhoseHostRefusesSshIsStillFailedOverAndTheReportSaysWhatMayBeLost() {
        try (WriteLedger ledger = ledger()) {
            assertThat(ledger.write(10)).isEqualTo(10);
            cluster.awaitReplicasCaughtUp(WAIT);
            String replicasHad = cluster.node(1).queryForString("SELECT @@GLOBAL.gtid_binlog_pos");
            cluster.node(2).stopReplicaIoThread();
            cluster.node(3).stopReplicaIoThread();
            assertThat(ledger.write(6)).isEqualTo(6);
            SortedSet<Long> tail = new TreeSet<>(ledger.acknowledged().tailSet(11L));
            cluster.node(1).kill();
            ApplicationConfig config = config(1);

            FailoverReport report =
                    MasterFailover.builder(config).build().run(config.servers().get(0));

            // Promoted (availability first), but not SUCCEEDED: nobody could look at the dead master's tail.
            assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.PARTIAL);
            assertThat(report.newMaster()).isPresent();
            assertThat(report.compensation().orElseThrow().applied()).isEmpty();
            assertThat(report.compensation().orElseThrow().checked()).isFalse();
            assertThat(report.compensation().orElseThrow().note()).contains("does not answer over SSH");
            assertThat(report.toJson()).contains("\"possibleLoss\" : {");
            saysMayBeLostAfterAndLosesExactly(cluster, report, replicasHad, ledger, tail);
        }
    }

    @Test
    void withTheDeadMastersHostUnreachableABinlogServerSuppliesWhatTheReplicasMissed() throws Exception {
        Path raw = Files.createDirectories(dir.resolve("binlog-server"));
        Path cnf = dir.resolve("binlog-server.cnf");
        Files.writeString(
                cnf,
                "[client]\nuser=" + SandboxCredentials.REPLICATION.user() + "\npassword="
                        + SandboxCredentials.REPLICATION.password() + "\n");
        SandboxNode master = cluster.node(1);
        Process follower = new ProcessBuilder(
                        "mariadb-binlog",
                        "--defaults-extra-file=" + cnf,
                        "--read-from-remote-server",
                        "--host=127.0.0.1",
                        "--port=" + master.port(),
                        "--raw",
                        "--stop-never",
                        "--result-file=" + raw + "/",
                        "mysql-bin.000001")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("binlog-server.log").toFile())
                .start();
        try (WriteLedger ledger = ledger()) {
            replicasStopReceivingAfterTenWrites(ledger);
            assertThat(ledger.write(6)).isEqualTo(6);
            long end = Long.parseLong(master.query("SHOW MASTER STATUS").get(0).get("Position"));
            await().atMost(WAIT)
                    .until(() -> Files.exists(raw.resolve("mysql-bin.000001"))
                            && Files.size(raw.resolve("mysql-bin.000001")) >= end);
            master.kill();
            ApplicationConfig config = config(1).toBuilder()
                    .binlogServer("binlog1", b -> b.hostname("127.0.0.1").masterBinlogDirs(List.of(raw.toString())))
                    .build();

            FailoverReport report =
                    MasterFailover.builder(config).build().run(config.servers().get(0));

            assertThat(report.outcome()).as(report.toString()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
            assertThat(report.compensation().orElseThrow().source()).contains("binlog server [binlog1]");
            assertThat(report.compensation().orElseThrow().transactions()).isEqualTo(6);
            survivorsLoseNothingAndAgree(ledger);
        } finally {
            follower.destroyForcibly().waitFor();
        }
    }

    @Test
    void theSupervisedBinlogServerFillsTheGapWhenTheDeadMastersHostRefusesSshThenFollowsTheNewMaster()
            throws Exception {
        Path copies = Files.createDirectories(dir.resolve("supervised"));
        ApplicationConfig config = config(1).toBuilder()
                .binlogServer("binlog1", b -> b.hostname("127.0.0.1").masterBinlogDirs(List.of(copies.toString())))
                .build();
        try (RemoteShells shells = RemoteShells.forApplication(config);
                BinlogServers servers = BinlogServers.start(config, shells, Clock.systemUTC(), Duration.ofMillis(200));
                WriteLedger ledger = ledger()) {
            SandboxNode master = cluster.node(1);
            String file = master.query("SHOW MASTER STATUS").get(0).get("File");
            replicasStopReceivingAfterTenWrites(ledger);
            assertThat(ledger.write(5)).isEqualTo(5);
            long end = Long.parseLong(master.query("SHOW MASTER STATUS").get(0).get("Position"));
            await().atMost(WAIT)
                    .until(() -> Files.exists(copies.resolve(file)) && Files.size(copies.resolve(file)) >= end);
            master.kill();

            FailoverReport report =
                    MasterFailover.builder(config).build().run(config.servers().get(0));

            assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
            assertThat(report.compensation().orElseThrow().source()).contains("binlog server [binlog1]");
            assertThat(report.compensation().orElseThrow().transactions()).isEqualTo(5);
            survivorsLoseNothingAndAgree(ledger);

            SandboxNode next = cluster.node(2);
            await().atMost(WAIT).until(() -> servers.following().get("binlog1").equals("127.0.0.1:" + next.port()));
            ledger.writeOne();
            assertThat(ledger.write(2)).isEqualTo(2);
            String newFile = next.query("SHOW MASTER STATUS").get(0).get("File");
            String row = "ssh:" + ledger.acknowledged().last();
            await().atMost(WAIT)
                    .until(() -> Files.exists(copies.resolve(newFile))
                            && new String(Files.readAllBytes(copies.resolve(newFile)), StandardCharsets.ISO_8859_1)
                                    .contains(row));
        }
    }
}
