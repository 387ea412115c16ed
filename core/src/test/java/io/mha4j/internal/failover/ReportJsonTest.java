package io.mha4j.internal.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report for machines: one object, stable camelCase names, milliseconds, ISO-8601, null for absent. */
class ReportJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyFieldOfASuccessfulFailoverIsThereUnderAStableName() throws Exception {
        JsonNode j = JSON.readTree(FailoverReports.succeeded().toJson());

        List<String> names = new ArrayList<>();
        j.fieldNames().forEachRemaining(names::add);
        assertThat(names)
                .containsExactly(
                        "application",
                        "subject",
                        "outcome",
                        "exitCode",
                        "deadMaster",
                        "newMaster",
                        "electionReason",
                        "losers",
                        "errantTransactions",
                        "compensation",
                        "possibleLoss",
                        "phases",
                        "replicas",
                        "rejoinStatement",
                        "errors",
                        "startedAt",
                        "endedAt",
                        "durationMs");
        assertThat(j.get("application").asText()).isEqualTo("app1");
        assertThat(j.get("subject").asText()).endsWith("to 127.0.0.1(127.0.0.1:3307) succeeded");
        assertThat(j.get("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(j.get("exitCode").asInt()).isZero();
        assertThat(j.get("deadMaster").asText()).isEqualTo("127.0.0.1(127.0.0.1:3306)");
        assertThat(j.get("newMaster").asText()).isEqualTo("127.0.0.1(127.0.0.1:3307)");
        assertThat(j.get("losers").get("server3").asText()).startsWith("lacks 1 transaction");

        JsonNode c = j.get("compensation");
        assertThat(c.get("source").asText()).startsWith("binary logs of 127.0.0.1(127.0.0.1:3306)");
        assertThat(c.get("gtids").asText()).isEqualTo("0-1-201..202");
        assertThat(c.get("transactions").asLong()).isEqualTo(2);
        assertThat(c.get("savedEvents").asText()).endsWith(".binlog");
        assertThat(c.get("checked").asBoolean()).isTrue();
        assertThat(j.get("possibleLoss").isNull())
                .as("null when the binary logs were read")
                .isTrue();
        assertThat(c.get("durationMs").asLong()).isEqualTo(64);
        assertThat(c.get("steps"))
                .extracting(s -> s.get("name").asText())
                .containsExactly("connect", "locate", "tool", "replay", "verify");
        assertThat(c.get("steps").get(3).get("durationMs").asLong()).isEqualTo(38);
        assertThat(c.get("steps").get(0).get("detail").asText()).contains("warm shell");

        assertThat(j.get("phases")).hasSize(5);
        assertThat(j.get("phases").get(1).get("phase").asText()).isEqualTo("ISOLATE");
        assertThat(j.get("phases").get(1).get("title").asText()).isEqualTo("Phase 2: Dead Master Shutdown Phase");
        assertThat(j.get("phases").get(1).get("durationMs").asLong()).isEqualTo(1_204);
        assertThat(j.get("phases").get(1).get("steps"))
                .extracting(s -> s.get("name").asText())
                .containsExactly("sql", "ssh", "replicas", "freeze", "hooks");
        assertThat(j.get("phases").get(1).get("steps").get(1).get("durationMs").asLong())
                .isEqualTo(17);
        assertThat(j.get("phases").get(0).get("steps"))
                .as("a phase that timed nothing")
                .isEmpty();
        assertThat(j.get("replicas").get(0).get("host").asText()).isEqualTo("127.0.0.1");
        assertThat(j.get("replicas").get(0).get("recovered").asBoolean()).isTrue();
        assertThat(j.get("rejoinStatement").asText()).contains("MASTER_PASSWORD='xxx'");
        assertThat(j.get("errors")).isEmpty();
        assertThat(j.get("startedAt").asText()).isEqualTo("2026-11-25T04:00:00Z");
        assertThat(j.get("endedAt").asText()).isEqualTo("2026-11-25T04:00:04.037Z");
        assertThat(j.get("durationMs").asLong()).isEqualTo(4_037);
    }

    @Test
    void aPartialFailoverHasExitCode10AndTheFailedReplica() throws Exception {
        JsonNode j = JSON.readTree(FailoverReports.partial().toJson());

        assertThat(j.get("outcome").asText()).isEqualTo("PARTIAL");
        assertThat(j.get("exitCode").asInt()).isEqualTo(10);
        assertThat(j.get("compensation").get("gtids").isNull()).isTrue();
        assertThat(j.get("compensation").get("transactions").asLong()).isZero();
        assertThat(j.get("compensation").get("savedEvents").isNull()).isTrue();
        assertThat(j.get("compensation").get("note").asText()).contains("did not answer over SSH");
        assertThat(j.get("replicas").get(1).get("recovered").asBoolean()).isFalse();
        assertThat(j.get("replicas").get(1).get("detail").asText()).isEqualTo("START SLAVE failed: Access denied");
        assertThat(j.get("errors").get(0).asText()).startsWith("db4(10.0.0.54:3306)");
    }

    @Test
    void binaryLogsThatCouldNotBeReadGiveExitCode10AndAPossibleLossToAlertOn() throws Exception {
        JsonNode j = JSON.readTree(FailoverReports.uncheckedTail().toJson());

        assertThat(j.get("outcome").asText()).isEqualTo("PARTIAL");
        assertThat(j.get("exitCode").asInt()).isEqualTo(10);
        assertThat(j.get("subject").asText()).endsWith("done, but transactions after GTID 0-1-57 may be lost");
        assertThat(j.get("compensation").get("checked").asBoolean()).isFalse();
        JsonNode loss = j.get("possibleLoss");
        assertThat(loss.get("after").asText()).isEqualTo("0-1-57");
        assertThat(loss.get("reason").asText()).startsWith("the dead master's host db1 does not answer over SSH");
        assertThat(loss.get("message").asText())
                .startsWith("transactions after GTID 0-1-57 could not be checked and"
                        + " may be lost: the dead master's host db1");
    }

    @Test
    void aRefusedFailoverHasNullForEveryAbsentValue() throws Exception {
        JsonNode j = JSON.readTree(FailoverReports.refused().toJson());

        assertThat(j.get("outcome").asText()).isEqualTo("REFUSED");
        assertThat(j.get("exitCode").asInt()).isEqualTo(1);
        assertThat(j.get("newMaster").isNull()).isTrue();
        assertThat(j.get("compensation").isNull()).isTrue();
        assertThat(j.get("possibleLoss").isNull()).isTrue();
        assertThat(j.get("rejoinStatement").isNull()).isTrue();
        assertThat(j.get("losers").isObject()).isTrue();
        assertThat(j.get("losers")).isEmpty();
        assertThat(j.get("replicas")).isEmpty();
        assertThat(j.get("phases").get(0).get("result").asText()).startsWith("failed:");
        assertThat(j.get("durationMs").asLong()).isEqualTo(40);
    }

    @Test
    void errantTransactionsAndEachReplicasReasonAreThereForMachines() throws Exception {
        JsonNode j = JSON.readTree(FailoverReports.errant().toJson());

        assertThat(j.get("errantTransactions").get("db3(10.0.0.53:3306)").asText())
                .isEqualTo("0-3-101..101");
        assertThat(j.get("replicas").get(0).get("reason").asText()).isEqualTo("REPLICATION_ERROR");
        assertThat(j.get("replicas").get(1).get("reason").asText()).isEqualTo("DID_NOT_ANSWER");
        assertThat(j.get("replicas").get(1).get("detail").asText())
                .endsWith("did not answer: rewired when it answers" + " again");
        assertThat(JSON.readTree(FailoverReports.succeeded().toJson()).get("errantTransactions"))
                .isEmpty();
    }
}
