package io.mha4j.samples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One trial's fault and its randomly drawn parameters; the same seed and fault give the same
 * plan, so a trial is replayed with {@code --seed=<its seed> --faults=<its fault> --trials=1}.
 *
 * @param delayMs when the fault strikes, after the write load started
 * @param durationMs the pause, freeze or cut length; for {@code restart}, the wait after the failover
 * @param replica the replica a fault acts on ({@code errant}, {@code frozen-replica}), 1-based node index
 * @param variant {@code errant}: own-domain|master-domain; {@code restart}: kill|shutdown;
 *     {@code manager-cut}: writes|idle (the application pauses during the cut); otherwise empty
 * @param powerSwitch whether the manager has a fence: a {@code shutdown_script} that powers a node
 *     off out of band (kills its mariadbd from this machine, as IPMI or a cloud API would), so that
 *     a master that may still be alive can be failed over
 * @param throughDataSource whether the application writes through mha4j-datasource's writer, which
 *     follows the manager's events, instead of to the master a failover activated (as a VIP moves);
 *     only where the application needs no address of its own (faults without namespaces)
 */
record FaultPlan(
        int trial,
        long seed,
        ChaosFault fault,
        long delayMs,
        long durationMs,
        int replica,
        String variant,
        boolean powerSwitch,
        boolean throughDataSource) {

    /** A plan whose application writes to the master, as a VIP would take it there. */
    FaultPlan(
            int trial,
            long seed,
            ChaosFault fault,
            long delayMs,
            long durationMs,
            int replica,
            String variant,
            boolean powerSwitch) {
        this(trial, seed, fault, delayMs, durationMs, replica, variant, powerSwitch, false);
    }

    static FaultPlan draw(int trial, long seed, ChaosFault fault, ChaosSettings s) {
        SplittableRandom r = new SplittableRandom(seed);
        long delay = r.nextLong(2_000);
        int replica = 2 + r.nextInt(s.nodes() - 1);
        long duration = 0;
        String variant = "";
        boolean powerSwitch = r.nextBoolean();
        switch (fault) {
            case SIGSTOP -> duration = r.nextLong(1_000, s.maxPauseSeconds() * 1_000L + 1);
            case ERRANT -> variant = r.nextBoolean() ? "own-domain" : "master-domain";
            case RESTART -> {
                variant = r.nextBoolean() ? "kill" : "shutdown";
                duration = r.nextLong(5_001);
            }
            case FROZEN_REPLICA ->
                duration = r.nextLong(5_000, Math.max(5_000, Math.min(30, s.maxPauseSeconds()) * 1_000L) + 1);
            case MANAGER_CUT -> {
                variant = r.nextBoolean() ? "writes" : "idle";
                duration = r.nextLong(5_000, s.maxCutSeconds() * 1_000L + 1);
            }
            case MASTER_ISOLATED -> duration = r.nextLong(5_000, s.maxCutSeconds() * 1_000L + 1);
            default -> {}
        }
        // Drawn last, so that a seed's other parameters are what they were before it was drawn at all.
        boolean throughDataSource = !fault.needsNamespaces && r.nextBoolean();
        return new FaultPlan(trial, seed, fault, delay, duration, replica, variant, powerSwitch, throughDataSource);
    }

    /** The parameters that matter for this fault, e.g. {@code delay=734ms pause=37.2s}. */
    String parameters() {
        List<String> p = new ArrayList<>(List.of("delay=" + delayMs + "ms"));
        switch (fault) {
            case SIGSTOP -> p.add("pause=" + seconds(durationMs));
            case ERRANT -> p.add("replica=node" + replica + " domain=" + variant);
            case RESTART -> p.add("stop=" + variant + " restart_after_failover=" + seconds(durationMs));
            case FROZEN_REPLICA -> p.add("replica=node" + replica + " frozen=" + seconds(durationMs));
            case MANAGER_CUT -> p.add("cut=" + seconds(durationMs) + " load=" + variant);
            case MASTER_ISOLATED -> p.add("cut=" + seconds(durationMs));
            default -> {}
        }
        p.add("fence=" + (powerSwitch ? "power-switch" : "none"));
        p.add("application=" + (throughDataSource ? "datasource" : "direct"));
        return String.join(" ", p);
    }

    private static String seconds(long ms) {
        return String.format("%.1fs", ms / 1000.0);
    }
}
