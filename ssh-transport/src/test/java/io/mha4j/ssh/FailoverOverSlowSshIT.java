package io.mha4j.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mha4j.SandboxConfigs;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.failover.Compensation;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.MasterFailover;
import io.mha4j.failover.TimedStep;
import io.mha4j.manager.ManagerOptions;
import io.mha4j.manager.Supervisor;
import io.mha4j.testkit.LedgerReport;
import io.mha4j.testkit.OpenSshServer;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.WriteLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The dead master's last transactions recovered over a real sshd whose login shell takes a
 * second to start, as production hosts' do (issue 12): row events, a statement event, DDL and a
 * transaction of about a megabyte, exact GTIDs, survivors agreeing — and the login shells the
 * failover paid on its critical path counted: none when the manager's monitor kept the master's
 * host warm; one login shell when the failover runs cold (its first command pays it while a warm
 * shell starts beside it, which the later commands use).
 */
class FailoverOverSlowSshIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final org.slf4j.Logger log = LoggerFactory.getLogger(FailoverOverSlowSshIT.class);

    @TempDir
    Path dir;

    private SandboxCluster cluster;
    private OpenSshServer sshd;
    private SlowLoginShell login;
    private final ListAppender<ILoggingEvent> warmSlot = new ListAppender<>();

    @BeforeEach
    void start() {
        cluster = SandboxCluster.builder().nodes(3).start();
        sshd = OpenSshServer.builder().start();
        login = SlowLoginShell.on(sshd, dir);
        warmSlot.start();
        ((Logger) LoggerFactory.getLogger(WarmSlot.class)).addAppender(warmSlot);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(WarmSlot.class)).detachAppender(warmSlot);
        sshd.close();
        cluster.close();
    }

    private ApplicationConfig config() {
        return SandboxConfigs.overSsh(
                        SandboxConfigs.builder(
                                cluster,
                                dir.resolve("manager"),
                                (n, s) -> s.masterBinlogDirs(List.of(n.dataDir().toString()))),
                        sshd)
                .pingInterval(1)
                .set(Parameter.SSH_CONNECTION_TIMEOUT, 5)
                .set(Parameter.REMOTE_WORKDIR, dir.toString())
                .build();
    }

    private WriteLedger ledger() {
        return WriteLedger.builder(() -> cluster.master().endpoint())
                .writer("slow-ssh")
                .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .build();
    }

    /**
     * With the replicas' receivers stopped, the master takes what only it will have: 7 ledger rows
     * (row events), a database and a table created (DDL), about a megabyte in one transaction and an
     * update logged as a statement. 11 transactions.
     */
    private void writeWhatOnlyTheMasterWillHave(WriteLedger ledger) {
        cluster.node(2).stopReplicaIoThread();
        cluster.node(3).stopReplicaIoThread();
        assertThat(ledger.write(7)).isEqualTo(7);
        SandboxNode master = cluster.node(1);
        master.execute("CREATE DATABASE fastpath");
        master.execute("CREATE TABLE fastpath.big (id INT PRIMARY KEY, pad VARCHAR(1000)) ENGINE=InnoDB");
        master.execute(
                "SET SESSION binlog_format=ROW",
                "BEGIN",
                "INSERT INTO fastpath.big SELECT seq, REPEAT(CHAR(65 + seq % 26), 1000) FROM fastpath.seq_1_to_900",
                "COMMIT");
        master.execute("SET SESSION binlog_format=STATEMENT", "UPDATE fastpath.big SET pad = 'statement' WHERE id = 7");
    }

    private void assertNothingLostAndSurvivorsAgree(WriteLedger ledger) {
        cluster.awaitReplicasCaughtUp(WAIT);
        LedgerReport verified = ledger.verify(List.of(cluster.node(2), cluster.node(3)));
        assertThat(verified.nothingLost()).as(verified.toString()).isTrue();
        assertThat(verified.checksumsAgree()).as(verified.toString()).isTrue();
        for (SandboxNode n : List.of(cluster.node(2), cluster.node(3))) {
            assertThat(n.queryForString("SELECT COUNT(*) FROM fastpath.big")).isEqualTo("900");
            assertThat(n.queryForString("SELECT pad FROM fastpath.big WHERE id = 7"))
                    .isEqualTo("statement");
        }
        assertThat(cluster.node(2).query("CHECKSUM TABLE fastpath.big EXTENDED"))
                .isEqualTo(cluster.node(3).query("CHECKSUM TABLE fastpath.big EXTENDED"));
    }

    @Test
    void theManagersFailoverPaysNoLoginShellOnTheCriticalPathAndReportsEachStep() throws Exception {
        ApplicationConfig config = config();
        try (WriteLedger ledger = ledger()) {
            assertThat(ledger.write(10)).isEqualTo(10);
            cluster.awaitReplicasCaughtUp(WAIT);
            Supervisor manager = Supervisor.builder(config)
                    .options(ManagerOptions.MHA_DEFAULTS.withSkipSshCheck(true))
                    .build();
            CompletableFuture<Supervisor.Result> run = CompletableFuture.supplyAsync(manager::run);
            await("the monitor warms the master's host")
                    .atMost(WAIT)
                    .until(() -> run.isDone()
                            || warmSlot.list.stream()
                                    .anyMatch(e -> e.getFormattedMessage().contains("started in")));
            assertThat(run).as(() -> "the manager ended early: " + run.join()).isNotDone();
            writeWhatOnlyTheMasterWillHave(ledger);
            long before = login.starts();

            cluster.node(1).kill();
            Supervisor.Result result =
                    run.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
            long paid = login.starts() - before;

            assertThat(result.exitCode()).as(result.summary()).isZero();
            JsonNode report = new ObjectMapper()
                    .readTree(Files.readString(dir.resolve("manager").resolve("app1.failover_report.json")));
            log.info("failover report over a 1-second login shell, monitor-warmed:\n{}", report.toPrettyString());
            JsonNode compensation = report.get("compensation");
            assertThat(compensation.get("transactions").asLong())
                    .as(compensation.toString())
                    .isEqualTo(11);
            assertThat(compensation.get("steps"))
                    .extracting(s -> s.get("name").asText())
                    .containsExactly("connect", "locate", "tool", "check", "replay", "verify");
            assertThat(compensation.get("steps").get(0).get("detail").asText())
                    .contains("reused connection")
                    .contains("warm shell");
            assertThat(compensation.get("steps").get(4).get("detail").asText()).contains("on the manager's host");
            JsonNode phase2 = report.get("phases").get(1).get("steps");
            assertThat(phase2)
                    .extracting(s -> s.get("name").asText())
                    .containsExactlyInAnyOrder("sql", "ssh", "replicas", "freeze", "hooks");
            JsonNode ssh = StreamSupport.stream(phase2.spliterator(), false)
                    .filter(s -> s.get("name").asText().equals("ssh"))
                    .findFirst()
                    .orElseThrow();
            assertThat(ssh.get("detail").asText()).as(ssh.toString()).contains("warm shell");
            assertThat(ssh.get("durationMs").asLong())
                    .as("phase 2's SSH probe paid no login shell")
                    .isLessThan(1_000);
            assertThat(paid)
                    .as("login shells started between the kill and the manager's exit")
                    .isZero();
            assertThat(Files.exists(Path.of(compensation.get("savedEvents").asText())))
                    .as("the evidence is kept")
                    .isTrue();
            assertNothingLostAndSurvivorsAgree(ledger);
        }
    }

    @Test
    void aColdFailoverPaysOneLoginShellOnItsCriticalPath() {
        ApplicationConfig config = config();
        try (WriteLedger ledger = ledger()) {
            assertThat(ledger.write(10)).isEqualTo(10);
            cluster.awaitReplicasCaughtUp(WAIT);
            writeWhatOnlyTheMasterWillHave(ledger);
            long before = login.starts();
            cluster.node(1).kill();

            FailoverReport report =
                    MasterFailover.builder(config).build().run(config.servers().get(0));
            long paid = login.starts() - before;

            log.info("failover over a 1-second login shell, cold:\n{}", report.toText());
            assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
            Compensation c = report.compensation().orElseThrow();
            assertThat(c.transactions()).isEqualTo(11);
            assertThat(c.steps())
                    .extracting(TimedStep::name)
                    .containsExactly("connect", "locate", "tool", "check", "replay", "verify");
            // Phase 2's probe paid a login shell over an exec channel while a warm shell started beside it: two
            // starts, at once. The binary logs' listing and the tool ran in the warm shell: a third or a fourth
            // start would be a login shell paid one after another on the critical path.
            assertThat(c.steps().get(0).detail())
                    .as("phase 2 connected and began a warm shell")
                    .contains("reused connection")
                    .contains("its warm shell");
            assertThat(warmSlot.list)
                    .as("a warm shell started")
                    .anyMatch(e -> e.getFormattedMessage().contains("started in"));
            assertThat(paid)
                    .as("login shells started between the kill and the failover's end")
                    .isEqualTo(2);
            assertThat(report.phases().get(1).steps())
                    .filteredOn(s -> s.name().equals("ssh"))
                    .singleElement()
                    .satisfies(s -> assertThat(s.took())
                            .as("phase 2's SSH probe paid the one login shell: " + s)
                            .isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
            assertNothingLostAndSurvivorsAgree(ledger);
        }
    }
}
