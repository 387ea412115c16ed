package io.mha4j.monitor;

import io.mha4j.config.ServerConfig;
import java.time.Instant;

/**
 * The monitor's conclusion about the master at one moment, with the reason in words and the
 * evidence it rests on. Which verdict starts a failover is not decided here but by a
 * {@link FailoverTrigger}.
 *
 * @param kind alive, failing, unreachable but replicating, or dead
 * @param server the master judged, as configured (compare servers by {@link ServerConfig#block()})
 * @param at when it was decided (the monitor's clock)
 * @param failedPings failed pings in a row so far (0 when alive)
 * @param reason why, in one sentence
 * @param evidence what was seen
 */
public record Verdict(
        VerdictKind kind, ServerConfig server, Instant at, int failedPings, String reason, Evidence evidence) {

    /** The master as MHA's logs name it: {@code server().displayName()}. */
    public String master() {
        return server.displayName();
    }

    @Override
    public String toString() {
        return kind + " " + master() + " after " + failedPings + " failed ping(s): " + reason;
    }
}
