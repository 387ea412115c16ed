package io.mha4j.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mha4j.SandboxConfigs;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.testkit.LedgerReport;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.WriteLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No quiet loss: when the dead master's binary logs cannot be read, the failover still promotes
 * (availability first) but says everywhere a human or a monitor looks that the transactions
 * after the latest replica's position could not be checked and may be lost — outcome PARTIAL,
 * exit code 10, the report's text and JSON, the subject, {@code report_script}'s arguments —
 * and the ledger counts the writes that are indeed missing.
 */
class PossibleLossIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

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

    private WriteLedger ledger(String writer) {
        return WriteLedger.builder(() -> cluster.master().endpoint())
                .writer(writer)
                .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .build();
    }

    /** MHA's report_script, recording its arguments one per line. */
    private Path reportScript() throws Exception {
        Path script = workdir.resolve("report");
        Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + workdir.resolve("report.args") + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void aWrongMasterBinlogDirLeavesTheTailUncheckedAndEveryChannelSaysWhatMayBeLost() throws Exception {
        Path nowhere = workdir.resolve("not-the-binlog-dir");
        ApplicationConfig config = SandboxConfigs.builder(
                        cluster,
                        workdir,
                        (n, s) -> s.masterBinlogDirs(List.of(
                                n.index() == 1
                                        ? nowhere.toString()
                                        : n.dataDir().toString())))
                .set(Parameter.APPLY_TIMEOUT, Duration.ofSeconds(20))
                .set(Parameter.REPORT_SCRIPT, reportScript().toString())
                .build();
        try (WriteLedger ledger = ledger("unchecked")) {
            assertThat(ledger.write(10)).isEqualTo(10);
            cluster.awaitReplicasCaughtUp(WAIT);
            String replicasHad = cluster.node(1).queryForString("SELECT @@GLOBAL.gtid_binlog_pos");
            cluster.node(2).stopReplicaIoThread();
            cluster.node(3).stopReplicaIoThread();
            assertThat(ledger.write(7)).isEqualTo(7);
            SortedSet<Long> tail = new TreeSet<>(ledger.acknowledged().tailSet(11L));
            cluster.node(1).kill();

            FailoverReport report = MasterFailover.builder(config)
                    .build()
                    .run(config.server("server1").orElseThrow());

            assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.PARTIAL);
            assertThat(report.outcome().exitCode()).isEqualTo(10);
            assertThat(report.newMaster()).isPresent();
            assertThat(report.replicas()).allMatch(ReplicaOutcome::recovered);
            assertThat(report.compensation().orElseThrow().checked()).isFalse();
            PossibleLoss loss = report.possibleLoss().orElseThrow();
            assertThat(loss.after().toString()).isEqualTo(replicasHad);
            assertThat(loss.reason()).contains("no binary log", nowhere.toString());
            String says = "transactions after GTID " + replicasHad;
            assertThat(report.subject()).endsWith("done, but " + says + " may be lost");
            assertThat(report.toText())
                    .contains("POSSIBLE DATA LOSS: " + says + " could not be checked and may be" + " lost");
            JsonNode json =
                    JSON.readTree(workdir.resolve("app1.failover_report.json").toFile());
            assertThat(json.get("exitCode").asInt()).isEqualTo(10);
            assertThat(json.get("possibleLoss").get("after").asText()).isEqualTo(replicasHad);
            List<String> args = Files.readAllLines(workdir.resolve("report.args"));
            assertThat(args).contains("--subject=" + report.subject());
            assertThat(String.join("\n", args)).contains("POSSIBLE DATA LOSS: " + says);

            cluster.awaitReplicasCaughtUp(WAIT);
            LedgerReport verified = ledger.verify(List.of(cluster.node(2), cluster.node(3)));
            assertThat(verified.nothingLost()).as(verified.toString()).isFalse();
            for (SandboxNode survivor : List.of(cluster.node(2), cluster.node(3))) {
                assertThat(verified.node(survivor.name()).missing())
                        .as(verified.toString())
                        .containsExactlyElementsOf(tail);
            }
            assertThat(verified.checksumsAgree())
                    .as("the survivors agree on what they kept")
                    .isTrue();
        }
    }

    @Test
    void binaryLogsThatWereReadAndHeldNothingNewAreNoPossibleLoss() {
        ApplicationConfig config = SandboxConfigs.quick(cluster, workdir).build();
        try (WriteLedger ledger = ledger("checked")) {
            assertThat(ledger.write(10)).isEqualTo(10);
            cluster.awaitReplicasCaughtUp(WAIT);
            cluster.node(1).kill();

            FailoverReport report = MasterFailover.builder(config)
                    .build()
                    .run(config.server("server1").orElseThrow());

            assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
            assertThat(report.compensation().orElseThrow().checked()).isTrue();
            assertThat(report.compensation().orElseThrow().applied()).isEmpty();
            assertThat(report.possibleLoss()).isEmpty();
            cluster.awaitReplicasCaughtUp(WAIT);
            LedgerReport verified = ledger.verify(List.of(cluster.node(2), cluster.node(3)));
            assertThat(verified.nothingLostAndAgreed()).as(verified.toString()).isTrue();
        }
    }
}
