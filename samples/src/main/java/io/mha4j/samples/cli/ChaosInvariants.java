package io.mha4j.samples.cli;

import io.mha4j.failover.FailoverReport;
import io.mha4j.guard.GuardEvent;
import io.mha4j.testkit.LedgerReport;
import io.mha4j.testkit.NodeLedger;
import io.mha4j.testkit.SandboxException;
import io.mha4j.testkit.SandboxNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The invariants every trial is held to, checked on the end state after the manager stopped:
 * <ol>
 *   <li>lost: every acknowledged write is on the master (the one the manager made master, else node1);</li>
 *   <li>dual-writable: no 100 ms round, from the fault's first action on, with two servers answering
 *       {@code read_only=0} — but for a server that restarted writable by its own configuration,
 *       in the ping interval its guard is given to fence it (counted apart as the guard's window);</li>
 *   <li>unwarranted failover: none where the master stayed reachable by its replicas;</li>
 *   <li>checksums: the master and every server replicating from it hold the same ledger rows, once
 *       they caught up (a replica that keeps applying its backlog is waited for, within bounds);</li>
 *   <li>topology: every running server replicates from the master (both threads running) or
 *       the manager's guard reported it parked (and it is read-only);</li>
 *   <li>errant (errant trials): the errant transaction exists on no server but the one it was written on.</li>
 * </ol>
 */
final class ChaosInvariants {
    private static final Duration CONVERGE = Duration.ofSeconds(30);
    private static final Duration RECONNECT = Duration.ofSeconds(10);
    /** Rounds of {@link #CONVERGE} a replica that keeps applying is given to catch up. */
    private static final int CONVERGE_ROUNDS = 6;

    /** What the checks found; {@code lost} is -1 when the master could not be read. */
    record Checked(
            SandboxNode master,
            boolean promoted,
            long lost,
            long dualWritable,
            long guardWindow,
            List<String> violations,
            List<String> notes) {}

    private ChaosInvariants() {}

    static Checked check(ChaosTrial t) {
        List<String> violations = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        boolean promoted = t.observer().promoted();
        SandboxNode master =
                t.observer().activated().flatMap(t::node).orElse(t.cluster().node(1));
        if (!master.isRunning() || !writable(master)) {
            notes.add("no writable master at the end (" + master.name() + " expected)");
        }
        List<SandboxNode> replicating = new ArrayList<>();
        for (SandboxNode n : t.cluster().nodes()) {
            if (n == master) {
                continue;
            }
            if (!n.isRunning()) {
                notes.add(n.name() + " down");
                continue;
            }
            if (awaitReplicating(n, master)) {
                replicating.add(n);
            } else if (parked(n, t)) {
                notes.add(n.name() + " parked by the manager");
            } else {
                violations.add("topology: " + n.name() + " " + describe(n, master));
            }
        }
        long lost = -1;
        if (master.isRunning()) {
            awaitConverged(t, master, replicating).ifPresent(violations::add);
            List<SandboxNode> survivors = new ArrayList<>(List.of(master));
            survivors.addAll(replicating);
            LedgerReport ledger = t.ledger().verify(survivors);
            NodeLedger onMaster = ledger.node(master.name());
            lost = onMaster.missing().size();
            if (lost > 0) {
                violations.add("lost: " + lost + " acknowledged writes missing on " + master.name()
                        + whereElse(t, master, onMaster.missing()));
            }
            if (!ledger.checksumsAgree()) {
                violations.add("checksums: "
                        + ledger.nodes().stream()
                                .map(n -> n.node() + "=" + n.checksum() + "(" + n.rowCount() + " rows)")
                                .toList());
            }
        } else {
            violations.add("lost: cannot verify, " + master.name() + " is not running");
        }
        long dual = t.dualWritableRounds();
        long guardWindow = t.guardWindowRounds();
        if (guardWindow > 0) {
            notes.add(guardWindow + " dual-writable round(s) within a ping interval of a writable restart (the"
                    + " guard's window)");
        }
        if (dual > 0) {
            violations.add("dual-writable: " + dual + " rounds, first "
                    + t.watch().dualWritable().stream()
                            .filter(d -> d.nanoTime() - t.faultNanos() >= 0)
                            .findFirst()
                            .map(d -> d.nodes() + " at +" + (d.nanoTime() - t.strikeNanos()) / 1_000_000 + " ms")
                            .orElse("?"));
        }
        if (t.plan.fault().masterStaysReachable && promoted) {
            violations.add("unwarranted failover: node1 stayed reachable by its replicas, yet " + master.name()
                    + " was promoted");
        }
        if (t.plan.fault() == ChaosFault.ERRANT) {
            for (SandboxNode n : t.cluster().nodes()) {
                if (n.index() != t.plan.replica() && n.isRunning() && hasErrantRow(n)) {
                    violations.add(
                            "errant: the transaction written on node" + t.plan.replica() + " reached " + n.name());
                }
            }
        }
        for (FailoverReport r : t.observer().reports()) {
            notes.add("failover " + r.outcome()
                    + r.newMaster().map(m -> " to " + m).orElse("")
                    + (r.errors().isEmpty() ? "" : " errors " + r.errors()));
        }
        return new Checked(master, promoted, lost, dual, guardWindow, violations, notes);
    }

    /**
     * Waits until every replica has applied what the master holds. A replica resumed after a long
     * freeze replays its backlog with one applier thread, slower than the application wrote it: as
     * long as it keeps applying it is converging, not stuck, and gets another round.
     *
     * @return the violation, naming each lagging replica's position, threads and last error
     */
    private static Optional<String> awaitConverged(ChaosTrial t, SandboxNode master, List<SandboxNode> replicating) {
        String applied = appliedPositions(replicating);
        for (int round = 1; ; round++) {
            try {
                t.cluster().awaitCaughtUp(master, replicating, CONVERGE);
                return Optional.empty();
            } catch (SandboxException e) {
                String now = appliedPositions(replicating);
                if (round == CONVERGE_ROUNDS || now.equals(applied)) {
                    return Optional.of("topology: " + e.getMessage() + " (" + round + " round(s))");
                }
                applied = now;
            }
        }
    }

    /** Where each replica's applier stands (file and position of the master's binary log it executed). */
    private static String appliedPositions(List<SandboxNode> replicas) {
        return replicas.stream().map(ChaosInvariants::appliedPosition).toList().toString();
    }

    private static String appliedPosition(SandboxNode replica) {
        try {
            return replica.replicaStatus()
                    .map(s -> s.get("Relay_Master_Log_File") + ":" + s.get("Exec_Master_Log_Pos"))
                    .orElse("-");
        } catch (SandboxException e) {
            return "?";
        }
    }

    private static boolean writable(SandboxNode n) {
        try {
            return !n.isReadOnly();
        } catch (SandboxException e) {
            return false;
        }
    }

    /**
     * Waits a little for {@code n} to replicate from {@code master}: the manager has stopped, so
     * only an IO thread's own reconnect (every second in the sandbox) can still change it; a
     * replica with no replication configured or a stopped SQL thread will not, and is not waited for.
     */
    private static boolean awaitReplicating(SandboxNode n, SandboxNode master) {
        try {
            Awaitility.await()
                    .atMost(RECONNECT)
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .failFast(() -> n.replicaStatus()
                            .map(s -> "No".equals(s.get("Slave_SQL_Running")))
                            .orElse(true))
                    .until(() -> replicatesFrom(n, master));
            return true;
        } catch (ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            return false;
        }
    }

    private static boolean replicatesFrom(SandboxNode n, SandboxNode master) {
        return n.replicaStatus()
                .filter(s -> master.host().equals(s.get("Master_Host"))
                        && String.valueOf(master.port()).equals(s.get("Master_Port"))
                        && "Yes".equals(s.get("Slave_IO_Running"))
                        && "Yes".equals(s.get("Slave_SQL_Running")))
                .isPresent();
    }

    private static String describe(SandboxNode n, SandboxNode master) {
        try {
            Map<String, String> s = n.replicaStatus().orElse(null);
            String ro = n.isReadOnly() ? "read-only" : "WRITABLE";
            if (s == null) {
                return "replicates from nobody, " + ro + ", not reported parked";
            }
            return "does not replicate from " + master.name() + " (" + s.get("Master_Host") + ":" + s.get("Master_Port")
                    + " IO=" + s.get("Slave_IO_Running") + " SQL=" + s.get("Slave_SQL_Running")
                    + (blank(s.get("Last_IO_Error")) ? "" : " IO error: " + s.get("Last_IO_Error"))
                    + (blank(s.get("Last_SQL_Error")) ? "" : " SQL error: " + s.get("Last_SQL_Error")) + "), " + ro;
        } catch (SandboxException e) {
            return "cannot be asked: " + e.getMessage();
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Whether the manager's guard last reported {@code n} parked, and {@code n} is read-only. */
    private static boolean parked(SandboxNode n, ChaosTrial t) {
        GuardEvent.Kind last = null;
        for (GuardEvent e : t.guardEvents()) {
            if (e.server().port() == n.port() && e.server().hostname().equals(n.host())) {
                last = e.kind();
            }
        }
        return last == GuardEvent.Kind.PARKED && n.isRunning() && !writable(n);
    }

    /** Where the lost writes are instead: typically only on an old master nobody replicates from. */
    private static String whereElse(ChaosTrial t, SandboxNode master, List<Long> missing) {
        List<String> found = new ArrayList<>();
        for (SandboxNode n : t.cluster().nodes()) {
            if (n == master || !n.isRunning()) {
                continue;
            }
            try {
                SortedSet<Long> absent = new TreeSet<>(
                        t.ledger().verify(List.of(n)).node(n.name()).missing());
                long there = missing.stream().filter(id -> !absent.contains(id)).count();
                if (there > 0) {
                    found.add(there + " on " + n.name());
                }
            } catch (SandboxException e) {
                found.add(n.name() + " unreadable");
            }
        }
        return found.isEmpty() ? " (on no other server)" : " (" + String.join(", ", found) + ")";
    }

    private static boolean hasErrantRow(SandboxNode n) {
        try {
            return !n.query("SELECT id FROM mha4j_errant.t").isEmpty();
        } catch (SandboxException e) {
            return false;
        }
    }
}
