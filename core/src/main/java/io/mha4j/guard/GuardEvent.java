package io.mha4j.guard;

import io.mha4j.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One thing the guard did or decided about one server, for logs, hooks and tests.
 *
 * @param kind what happened
 * @param server the guarded server
 * @param role why it is guarded
 * @param master the master it was compared with, or rejoined to ({@code displayName})
 * @param at when
 * @param detail one sentence for people: what was done, or what a human must decide
 * @param actions the fencing steps taken, in order (e.g. {@code read_only=1}, {@code killed 3
 *     application session(s)}); empty for events other than fencing
 * @param refusingWritesAfter for {@link Kind#FENCED}: from the first successful SQL handshake
 *     to {@code read_only=1} read back from the server
 * @param errantGtids transactions it holds that the master lacks, when it has some
 * @param savedTransactions where those transactions were saved (SQL text in {@code manager_workdir})
 * @param rejoinStatement the statement that makes it a replica of the master (password
 *     {@code xxx}), for a server parked though safe to rejoin
 */
public record GuardEvent(
        Kind kind,
        ServerConfig server,
        GuardedRole role,
        String master,
        Instant at,
        String detail,
        List<String> actions,
        Optional<Duration> refusingWritesAfter,
        Optional<String> errantGtids,
        Optional<Path> savedTransactions,
        Optional<String> rejoinStatement) {

    /** What happened. */
    public enum Kind {
        /** It answered and was made unable to take writes; {@code actions} says how. */
        FENCED,
        /** It answered and a hook fenced it its own way. */
        FENCED_BY_HOOK,
        /** It answered and a hook vetoed fencing: it was left alone, possibly writable. */
        LEFT_ALONE,
        /** Fencing failed (the server went away again, a statement failed); tried again at the next answer. */
        FENCE_FAILED,
        /** It replicates from the current master: rejoined by mha4j, by a human, or found so. */
        REJOINED,
        /** Fenced and left for a human: safe to rejoin (the statement is given), or holding errant transactions. */
        PARKED
    }

    public GuardEvent {
        actions = List.copyOf(actions);
    }

    /** An event with no fencing steps, timing, GTIDs or files. */
    public static GuardEvent of(
            Kind kind, ServerConfig server, GuardedRole role, String master, Instant at, String detail) {
        return new GuardEvent(
                kind,
                server,
                role,
                master,
                at,
                detail,
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    /** The server's name as MHA's logs write it, e.g. {@code 10.0.0.51(10.0.0.51:3306)}. */
    public String serverName() {
        return server.displayName();
    }

    @Override
    public String toString() {
        return kind + " " + serverName() + ": " + detail;
    }
}
