package io.mha4j.samples.cli;

/**
 * One trial of {@code bench outage}: the route, when in the ping cycle the master was killed, the
 * write outage the application saw (kill → its first acknowledged write after it), and the proof
 * (acknowledged writes missing on a survivor, whether the survivors agree).
 */
record OutageResult(
        int trial,
        OutageRoute route,
        int pingInterval,
        long killOffsetMs,
        long outageMs,
        String newMaster,
        int acknowledged,
        int inDoubt,
        int lost,
        String checksums,
        String outcome,
        long seconds,
        String notes) {

    static final String HEADER = String.join(
            "\t",
            "trial",
            "route",
            "ping_interval_s",
            "kill_offset_ms",
            "outage_ms",
            "new_master",
            "acknowledged",
            "in_doubt",
            "lost",
            "checksums",
            "outcome",
            "trial_s",
            "notes");

    boolean ok() {
        return outcome.equals("ok");
    }

    String line() {
        return String.join(
                "\t",
                String.valueOf(trial),
                route.label,
                String.valueOf(pingInterval),
                String.valueOf(killOffsetMs),
                String.valueOf(outageMs),
                newMaster,
                String.valueOf(acknowledged),
                String.valueOf(inDoubt),
                String.valueOf(lost),
                checksums,
                outcome,
                String.valueOf(seconds),
                notes.replace('\t', ' ').replace('\n', ' '));
    }
}
