package io.mha4j.internal.monitor;

import io.mha4j.server.HeartbeatStatus;
import io.mha4j.server.Row;
import io.mha4j.server.ServerConnection;
import io.mha4j.server.SqlFailure;
import java.time.Duration;
import java.util.List;

/**
 * When a replica's silence is evidence: the one rule the monitor judges by, check_repl warns by
 * and the failover fences by, so that the three agree.
 *
 * <p>A source sends a heartbeat after {@code MASTER_HEARTBEAT_PERIOD} without events, so a live
 * source is heard at least once per period. A connected replica that received nothing for the
 * period plus a margin (half a period, at least one second: the sampling is at ping times, and
 * the source's timer and the network add a little) heard nothing from a source that should have
 * spoken. With MHA's defaults (ping every 3 s, judged at the 4th failed ping, 9 s after the first)
 * a period of up to 6 s can be judged; the servers' default of 30 s cannot.
 */
public final class HeartbeatEvidence {
    private static final Duration MIN_MARGIN = Duration.ofSeconds(1);
    /** A heartbeat more often than this is traffic for nothing: detection samples at ping times anyway. */
    private static final Duration SHORTEST_PERIOD = Duration.ofMillis(100);
    /** The servers' default; a longer period than this proves nothing sooner. */
    private static final Duration LONGEST_PERIOD = Duration.ofSeconds(30);

    private HeartbeatEvidence() {}

    /**
     * Reads a replica's heartbeats; unknown, not a failure, where the server keeps no count
     * (MySQL without performance_schema).
     *
     * @throws SqlFailure when the server does not answer
     */
    public static HeartbeatStatus read(ServerConnection c) {
        try {
            List<Row> rows = c.query(c.dialect().heartbeatStatus());
            return c.dialect().heartbeatStatus(rows);
        } catch (SqlFailure f) {
            if (f.kind() != SqlFailure.Kind.STATEMENT_ERROR) {
                throw f;
            }
            return HeartbeatStatus.UNKNOWN;
        }
    }

    /** How long a connected replica must have received nothing before that proves its source silent. */
    public static Duration silenceProof(Duration period) {
        Duration half = period.dividedBy(2);
        return period.plus(half.compareTo(MIN_MARGIN) < 0 ? MIN_MARGIN : half);
    }

    /**
     * How long replicas are watched before the master is first judged: from the first failed
     * ping to the {@code limit}-th, at least one interval (with a limit of 1 the next ping judges
     * again).
     */
    public static Duration observedByJudgement(Duration pingInterval, int limit) {
        return pingInterval.multipliedBy(Math.max(1, limit - 1));
    }

    /** Whether a replica with this heartbeat period can prove the master silent by the first judgement. */
    public static boolean judgeable(Duration period, Duration pingInterval, int limit) {
        return !period.isZero() && silenceProof(period).compareTo(observedByJudgement(pingInterval, limit)) <= 0;
    }

    /**
     * The {@code MASTER_HEARTBEAT_PERIOD} mha4j sets when it points a replica at a new master: the
     * ping interval, or less where that could not be judged by the first judgement (a small
     * {@code ping_failure_limit}); between 0.1 s and 30 s. Heartbeats cost a few bytes per period.
     */
    public static Duration periodFor(Duration pingInterval, int limit) {
        Duration observed = observedByJudgement(pingInterval, limit);
        // The longest p with p + max(1 s, p/2) <= observed.
        Duration longestJudgeable = observed.compareTo(MIN_MARGIN.multipliedBy(3)) >= 0
                ? observed.multipliedBy(2).dividedBy(3)
                : observed.minus(MIN_MARGIN);
        Duration p = pingInterval.compareTo(longestJudgeable) < 0 ? pingInterval : longestJudgeable;
        return p.compareTo(SHORTEST_PERIOD) < 0
                ? SHORTEST_PERIOD
                : p.compareTo(LONGEST_PERIOD) > 0 ? LONGEST_PERIOD : p;
    }
}
