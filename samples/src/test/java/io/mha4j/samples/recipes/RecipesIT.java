package io.mha4j.samples.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.failover.FailoverReport;
import io.mha4j.manager.ManagerEvent;
import io.mha4j.monitor.Verdict;
import io.mha4j.monitor.VerdictKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every recipe runs as written, against its own sandbox, and does what its text says. */
class RecipesIT {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anEmbeddedMonitorReceivesPingsAndTheDeadVerdict() throws Exception {
        Verdict dead = EmbeddedMonitorRecipe.run(out);
        assertThat(dead.kind()).isEqualTo(VerdictKind.DEAD);
        assertThat(output()).contains("verdict DEAD").contains("The application would now fail over");
    }

    @Test
    void anEmbeddedManagerFindsTheMasterAndTellsTheApplicationWhereWritesGoAfterAKill() throws Exception {
        ManagerEvent.Stopped stopped = EmbeddedManagerRecipe.run(out);
        assertThat(stopped.exitCode()).as(output()).isZero();
        assertThat(output())
                .contains("The manager found the master: db1")
                .contains("event: MasterChanged ")
                .containsPattern("Writes go to db[23] at 127\\.0\\.0\\.1:[0-9]+ now")
                .contains("event: FailoverEnded SUCCEEDED");
    }

    @Test
    void anApplicationsPoolsFollowTheMasterAndEveryOrderReachesTheNewOne() throws Exception {
        DataSourceRecipe.Result r = DataSourceRecipe.run(out);
        assertThat(r.ordersPlaced()).as(output()).isEqualTo(200);
        assertThat(r.ordersOnTheNewMaster())
                .as("every order, before and after the kill, on the new master")
                .isEqualTo(200);
        assertThat(output())
                .contains("Killing the master")
                .containsPattern("Writes go to db[23] now")
                .containsPattern("Reads go to \\[db[23]\\]");
    }

    @Test
    void aCustomElectorIsFoundByServiceLoaderAndSelectedByName() throws Exception {
        FailoverReport report = CustomElectorRecipe.run(out);
        assertThat(report.outcome()).as(output()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
        assertThat(report.electionReason()).isEqualTo("in the dead master's rack (rack-a)");
        assertThat(report.losers()).containsEntry("db2", "not in the dead master's rack (rack-a)");
        assertThat(report.losers()).as("db3, in db1's rack, won").containsOnlyKeys("db2");
    }

    @Test
    void aVetoHookStopsTheFailoverBeforeAnythingChanges() throws Exception {
        FailoverReport report = VetoHookRecipe.run(out);
        assertThat(report.outcome()).isEqualTo(FailoverReport.Outcome.REFUSED);
        assertThat(report.errors())
                .singleElement()
                .asString()
                .contains("maintenance-veto")
                .contains("maintenance in progress");
        assertThat(report.phases()).extracting(p -> p.phase().name()).containsExactly("CHECK");
    }
}
