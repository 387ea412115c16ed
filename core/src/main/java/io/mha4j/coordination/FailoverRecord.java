package io.mha4j.coordination;

import io.mha4j.failover.FailoverPhase;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The shared record of an application's last failover, written by the leading manager before it
 * changes anything and again at each phase, so that a manager that leads next knows whether a
 * failover was left unfinished (its leader died or was cut off mid-way) and when the last one
 * ended (the anti-flap rule, for whichever manager leads).
 *
 * @param epoch one more than the previous record's: which failover this is
 * @param manager the manager that runs or ran it ({@link Coordination#id()})
 * @param deadMaster the configuration block of the master replaced
 * @param newMaster the block of the elected master, once elected
 * @param phase the last phase begun; empty before the first
 * @param state running, or how it ended
 * @param started when the failover began
 * @param updated when this record was last written
 * @param acknowledged a human's acknowledgement that lifts the anti-flap block of this failover
 */
public record FailoverRecord(
        long epoch,
        String manager,
        String deadMaster,
        Optional<String> newMaster,
        Optional<FailoverPhase> phase,
        State state,
        Instant started,
        Instant updated,
        Optional<Acknowledgement> acknowledged) {

    /** Where a failover stands. */
    public enum State {
        /** Begun and not ended: if its manager no longer leads, it was left unfinished. */
        RUNNING,
        /** Ended with a new master and every replica recovered. */
        SUCCEEDED,
        /** Ended with a new master, some replica not recovered. */
        PARTIAL,
        /** Refused before changing anything. */
        REFUSED,
        /** Ended in error: a human must look before the next automatic failover. */
        FAILED,
        /** Left unfinished by its manager, then found complete on the servers by the manager that led next. */
        COMPLETED_BY_SUCCESSOR,
        /** Left unfinished by its manager, then found with the old master serving by the manager that led next. */
        ABANDONED,
        /**
         * Left unfinished by its manager before it changed any surviving server, with the master still
         * dead: the manager that led next fails it over again (the next record).
         */
        SUPERSEDED;

        /** Whether a new master took over: the anti-flap rule's "last failover". */
        public boolean promoted() {
            return this == SUCCEEDED || this == PARTIAL || this == COMPLETED_BY_SUCCESSOR;
        }
    }

    /** Who lifted the anti-flap block, when and why. */
    public record Acknowledgement(Instant at, String who, String reason) {
        public Acknowledgement {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(who, "who");
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("an acknowledgment needs a reason");
            }
        }
    }

    public FailoverRecord {
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(deadMaster, "deadMaster");
        Objects.requireNonNull(newMaster, "newMaster");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(updated, "updated");
        Objects.requireNonNull(acknowledged, "acknowledged");
    }

    /** The record of a failover that begins now, after {@code previous}. */
    public static FailoverRecord begin(
            Optional<FailoverRecord> previous, String manager, String deadMaster, Instant now) {
        long epoch = previous.map(FailoverRecord::epoch).orElse(0L) + 1;
        return new FailoverRecord(
                epoch,
                manager,
                deadMaster,
                Optional.empty(),
                Optional.empty(),
                State.RUNNING,
                now,
                now,
                Optional.empty());
    }

    /** This record at the start of {@code next}, with the elected master once known. */
    public FailoverRecord at(FailoverPhase next, Optional<String> elected, Instant now) {
        return new FailoverRecord(
                epoch,
                manager,
                deadMaster,
                elected.or(() -> newMaster),
                Optional.of(next),
                state,
                started,
                now,
                acknowledged);
    }

    /** This record as the failover ended. */
    public FailoverRecord ended(State end, Optional<String> elected, Instant now) {
        return new FailoverRecord(
                epoch, manager, deadMaster, elected.or(() -> newMaster), phase, end, started, now, acknowledged);
    }

    public FailoverRecord acknowledge(Acknowledgement by) {
        return new FailoverRecord(
                epoch, manager, deadMaster, newMaster, phase, state, started, updated, Optional.of(by));
    }

    public boolean unfinished() {
        return state == State.RUNNING;
    }

    /** One line for logs and status: {@code failover #3 of server1 by host-a/42: RUNNING at Phase 3…}. */
    public String describe() {
        return "failover #" + epoch + " of " + deadMaster + " by " + manager + ": " + state
                + phase.map(p -> " at " + p.title()).orElse(" before its first phase")
                + newMaster.map(m -> ", new master " + m).orElse("")
                + ", updated " + updated
                + acknowledged
                        .map(a -> ", acknowledged by " + a.who() + " (" + a.reason() + ")")
                        .orElse("");
    }
}
