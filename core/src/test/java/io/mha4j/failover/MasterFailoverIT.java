package io.mha4j.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.FailoverHook;
import io.mha4j.SandboxConfigs;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.gtid.MariadbGtidSet;
import io.mha4j.manager.ManagerOptions;
import io.mha4j.manager.ManagerStatus;
import io.mha4j.manager.StatusFile;
import io.mha4j.manager.Supervisor;
import io.mha4j.testkit.LedgerReport;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.WriteLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failover on real MariaDB servers with GTID replication: what only the dead master had is
 * recovered from its binary logs, elections follow MHA's rules, refusals change nothing, and
 * one lost replica does not stop the others. Each test gets a fresh 3-node sandbox (node1 the
 * master), because each one rewires it.
 */
class MasterFailoverIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path workdir;

    private SandboxCluster cluster;

    @BeforeEach
    void start() {
        cluster = SandboxCluster.builder().nodes(3).start();
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    /** node1 the master; {@code perServer} adds settings to a server's block by node index. */
    private ApplicationConfig config(BiConsumer<Integer, ServerConfig.Builder> perServer) {
        return SandboxConfigs.builder(
                        cluster,
                        workdir,
                        (n, s) -> perServer.accept(
                                n.index(),
                                s.masterBinlogDirs(List.of(n.dataDir().toString()))))
                .set(Parameter.APPLY_TIMEOUT, Duration.ofSeconds(20))
                .build();
    }

    private ApplicationConfig config() {
        return config((i, s) -> {});
    }

    private static ServerConfig server(ApplicationConfig config, int index) {
        return config.server("server" + index).orElseThrow();
    }

    private WriteLedger ledger(String writer) {
        return WriteLedger.builder(() -> cluster.master().endpoint())
                .writer(writer)
                .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .build();
    }

    private static String gtidPos(SandboxNode n) {
        return n.queryForString("SELECT @@GLOBAL.gtid_binlog_pos");
    }

    @Test
    void transactionsOnlyTheDeadMasterHadAreRecoveredFromItsBinaryLogs() {
        try (WriteLedger ledger = ledger("crash")) {
            assertThat(ledger.write(20)).isEqualTo(20);
            cluster.awaitReplicasCaughtUp(WAIT);
            String replicasHad = gtidPos(cluster.node(1));
            cluster.node(2).stopReplicaIoThread();
            cluster.node(3).stopReplicaIoThread();
            assertThat(ledger.write(15)).isEqualTo(15);
            String masterHad = gtidPos(cluster.node(1));
            cluster.node(1).kill();

            ApplicationConfig config = config();
            FailoverReport report = MasterFailover.builder(config).build().run(server(config, 1));

            assertThat(report.outcome()).as(report.toString()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
            assertThat(report.newMaster()).contains(server(config, 2).displayName());
            MariadbGtidSet expected = MariadbGtidSet.parse(masterHad).subtract(MariadbGtidSet.parse(replicasHad));
            assertThat(expected.count()).isEqualTo(15);
            assertThat(report.compensation()).isPresent();
            assertThat(report.compensation().get().applied()).contains(expected);
            assertThat(cluster.master()).isSameAs(cluster.node(2));
            assertThat(cluster.node(2).isReadOnly()).isFalse();
            assertThat(cluster.node(3).replicaStatus().orElseThrow().get("Master_Port"))
                    .isEqualTo(String.valueOf(cluster.node(2).port()));
            assertThat(report.replicas())
                    .singleElement()
                    .satisfies(r -> assertThat(r.recovered()).isTrue());
            assertThat(report.rejoinStatement().orElseThrow())
                    .contains("MASTER_PORT=" + cluster.node(2).port())
                    .contains("MASTER_PASSWORD='xxx'")
                    .doesNotContain(SandboxCredentials.REPLICATION.password());
            assertThat(ledger.writeOne())
                    .as("the connection to the dead master breaks")
                    .isEqualTo(io.mha4j.testkit.WriteOutcome.IN_DOUBT);
            assertThat(ledger.write(5)).as("writes reach the new master").isEqualTo(5);
            cluster.awaitReplicasCaughtUp(WAIT);
            LedgerReport verified = ledger.verify(List.of(cluster.node(2), cluster.node(3)));
            assertThat(verified.nothingLost()).as(verified.toString()).isTrue();
            assertThat(verified.checksumsAgree()).as(verified.toString()).isTrue();
            assertThat(workdir.resolve("app1.failover.complete")).exists();
            assertThat(workdir.resolve("app1.failover_report.json"))
                    .content()
                    .contains("\"outcome\" : \"SUCCEEDED\"")
                    .contains("\"transactions\" : 15");
        }
    }

    /**
     * The master dies while sending a large transaction: the latest replica received all of it but
     * its last statement, and its SQL thread applied that much. Stopping it before the
     * compensation rolls 150,000 rows back (~1 s here, twice {@code replica_read_timeout}): the
     * failover waits for that, then recovers the transaction whole from the dead master's binary
     * log. Bounded by {@code replica_read_timeout} alone, it stopped FAILED, without a master.
     */
    @Test
    void aLargeTransactionTheNewMasterAppliedMostOfIsRolledBackAndRecoveredWhole() {
        try (WriteLedger ledger = ledger("large")) {
            SandboxNode master = cluster.node(1);
            SandboxNode latest = cluster.node(3);
            master.execute(
                    "CREATE DATABASE cut_large",
                    "CREATE TABLE cut_large.t (id INT PRIMARY KEY, pad VARCHAR(200) NOT NULL)",
                    "CREATE TABLE cut_large.last_row (id INT PRIMARY KEY, b LONGBLOB NOT NULL)",
                    // Not empty: InnoDB logs an insert into an empty table as one undo record (MDEV-24621),
                    // and rolls it back at once.
                    "INSERT INTO cut_large.t VALUES (0, 'not empty')");
            assertThat(ledger.write(10)).isEqualTo(10);
            cluster.awaitReplicasCaughtUp(WAIT);
            cluster.node(2).stopReplicaIoThread();
            assertThat(ledger.write(1))
                    .as("only node3 has it: the latest, elected")
                    .isEqualTo(1);
            awaitApplied(latest, gtidPos(master));
            // The IO thread stops at an event over slave_max_allowed_packet, with all before it received:
            // a cut as deterministic as a crash is not.
            latest.stopReplicaIoThread();
            latest.execute("SET GLOBAL slave_max_allowed_packet = 1048576");
            latest.startReplica();
            List<String> transaction = new java.util.ArrayList<>(List.of("START TRANSACTION"));
            for (int part = 0; part < LARGE_ROWS / 10_000; part++) {
                transaction.add("INSERT INTO cut_large.t SELECT seq + " + part * 10_000
                        + ", REPEAT('x', 200) FROM cut_large.seq_1_to_10000");
            }
            transaction.add("INSERT INTO cut_large.last_row VALUES (1, REPEAT('y', 2000000))");
            transaction.add("COMMIT");
            master.execute(transaction.toArray(String[]::new));
            await().atMost(WAIT)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> rowsSeenUncommitted(latest, "cut_large.t"), rows -> rows == LARGE_ROWS + 1);
            await("its IO thread stopped inside the transaction")
                    .atMost(WAIT)
                    .until(
                            () -> latest.replicaStatus().orElseThrow(),
                            status -> "No".equals(status.get("Slave_IO_Running"))
                                    && "1153".equals(status.get("Last_IO_Errno")));
            latest.execute("SET GLOBAL slave_max_allowed_packet = DEFAULT");
            master.kill();

            ApplicationConfig config = config();
            FailoverReport report = MasterFailover.builder(config).build().run(server(config, 1));

            assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
            assertThat(report.newMaster()).contains(server(config, 3).displayName());
            assertThat(latest.queryForString("SELECT COUNT(*) FROM cut_large.t"))
                    .isEqualTo(String.valueOf(LARGE_ROWS + 1));
            assertThat(latest.queryForString("SELECT LENGTH(b) FROM cut_large.last_row"))
                    .isEqualTo("2000000");
            cluster.awaitReplicasCaughtUp(WAIT);
            LedgerReport verified = ledger.verify(List.of(cluster.node(2), latest));
            assertThat(verified.nothingLostAndAgreed()).as(verified.toString()).isTrue();
            assertThat(cluster.node(2).queryForString("SELECT COUNT(*) FROM cut_large.t"))
                    .isEqualTo(String.valueOf(LARGE_ROWS + 1));
        }
    }

    /** Rows of {@code table}, what transactions not yet committed wrote included (its SQL thread's). */
    private static long rowsSeenUncommitted(SandboxNode node, String table) throws java.sql.SQLException {
        try (java.sql.Connection c = node.connect();
                java.sql.Statement st = c.createStatement()) {
            st.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED");
            try (java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Rows of the transaction cut in {@link #aLargeTransactionTheNewMasterAppliedMostOfIsRolledBackAndRecoveredWhole}. */
    private static final int LARGE_ROWS = 150_000;

    @Test
    void aCandidateThatIsNotTheLatestCatchesUpFromTheLatestReplicaThenFromTheDeadMaster() {
        try (WriteLedger ledger = ledger("candidate")) {
            assertThat(ledger.write(10)).isEqualTo(10);
            cluster.awaitReplicasCaughtUp(WAIT);
            cluster.node(3).stopReplicaIoThread();
            assertThat(ledger.write(10)).isEqualTo(10);
            awaitApplied(cluster.node(2), gtidPos(cluster.node(1)));
            cluster.node(2).stopReplicaIoThread();
            assertThat(ledger.write(5)).isEqualTo(5);
            cluster.node(1).kill();

            ApplicationConfig config = config((i, s) -> s.set(Parameter.CANDIDATE_MASTER, i == 3));
            FailoverReport report = MasterFailover.builder(config).build().run(server(config, 1));

            assertThat(report.outcome()).as(report.toString()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
            assertThat(report.newMaster()).contains(server(config, 3).displayName());
            assertThat(report.electionReason()).contains("candidate_master=1");
            assertThat(report.compensation().orElseThrow().transactions()).isEqualTo(5);
            assertThat(cluster.master()).isSameAs(cluster.node(3));
            LedgerReport verified = ledger.verify(List.of(cluster.node(3)));
            assertThat(verified.nothingLost()).as(verified.toString()).isTrue();
            ledger.writeOne();
            assertThat(ledger.write(3)).isEqualTo(3);
            cluster.awaitReplicasCaughtUp(WAIT);
            verified = ledger.verify(List.of(cluster.node(2), cluster.node(3)));
            assertThat(verified.nothingLostAndAgreed()).as(verified.toString()).isTrue();
        }
    }

    @Test
    void aDelayedCandidateIsSkippedUnderCheckReplDelayWithTheReason() {
        cluster.node(2).execute("STOP SLAVE", "CHANGE MASTER TO MASTER_DELAY=3600", "START SLAVE");
        try (WriteLedger ledger = ledger("delayed")) {
            assertThat(ledger.write(5)).isEqualTo(5);
            awaitApplied(cluster.node(3), gtidPos(cluster.node(1)));
            cluster.node(1).kill();

            ApplicationConfig config = config((i, s) -> s.set(Parameter.CANDIDATE_MASTER, i == 2));
            FailoverReport report = MasterFailover.builder(config).build().run(server(config, 1));

            assertThat(report.outcome()).as(report.toString()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
            assertThat(report.newMaster()).contains(server(config, 3).displayName());
            assertThat(report.losers().get("server2"))
                    .contains("check_repl_delay=1")
                    .contains("SQL_Delay=3600");
            // The delayed replica was rewired to the new master, an hour behind by design: without its
            // delay it must end up with exactly the new master's rows.
            cluster.node(2).execute("STOP SLAVE", "CHANGE MASTER TO MASTER_DELAY=0", "START SLAVE");
            cluster.awaitReplicasCaughtUp(WAIT);
            LedgerReport verified = ledger.verify(List.of(cluster.node(2), cluster.node(3)));
            assertThat(verified.nothingLostAndAgreed()).as(verified.toString()).isTrue();
        }
    }

    @Test
    void withNoPossibleMasterTheFailoverIsRefusedAndNothingChanges() {
        cluster.node(1).kill();
        ApplicationConfig config = config((i, s) -> s.set(Parameter.NO_MASTER, i != 1));
        Map<String, String> before2 = cluster.node(2).replicaStatus().orElseThrow();

        FailoverReport report = MasterFailover.builder(config).build().run(server(config, 1));

        assertThat(report.outcome()).isEqualTo(FailoverReport.Outcome.REFUSED);
        assertThat(report.errors())
                .singleElement()
                .asString()
                .contains("no server may become the new master")
                .contains("no_master=1");
        assertThat(report.newMaster()).isEmpty();
        assertThat(workdir.resolve("app1.failover.error")).exists();
        for (SandboxNode replica : List.of(cluster.node(2), cluster.node(3))) {
            Map<String, String> st = replica.replicaStatus().orElseThrow();
            assertThat(st.get("Master_Port"))
                    .isEqualTo(String.valueOf(cluster.node(1).port()));
            assertThat(st.get("Slave_IO_Running"))
                    .as("the IO thread was not stopped")
                    .isNotEqualTo("No");
            assertThat(st.get("Slave_SQL_Running")).isEqualTo("Yes");
            assertThat(replica.isReadOnly()).isTrue();
        }
        assertThat(before2.get("Master_Port"))
                .isEqualTo(String.valueOf(cluster.node(1).port()));
    }

    @Test
    void anotherWritableServerOrALiveMasterIsRefused() {
        ApplicationConfig config = config();
        FailoverReport alive =
                MasterFailover.builder(config).recordOutcome(false).build().run(server(config, 1));
        assertThat(alive.outcome()).isEqualTo(FailoverReport.Outcome.REFUSED);
        assertThat(alive.errors()).singleElement().asString().contains("it is alive");

        cluster.node(3).execute("SET GLOBAL read_only=OFF");
        cluster.node(1).kill();
        FailoverReport twoMasters =
                MasterFailover.builder(config).recordOutcome(false).build().run(server(config, 1));
        assertThat(twoMasters.outcome()).isEqualTo(FailoverReport.Outcome.REFUSED);
        assertThat(twoMasters.errors())
                .singleElement()
                .asString()
                .contains(server(config, 3).displayName())
                .contains("writable");
        assertThat(cluster.node(2).isReadOnly()).isTrue();
        assertThat(cluster.node(2).replicaStatus().orElseThrow().get("Slave_IO_Running"))
                .isNotEqualTo("No");
    }

    @Test
    void aReplicaThatIsDownIsReportedAndTheOthersAreRecovered() {
        try (WriteLedger ledger = ledger("partial")) {
            assertThat(ledger.write(5)).isEqualTo(5);
            cluster.awaitReplicasCaughtUp(WAIT);
            cluster.node(3).kill();
            cluster.node(1).kill();
            ApplicationConfig config = config();
            FailoverHook brokenObserver = new FailoverHook() {
                @Override
                public String name() {
                    return "broken-observer";
                }

                @Override
                public void afterPhase(FailoverPhase phase, FailoverContext context) {
                    throw new IllegalStateException("observer bug");
                }

                @Override
                public void report(FailoverContext context, FailoverReport report) {
                    throw new IllegalStateException("observer bug");
                }
            };

            FailoverReport report =
                    MasterFailover.builder(config).hook(brokenObserver).build().run(server(config, 1));

            assertThat(report.outcome()).as(report.toString()).isEqualTo(FailoverReport.Outcome.PARTIAL);
            assertThat(report.outcome().exitCode()).isEqualTo(10);
            assertThat(report.newMaster()).contains(server(config, 2).displayName());
            assertThat(report.replicas()).singleElement().satisfies(r -> {
                assertThat(r.server()).isEqualTo(server(config, 3).displayName());
                assertThat(r.recovered()).isFalse();
                assertThat(r.detail()).contains("could not be read");
            });
            assertThat(cluster.node(2).isReadOnly()).isFalse();
            assertThat(workdir.resolve("app1.failover.complete"))
                    .as("MHA writes it after a partial failover too")
                    .exists();
        }
    }

    @Test
    void theAntiFlapRuleRefusesASecondFailoverUnlessIgnored() throws Exception {
        new FailoverGuard(workdir, "app1").markComplete(Instant.now());
        cluster.node(1).kill();
        ApplicationConfig config = config();

        FailoverReport refused = MasterFailover.builder(config).build().run(server(config, 1));
        assertThat(refused.outcome()).isEqualTo(FailoverReport.Outcome.REFUSED);
        assertThat(refused.errors()).singleElement().asString().contains("anti-flap");
        assertThat(workdir.resolve("app1.failover.error")).doesNotExist();
        assertThat(cluster.node(2).replicaStatus().orElseThrow().get("Slave_IO_Running"))
                .isNotEqualTo("No");

        FailoverReport ignored =
                MasterFailover.builder(config).ignoreLastFailover(true).build().run(server(config, 1));
        assertThat(ignored.outcome()).as(ignored.toString()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
        assertThat(Files.getLastModifiedTime(workdir.resolve("app1.failover.complete"))
                        .toInstant())
                .isAfterOrEqualTo(ignored.startedAt().minusSeconds(1));
    }

    @Test
    void aHookVetoStopsTheFailoverBeforeAnythingChanges() {
        cluster.node(1).kill();
        ApplicationConfig config = config();
        FailoverHook veto = new FailoverHook() {
            @Override
            public String name() {
                return "change-freeze";
            }

            @Override
            public void beforePhase(FailoverPhase phase, FailoverContext context) {
                if (phase == FailoverPhase.ISOLATE) {
                    throw new FailoverVetoException(name(), "change freeze until Monday");
                }
            }
        };

        FailoverReport report =
                MasterFailover.builder(config).hook(veto).build().run(server(config, 1));

        assertThat(report.outcome()).isEqualTo(FailoverReport.Outcome.REFUSED);
        assertThat(report.errors())
                .singleElement()
                .asString()
                .contains("change-freeze")
                .contains("change freeze");
        for (SandboxNode replica : List.of(cluster.node(2), cluster.node(3))) {
            assertThat(replica.replicaStatus().orElseThrow().get("Slave_IO_Running"))
                    .isNotEqualTo("No");
            assertThat(replica.isReadOnly()).isTrue();
        }
    }

    private static void awaitApplied(SandboxNode replica, String position) {
        org.awaitility.Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> MariadbGtidSet.parse(replica.queryForString("SELECT @@GLOBAL.gtid_slave_pos"))
                        .contains(MariadbGtidSet.parse(position)));
    }

    @Test
    void theManagerDetectsTheDeadMasterUnderLoadAndRunsThisFailoverEndToEnd() {
        try (WriteLedger ledger = ledger("manager")) {
            assertThat(ledger.write(5)).isEqualTo(5);
            cluster.awaitReplicasCaughtUp(WAIT);
            ApplicationConfig config =
                    config((i, s) -> {}).toBuilder().pingInterval(1).build();
            ManagerOptions options = ManagerOptions.builder()
                    .skipSshCheck(true)
                    .afterFailover(ManagerOptions.AfterFailover.EXIT)
                    .build();
            Supervisor manager = Supervisor.builder(config).options(options).build();
            CompletableFuture<Supervisor.Result> run = CompletableFuture.supplyAsync(manager::run);
            StatusFile status = new StatusFile(workdir, "app1");
            await().atMost(WAIT)
                    .until(() -> run.isDone()
                            || status.read()
                                    .flatMap(StatusFile.Entry::parsedStatus)
                                    .filter(ManagerStatus.PING_OK::equals)
                                    .isPresent());
            assertThat(run).as(() -> "the manager ended early: " + run.join()).isNotDone();
            ledger.start(100_000, Duration.ofSeconds(60));
            await().atMost(WAIT).until(() -> ledger.acknowledged().size() > 50);

            cluster.node(1).kill();
            Supervisor.Result result =
                    run.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
            // Under load either replica may hold the last transaction, and MHA's rule elects the latest.
            await().atMost(WAIT).until(() -> ledger.acknowledged().size() > 100);
            ledger.stop();

            assertThat(result.exitCode()).as(result.summary()).isZero();
            assertThat(cluster.master()).isIn(cluster.node(2), cluster.node(3));
            cluster.awaitReplicasCaughtUp(WAIT);
            LedgerReport verified = ledger.verify(List.of(cluster.node(2), cluster.node(3)));
            assertThat(verified.nothingLost()).as(verified.toString()).isTrue();
            assertThat(verified.checksumsAgree()).as(verified.toString()).isTrue();
            assertThat(workdir.resolve("app1.failover.complete")).exists();
        }
    }

    @Test
    void removeDeadMasterConfDeletesOnlyTheDeadMastersBlockFromTheFile() throws Exception {
        // The block goes with the blank lines after it; every other line, comments included, stays.
        StringBuilder text = new StringBuilder("# app1: sandbox\n[server default]\nuser="
                + SandboxCredentials.ADMIN.user()
                + "\npassword=" + SandboxCredentials.ADMIN.password() + "\nrepl_user="
                + SandboxCredentials.REPLICATION.user() + "\nrepl_password=" + SandboxCredentials.REPLICATION.password()
                + "\nmanager_workdir=" + workdir + "\nremote_workdir=" + workdir + "\nremote_shell=local\n");
        for (SandboxNode n : cluster.nodes()) {
            text.append("\n# node ")
                    .append(n.index())
                    .append("\n[server")
                    .append(n.index())
                    .append("]\nhostname=127.0.0.1\n")
                    .append("port=")
                    .append(n.port())
                    .append("\nmaster_binlog_dir=")
                    .append(n.dataDir())
                    .append('\n');
        }
        Path file = workdir.resolve("app1.cnf");
        Files.writeString(file, text);
        cluster.node(1).kill();
        ApplicationConfig config = io.mha4j.config.MhaConfigReader.read(file);

        FailoverReport report = MasterFailover.builder(config)
                .removeDeadMasterConf(true)
                .build()
                .run(server(config, 1));

        assertThat(report.outcome()).as(report.toString()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
        String expected = text.toString()
                .replace(
                        "[server1]\nhostname=127.0.0.1\nport=" + cluster.node(1).port() + "\nmaster_binlog_dir="
                                + cluster.node(1).dataDir() + "\n\n",
                        "");
        assertThat(Files.readString(file))
                .isEqualTo(expected)
                .doesNotContain("[server1]")
                .contains("# node 1");
    }

    @Test
    void withKeepMonitoringTheManagerWatchesTheNewMasterAndFailsItOverToo() {
        try (WriteLedger ledger = ledger("keep")) {
            assertThat(ledger.write(5)).isEqualTo(5);
            cluster.awaitReplicasCaughtUp(WAIT);
            ApplicationConfig config =
                    config((i, s) -> {}).toBuilder().pingInterval(1).build();
            ManagerOptions keep = ManagerOptions.builder()
                    .ignoreLastFailover(true)
                    .skipSshCheck(true)
                    .build();
            Supervisor manager = Supervisor.builder(config).options(keep).build();
            CompletableFuture<Supervisor.Result> run = CompletableFuture.supplyAsync(manager::run);
            StatusFile status = new StatusFile(workdir, "app1");
            await().atMost(WAIT)
                    .until(() -> run.isDone()
                            || status.read()
                                    .flatMap(StatusFile.Entry::parsedStatus)
                                    .filter(ManagerStatus.PING_OK::equals)
                                    .isPresent());

            cluster.node(1).kill();
            await().atMost(WAIT)
                    .ignoreExceptions()
                    .until(() -> run.isDone()
                            || cluster.master() == cluster.node(2)
                                    && !cluster.node(2).isReadOnly());
            assertThat(ledger.writeOne()).isEqualTo(io.mha4j.testkit.WriteOutcome.IN_DOUBT);
            assertThat(ledger.write(5)).isEqualTo(5);
            cluster.awaitReplicasCaughtUp(WAIT);
            await().atMost(WAIT)
                    .until(() -> run.isDone()
                            || status.read()
                                    .flatMap(StatusFile.Entry::parsedStatus)
                                    .filter(ManagerStatus.PING_OK::equals)
                                    .isPresent());
            assertThat(run)
                    .as(() -> "the manager ended after the first failover: " + run.join())
                    .isNotDone();

            cluster.node(2).kill();
            await().atMost(WAIT)
                    .ignoreExceptions()
                    .until(() -> run.isDone()
                            || cluster.master() == cluster.node(3)
                                    && !cluster.node(3).isReadOnly());
            manager.stop();
            Supervisor.Result result =
                    run.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();

            assertThat(cluster.master()).as(result.summary()).isSameAs(cluster.node(3));
            ledger.writeOne();
            assertThat(ledger.write(3)).isEqualTo(3);
            // node3 is the only survivor of the two failures: what it holds is all there is.
            LedgerReport verified = ledger.verify(List.of(cluster.node(3)));
            assertThat(verified.nothingLostAndAgreed()).as(verified.toString()).isTrue();
        }
    }

    @Test
    void mhasScriptsRunAtTheirMomentsWithMhasExactArguments() throws Exception {
        cluster.node(1).kill();
        ApplicationConfig config = config((i, s) -> {}).toBuilder()
                .set(Parameter.MASTER_IP_FAILOVER_SCRIPT, recordingScript("ip").toString())
                .set(Parameter.SHUTDOWN_SCRIPT, recordingScript("shutdown").toString())
                .set(Parameter.REPORT_SCRIPT, recordingScript("report").toString())
                .build();

        FailoverReport report = MasterFailover.builder(config).build().run(server(config, 1));

        assertThat(report.outcome()).as(report.toString()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
        String user = server(config, 1).sshUser();
        String dead = "--orig_master_port=" + cluster.node(1).port();
        assertThat(Files.readAllLines(workdir.resolve("ip.args")))
                .containsExactly(
                        "--orig_master_host=127.0.0.1",
                        "--orig_master_ip=127.0.0.1",
                        dead,
                        "--command=stopssh",
                        "--ssh_user=" + user,
                        "--command=start",
                        "--ssh_user=" + user,
                        "--orig_master_host=127.0.0.1",
                        "--orig_master_ip=127.0.0.1",
                        dead,
                        "--new_master_host=127.0.0.1",
                        "--new_master_ip=127.0.0.1",
                        "--new_master_port=" + cluster.node(2).port(),
                        "--new_master_user=" + SandboxCredentials.ADMIN.user(),
                        "--new_master_password=" + SandboxCredentials.ADMIN.password());
        assertThat(Files.readAllLines(workdir.resolve("shutdown.args")))
                .containsExactly(
                        "--command=stopssh",
                        "--ssh_user=" + user,
                        "--host=127.0.0.1",
                        "--ip=127.0.0.1",
                        "--port=" + cluster.node(1).port());
        List<String> reported = Files.readAllLines(workdir.resolve("report.args"));
        assertThat(reported.subList(0, 4))
                .containsExactly(
                        "--orig_master_host=127.0.0.1",
                        "--new_master_host=127.0.0.1",
                        "--new_slave_hosts=127.0.0.1",
                        "--subject=" + report.subject());
        assertThat(reported).contains("--body=----- Failover Report -----");
    }

    @Test
    void aFailingIpScriptStopsTheFailoverBeforeAnyReplicaIsTouchedBeyondItsIoThread() throws Exception {
        cluster.node(1).kill();
        Path failing = workdir.resolve("failing_ip");
        Files.writeString(failing, "#!/bin/sh\necho 'VIP still answers' >&2\nexit 1\n");
        Files.setPosixFilePermissions(failing, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        ApplicationConfig config = config((i, s) -> {}).toBuilder()
                .set(Parameter.MASTER_IP_FAILOVER_SCRIPT, failing.toString())
                .build();

        FailoverReport report = MasterFailover.builder(config).build().run(server(config, 1));

        assertThat(report.outcome()).isEqualTo(FailoverReport.Outcome.FAILED);
        assertThat(report.errors())
                .singleElement()
                .asString()
                .contains("master_ip_failover_script")
                .contains("VIP still answers");
        assertThat(workdir.resolve("app1.failover.error")).exists();
        for (SandboxNode replica : List.of(cluster.node(2), cluster.node(3))) {
            assertThat(replica.isReadOnly()).as("no new master").isTrue();
            assertThat(replica.replicaStatus().orElseThrow().get("Master_Port"))
                    .isEqualTo(String.valueOf(cluster.node(1).port()));
        }
    }

    /** A script that appends each argument as a line to {@code <name>.args} in the workdir. */
    private Path recordingScript(String name) throws Exception {
        Path script = workdir.resolve(name);
        Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '" + workdir.resolve(name + ".args") + "'\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void aMasterWhoseConnectionsHangLikeAPoweredOffHostIsFailedOver() throws Exception {
        // The manager reaches server1 only through a proxy that swallows every packet: what a
        // powered-off host looks like (connects time out instead of being refused).
        try (io.mha4j.testkit.TcpProxy proxy = cluster.proxyTo(cluster.node(1));
                WriteLedger ledger = ledger("poweroff")) {
            assertThat(ledger.write(5)).isEqualTo(5);
            cluster.awaitReplicasCaughtUp(WAIT);
            ApplicationConfig config = config((i, s) -> {
                        if (i == 1) {
                            s.port(proxy.port());
                        }
                    })
                    .toBuilder()
                    .set(Parameter.SQL_CONNECT_TIMEOUT, Duration.ofSeconds(1))
                    .set(Parameter.SSH_CONNECTION_TIMEOUT, 1)
                    // The local shell always "answers SSH", so this master looks hung rather than
                    // powered off, and may be failed over only once fenced (issue 11); the unfenced
                    // powered-off case needs a real sshd: ManagerCutOffIT in ssh-transport.
                    .set(Parameter.SHUTDOWN_SCRIPT, recordingScript("shutdown").toString())
                    .build();
            cluster.node(1).kill();
            proxy.cut(io.mha4j.testkit.CutMode.BLACKHOLE);

            FailoverReport report = MasterFailover.builder(config).build().run(server(config, 1));

            assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
            assertThat(cluster.master()).isSameAs(cluster.node(2));
            cluster.awaitReplicasCaughtUp(WAIT);
            LedgerReport verified = ledger.verify(List.of(cluster.node(2), cluster.node(3)));
            assertThat(verified.nothingLostAndAgreed()).as(verified.toString()).isTrue();
        }
    }

    @Test
    void statementAndRowEventsDdlLargeAndMultiStatementTransactionsAreRecoveredExactly() {
        SandboxNode master = cluster.node(1);
        master.execute(
                "CREATE DATABASE shop",
                "CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(40)," + " qty INT)",
                "INSERT INTO shop.items VALUES (1, 'one', 1), (2, 'two', 2)");
        cluster.awaitReplicasCaughtUp(WAIT);
        cluster.node(2).stopReplicaIoThread();
        cluster.node(3).stopReplicaIoThread();
        // What only the dead master will have: a statement-based event, DDL, a multi-statement
        // transaction, and one large transaction (50,000 rows in one commit).
        master.execute(
                "SET SESSION binlog_format=STATEMENT",
                "UPDATE shop.items SET qty = qty + 10 WHERE id = 1",
                "SET SESSION binlog_format=ROW",
                "CREATE TABLE shop.orders (id INT PRIMARY KEY, item INT, note TEXT, KEY (item))",
                "ALTER TABLE shop.items ADD COLUMN price DECIMAL(8,2) DEFAULT 9.99",
                "BEGIN",
                "INSERT INTO shop.orders VALUES (1, 1, 'first')",
                "UPDATE shop.items SET qty = qty - 1 WHERE id = 2",
                "DELETE FROM shop.items WHERE id = 1",
                "COMMIT",
                "INSERT INTO shop.orders SELECT seq + 1, seq % 7, REPEAT('x', 40) FROM shop.seq_1_to_50000");
        String items = checksum(master, "shop.items");
        String orders = checksum(master, "shop.orders");
        String masterHad = gtidPos(master);
        master.kill();

        ApplicationConfig config = config();
        FailoverReport report = MasterFailover.builder(config).build().run(server(config, 1));

        assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
        assertThat(report.compensation().orElseThrow().transactions()).isEqualTo(5);
        cluster.awaitReplicasCaughtUp(WAIT);
        for (SandboxNode n : List.of(cluster.node(2), cluster.node(3))) {
            assertThat(checksum(n, "shop.items")).as(n.name()).isEqualTo(items);
            assertThat(checksum(n, "shop.orders")).as(n.name()).isEqualTo(orders);
            assertThat(n.queryForString("SELECT COUNT(*) FROM shop.orders")).isEqualTo("50001");
        }
        assertThat(MariadbGtidSet.parse(gtidPos(cluster.node(2))))
                .satisfies(g ->
                        assertThat(g.contains(MariadbGtidSet.parse(masterHad))).isTrue());
    }

    private static String checksum(SandboxNode n, String table) {
        return n.query("CHECKSUM TABLE " + table + " EXTENDED").get(0).get("Checksum");
    }
}
