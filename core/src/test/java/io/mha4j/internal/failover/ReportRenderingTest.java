package io.mha4j.internal.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mha4j.failover.Compensation;
import io.mha4j.failover.FailoverPhase;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.PhaseTiming;
import io.mha4j.failover.ReplicaOutcome;
import io.mha4j.gtid.MariadbGtidSet;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The failover report as text (MHA's layout) and as JSON, for a partial failover and a refusal. */
class ReportRenderingTest {
    private static final Instant START = Instant.parse("2026-11-25T04:00:00Z");

    private static FailoverReport partial() {
        Map<String, String> losers = new LinkedHashMap<>();
        losers.put("server3", "lacks 2 transaction(s) of the latest replica; lost to server2");
        losers.put("server4", "no_master=1");
        return new FailoverReport("app1", FailoverReport.Outcome.PARTIAL, "db1(10.0.0.51:3306)",
                Optional.of("db2(10.0.0.52:3306)"), "has the latest transactions", losers,
                Optional.of(new Compensation("binary logs of db1(10.0.0.51:3306) on the dead master",
                        Optional.of(MariadbGtidSet.parse("0-1-101..105")), Optional.of("/var/tmp/saved.sql"),
                        "applied on db2")),
                List.of(new PhaseTiming(FailoverPhase.CHECK, Duration.ofMillis(31), "ok"),
                        new PhaseTiming(FailoverPhase.RECOVER_NEW_MASTER, Duration.ofMillis(120), "ok")),
                List.of(new ReplicaOutcome("db3(10.0.0.53:3306)", "db3", true, "Slave started, replicating from db2"),
                        new ReplicaOutcome("db4(10.0.0.54:3306)", "db4", false, "not recovered: could not be read")),
                Optional.of("CHANGE MASTER TO MASTER_HOST='10.0.0.52', MASTER_PASSWORD='xxx'"), List.of(),
                START, START.plusMillis(420));
    }

    private static FailoverReport refused() {
        return new FailoverReport("app1", FailoverReport.Outcome.REFUSED, "db1(10.0.0.51:3306)", Optional.empty(),
                "no server may become the new master", Map.of(), Optional.empty(), List.of(), List.of(),
                Optional.empty(), List.of("no server may become the new master: no_master=1"), START,
                START.plusMillis(40));
    }

    @Test
    void theTextStartsLikeMhasReportAndSaysWhatMhaDoesNot() {
        String text = partial().toText();
        assertThat(text).startsWith("----- Failover Report -----\n\napp1: MySQL Master failover db1(10.0.0.51:3306)"
                + " to db2(10.0.0.52:3306) done, but some replicas were not recovered\n\nMaster db1(10.0.0.51:3306) is"
                + " down!\n");
        assertThat(text).contains("Phase 3: Master Recovery Phase:", "120 ms")
                .contains("Selected db2(10.0.0.52:3306) as a new master: has the latest transactions.")
                .contains("[server4] not selected: no_master=1")
                .contains("Recovered 5 transaction(s) only the dead master had: 0-1-101..105")
                .contains("db3(10.0.0.53:3306): OK: Slave started")
                .contains("db4(10.0.0.54:3306): ERROR: not recovered")
                .contains("All other slaves should start replication from here. Statement should be: CHANGE MASTER")
                .contains("Total: 420 ms");
    }

    @Test
    void aRefusalRendersWithoutANewMaster() {
        String text = refused().toText();
        assertThat(text).contains("refused (nothing was changed)").contains("No new master:")
                .contains("Errors:\n  no server may become the new master: no_master=1")
                .doesNotContain("Selected").doesNotContain("Statement should be");
        assertThat(refused().subject()).isEqualTo("app1: MySQL Master failover db1(10.0.0.51:3306) refused (nothing"
                + " was changed)");
    }

    @Test
    void theJsonCarriesEveryFieldWithStableNames() throws Exception {
        JsonNode j = new ObjectMapper().readTree(partial().toJson());
        assertThat(j.get("outcome").asText()).isEqualTo("PARTIAL");
        assertThat(j.get("exitCode").asInt()).isEqualTo(10);
        assertThat(j.get("newMaster").asText()).isEqualTo("db2(10.0.0.52:3306)");
        assertThat(j.get("losers").get("server4").asText()).isEqualTo("no_master=1");
        assertThat(j.get("compensation").get("gtids").asText()).isEqualTo("0-1-101..105");
        assertThat(j.get("compensation").get("transactions").asLong()).isEqualTo(5);
        assertThat(j.get("phases").get(1).get("phase").asText()).isEqualTo("RECOVER_NEW_MASTER");
        assertThat(j.get("phases").get(1).get("durationMs").asLong()).isEqualTo(120);
        assertThat(j.get("replicas").get(1).get("recovered").asBoolean()).isFalse();
        assertThat(j.get("startedAt").asText()).isEqualTo("2026-11-25T04:00:00Z");
        assertThat(j.get("durationMs").asLong()).isEqualTo(420);

        JsonNode r = new ObjectMapper().readTree(refused().toJson());
        assertThat(r.get("newMaster").isNull()).isTrue();
        assertThat(r.get("compensation").isNull()).isTrue();
        assertThat(r.get("errors").get(0).asText()).contains("no_master=1");
    }
}
