package io.mha4j.samples.cli;

import io.mha4j.testkit.NetworkLab;
import io.mha4j.testkit.SandboxNode;
import java.time.Duration;

/**
 * Each fault's timeline, from the moment the write load runs to the end of the watch that
 * follows it. Every wait is bounded; a stuck trial is aborted from outside ({@link ChaosTrial#hold}
 * then throws).
 */
final class ChaosScript {
    /** The errant transaction's GTID domain when it is written in a domain of its own. */
    static final int ERRANT_DOMAIN = 77;

    private ChaosScript() {}

    static void run(ChaosTrial t) throws InterruptedException {
        FaultPlan p = t.plan;
        SandboxNode master = t.cluster().node(1);
        Duration settle = Duration.ofSeconds(t.settings.settleSeconds());
        t.hold(Duration.ofMillis(p.delayMs()));
        switch (p.fault()) {
            case KILL, SHUTDOWN -> {
                t.markStrike();
                stop(master, p.fault() == ChaosFault.KILL);
                t.awaitFailoverOrExit(ChaosTrial.FAILOVER_WAIT);
            }
            case SIGSTOP -> {
                t.markStrike();
                master.pause();
                t.hold(Duration.ofMillis(p.durationMs()));
                if (master.isRunning()) { // unless a fence powered it off meanwhile
                    master.resume();
                }
                t.awaitFailoverIfBegun();
            }
            case ERRANT -> {
                t.markFault();
                errant(t.cluster().node(p.replica()), p.variant().equals("own-domain"));
                t.hold(Duration.ofSeconds(1));
                t.markStrike();
                master.kill();
                t.awaitFailoverOrExit(ChaosTrial.FAILOVER_WAIT);
            }
            case RESTART -> {
                t.markStrike();
                stop(master, p.variant().equals("kill"));
                t.awaitFailoverOrExit(ChaosTrial.FAILOVER_WAIT);
                t.hold(Duration.ofMillis(p.durationMs()));
                master.start();
            }
            case FROZEN_REPLICA -> {
                SandboxNode replica = t.cluster().node(p.replica());
                t.markFault();
                replica.pause();
                t.hold(Duration.ofMillis(500));
                t.markStrike();
                master.kill();
                t.hold(Duration.ofMillis(p.durationMs()));
                replica.resume();
                t.awaitFailoverOrExit(ChaosTrial.FAILOVER_WAIT);
            }
            case MANAGER_CUT -> {
                NetworkLab lab = t.network.lab().orElseThrow();
                boolean idle = p.variant().equals("idle");
                if (idle) {
                    t.ledger().stop();
                }
                t.markStrike();
                lab.cutOffFromHere(1);
                t.hold(Duration.ofMillis(p.durationMs()));
                lab.heal(1);
                if (idle) {
                    t.ledger().start(100_000_000L, Duration.ofSeconds(t.settings.trialBudgetSeconds()));
                }
                t.awaitFailoverIfBegun();
            }
            case MASTER_ISOLATED -> {
                NetworkLab lab = t.network.lab().orElseThrow();
                t.markStrike();
                lab.isolate(1);
                t.hold(Duration.ofMillis(p.durationMs()));
                lab.heal(1);
                t.awaitFailoverIfBegun();
            }
            default -> throw new IllegalStateException("no script for " + p.fault());
        }
        t.hold(settle);
    }

    private static void stop(SandboxNode master, boolean kill) {
        if (kill) {
            master.kill();
        } else {
            master.stop();
        }
    }

    /**
     * Writes a transaction on {@code replica} directly, as a DBA's fix or a misrouted client would:
     * in a GTID domain of its own, or in the master's domain (which, with gtid_strict_mode, breaks
     * the replica's replication at the master's next event). As the admin user, whom read_only
     * does not stop.
     */
    private static void errant(SandboxNode replica, boolean ownDomain) {
        String domain = ownDomain ? "SET SESSION gtid_domain_id=" + ERRANT_DOMAIN : "DO 0";
        replica.execute(
                domain,
                "CREATE DATABASE IF NOT EXISTS mha4j_errant",
                "CREATE TABLE IF NOT EXISTS mha4j_errant.t (id INT PRIMARY KEY)",
                "INSERT INTO mha4j_errant.t VALUES (1)");
    }
}
