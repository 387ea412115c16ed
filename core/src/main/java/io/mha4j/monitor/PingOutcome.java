package io.mha4j.monitor;

import io.mha4j.server.SqlFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One check of the master, as {@code ping_type} says.
 *
 * @param at when the ping started (the monitor's clock)
 * @param ok whether the master answered as a healthy master does
 * @param failure what kind of failure, when not ok
 * @param detail what happened, for people (never a password)
 * @param took how long the ping took
 * @param errorCode the server's error number when it answered with an error (e.g. 1040)
 */
public record PingOutcome(
        Instant at,
        boolean ok,
        Optional<SqlFailure.Kind> failure,
        String detail,
        Duration took,
        OptionalInt errorCode) {

    /**
     * MHA's connect errors that mean "alive but refusing" ({@code @ALIVE_ERROR_CODES}): too many
     * connections, bad host, handshake error, access denied (to a database or at login), host
     * blocked or not privileged, user connection limits, unsupported authentication, secure
     * authentication. A server that sends them is running; they never count as failures.
     */
    public static final Set<Integer> ALIVE_ERROR_CODES =
            Set.of(1040, 1042, 1043, 1044, 1045, 1129, 1130, 1203, 1226, 1251, 1275);

    /** An outcome without a server error number. */
    public PingOutcome(Instant at, boolean ok, Optional<SqlFailure.Kind> failure, String detail, Duration took) {
        this(at, ok, failure, detail, took, OptionalInt.empty());
    }

    public static PingOutcome success(Instant at, String detail, Duration took) {
        return new PingOutcome(at, true, Optional.empty(), detail, took, OptionalInt.empty());
    }

    /** The outcome of a ping that failed with {@code f}. */
    public static PingOutcome failed(Instant at, SqlFailure f, Duration took) {
        return new PingOutcome(
                at,
                false,
                Optional.of(f.kind()),
                f.getMessage(),
                took,
                f.errorCode() > 0 ? OptionalInt.of(f.errorCode()) : OptionalInt.empty());
    }

    /** The server answered with one of {@link #ALIVE_ERROR_CODES}: it runs, it only refuses us. */
    public boolean aliveButRefusing() {
        return !ok && errorCode.isPresent() && ALIVE_ERROR_CODES.contains(errorCode.getAsInt());
    }

    /** Whether this ping counts towards {@code ping_failure_limit}. */
    public boolean countsAsFailure() {
        return !ok && !aliveButRefusing();
    }
}
