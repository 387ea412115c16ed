package io.mha4j.samples.cli;

import io.mha4j.testkit.LedgerReport;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.WriteLedger;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/** What a bench trial's application wrote, waited for and checked the same way by every bench. */
final class TrialLedger {
    private TrialLedger() {}

    /** The survivors' verdict: acknowledged writes, the most missing on one survivor, whether they agree. */
    record Verified(int acknowledged, int lost, String checksums) {
        boolean ok() {
            return lost == 0 && checksums.equals("agree");
        }
    }

    static void awaitWrites(WriteLedger ledger, int count, String what, Duration wait) {
        Awaitility.await(what)
                .atMost(wait)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> ledger.acknowledged().size() >= count);
    }

    /** The ledger on every survivor once the others have caught up with the new master. */
    static Verified verify(
            SandboxCluster cluster,
            WriteLedger ledger,
            SandboxNode newMaster,
            List<SandboxNode> survivors,
            Duration wait) {
        cluster.awaitCaughtUp(
                newMaster, survivors.stream().filter(n -> n != newMaster).toList(), wait);
        LedgerReport report = ledger.verify(survivors);
        return new Verified(
                report.acknowledged(),
                report.nodes().stream().mapToInt(n -> n.missing().size()).max().orElse(-1),
                report.checksumsAgree() ? "agree" : "DIFFER");
    }
}
