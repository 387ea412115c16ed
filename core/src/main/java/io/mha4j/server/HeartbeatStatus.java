package io.mha4j.server;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a replica says about the heartbeats of its source, and how long it waits for its source
 * before it gives up on it. A source sends a heartbeat after {@code period} without events, so
 * a replica whose count stops growing for clearly longer than {@code period} has heard nothing
 * from a source that should have spoken: evidence that the source is silent, which
 * "nothing received lately" alone is not on an idle master.
 *
 * @param received heartbeats received from the source (MariaDB {@code Slave_received_heartbeats},
 *     MySQL {@code COUNT_RECEIVED_HEARTBEATS}); empty when the server does not say
 * @param period {@code MASTER_HEARTBEAT_PERIOD}; zero when heartbeats are off, empty when unknown
 * @param netTimeout {@code slave_net_timeout}: after this long without anything from its source
 *     the replica reconnects, and only then shows its IO thread as not connected
 */
public record HeartbeatStatus(OptionalLong received, Optional<Duration> period, Optional<Duration> netTimeout) {

    /** Nothing known (MySQL without performance_schema, or a failed read). */
    public static final HeartbeatStatus UNKNOWN =
            new HeartbeatStatus(OptionalLong.empty(), Optional.empty(), Optional.empty());

    /** The period when heartbeats are on: known and above zero. */
    public Optional<Duration> activePeriod() {
        return period.filter(p -> !p.isZero() && !p.isNegative());
    }

    /** Seconds as the server prints them ({@code 30.000}, {@code 0.5}); empty for NULL or blank. */
    public static Optional<Duration> seconds(Optional<String> text) {
        return text.map(String::trim).filter(t -> !t.isEmpty()).map(t -> {
            try {
                return Duration.ofMillis(new BigDecimal(t).movePointRight(3).longValue());
            } catch (NumberFormatException e) {
                throw new IllegalStateException("'" + t + "' is not a number of seconds", e);
            }
        });
    }

    /** {@code 0.5 s}, {@code 30 s}: a period as people read it. */
    public static String describe(Duration d) {
        return BigDecimal.valueOf(d.toMillis())
                        .movePointLeft(3)
                        .stripTrailingZeros()
                        .toPlainString() + " s";
    }
}
