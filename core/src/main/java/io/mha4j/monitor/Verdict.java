package io.mha4j.monitor;

import java.time.Instant;

/**
 * The monitor's conclusion about the master at one moment, with the reason in words and the
 * evidence it rests on. Which verdict starts a failover is not decided here but by a
 * {@link FailoverTrigger}.
 *
 * @param kind alive, failing, unreachable but replicating, or dead
 * @param master the master as MHA's logs name it ({@code ServerConfig.displayName()})
 * @param at when it was decided (the monitor's clock)
 * @param failedPings failed pings in a row so far (0 when alive)
 * @param reason why, in one sentence
 * @param evidence what was seen
 */
public record Verdict(VerdictKind kind, String master, Instant at, int failedPings, String reason,
        Evidence evidence) {

    @Override
    public String toString() {
        return kind + " " + master + " after " + failedPings + " failed ping(s): " + reason;
    }
}
