package io.mha4j.failover;

import io.mha4j.gtid.GtidSet;
import io.mha4j.internal.failover.ReportJson;
import io.mha4j.internal.failover.ReportText;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a failover did, for humans ({@link #toText()}) and machines ({@link #toJson()}).
 *
 * @param application the application's name
 * @param outcome how it ended
 * @param deadMaster the dead master's display name
 * @param newMaster the new master's display name, when one was promoted
 * @param electionReason why the new master was chosen, or why none could be
 * @param losers every other candidate and why it lost
 * @param compensation what was recovered from the dead master's binary logs
 * @param phases each phase that ran, with its duration
 * @param replicas each other replica's outcome
 * @param rejoinStatement the statement that makes the repaired old master a replica of the new
 *     one (password as {@code xxx})
 * @param errors what went wrong, in order
 * @param startedAt when the failover began
 * @param endedAt when it ended
 * @param errantTransactions per server (display name), the errant transactions found before
 *     anything was changed: ones no other replica holds and the dead master never wrote. Such a
 *     server is never elected over one without them, nor a catch-up source for them
 * @param possibleLoss present when the dead master's binary logs could not be read: transactions
 *     after the latest replica's position may be lost. The outcome is then {@link Outcome#PARTIAL}
 *     (exit code 10) and the subject says so
 */
public record FailoverReport(
        String application,
        Outcome outcome,
        String deadMaster,
        Optional<String> newMaster,
        String electionReason,
        Map<String, String> losers,
        Optional<Compensation> compensation,
        List<PhaseTiming> phases,
        List<ReplicaOutcome> replicas,
        Optional<String> rejoinStatement,
        List<String> errors,
        Instant startedAt,
        Instant endedAt,
        Map<String, GtidSet> errantTransactions,
        Optional<PossibleLoss> possibleLoss) {

    /** How a failover ended; MHA's exit codes. */
    public enum Outcome {
        /** The new master is writable and every replica follows it. */
        SUCCEEDED(0),
        /**
         * The new master is writable, but a human must look: some replica could not be rewired,
         * or transactions may be lost because the dead master's binary logs could not be read
         * ({@link FailoverReport#possibleLoss()}).
         */
        PARTIAL(10),
        /** Refused before anything was changed (anti-flap, no candidate, a veto, a live master). */
        REFUSED(1),
        /** Stopped after something was changed; a human must look. */
        FAILED(1);

        private final int exitCode;

        Outcome(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }

        /** A new master was promoted. */
        public boolean promoted() {
            return this == SUCCEEDED || this == PARTIAL;
        }
    }

    public FailoverReport {
        losers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(losers));
        phases = List.copyOf(phases);
        replicas = List.copyOf(replicas);
        errors = List.copyOf(errors);
        errantTransactions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(errantTransactions));
    }

    /** Without errant transactions. */
    public FailoverReport(
            String application,
            Outcome outcome,
            String deadMaster,
            Optional<String> newMaster,
            String electionReason,
            Map<String, String> losers,
            Optional<Compensation> compensation,
            List<PhaseTiming> phases,
            List<ReplicaOutcome> replicas,
            Optional<String> rejoinStatement,
            List<String> errors,
            Instant startedAt,
            Instant endedAt) {
        this(
                application,
                outcome,
                deadMaster,
                newMaster,
                electionReason,
                losers,
                compensation,
                phases,
                replicas,
                rejoinStatement,
                errors,
                startedAt,
                endedAt,
                Map.of());
    }

    /** Without a possible loss. */
    public FailoverReport(
            String application,
            Outcome outcome,
            String deadMaster,
            Optional<String> newMaster,
            String electionReason,
            Map<String, String> losers,
            Optional<Compensation> compensation,
            List<PhaseTiming> phases,
            List<ReplicaOutcome> replicas,
            Optional<String> rejoinStatement,
            List<String> errors,
            Instant startedAt,
            Instant endedAt,
            Map<String, GtidSet> errantTransactions) {
        this(
                application,
                outcome,
                deadMaster,
                newMaster,
                electionReason,
                losers,
                compensation,
                phases,
                replicas,
                rejoinStatement,
                errors,
                startedAt,
                endedAt,
                errantTransactions,
                Optional.empty());
    }

    public Duration duration() {
        return Duration.between(startedAt, endedAt);
    }

    /**
     * MHA's report subject with the outcome, e.g. {@code app1: MySQL Master failover
     * db1(10.0.0.51:3306) to db2(10.0.0.52:3306) succeeded}; with a {@link #possibleLoss()} it
     * ends {@code done, but transactions after GTID 0-1-57 may be lost}.
     */
    public String subject() {
        return ReportText.subject(this);
    }

    /** The report for humans: MHA's summary layout, with timings and the recovered transactions. */
    public String toText() {
        return ReportText.render(this);
    }

    /** The report for machines, one JSON object. */
    public String toJson() {
        return ReportJson.render(this);
    }
}
