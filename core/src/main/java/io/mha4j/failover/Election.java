package io.mha4j.failover;

import io.mha4j.config.ServerConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The elector's answer.
 *
 * @param winner the new master; empty when no server may become master
 * @param reason why the winner won (or why nobody did)
 * @param losers every other candidate's block name and why it lost
 */
public record Election(Optional<ServerConfig> winner, String reason, Map<String, String> losers) {

    public Election {
        losers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(losers));
    }

    public static Election won(ServerConfig winner, String reason, Map<String, String> losers) {
        return new Election(Optional.of(winner), reason, losers);
    }

    public static Election none(String reason, Map<String, String> losers) {
        return new Election(Optional.empty(), reason, losers);
    }
}
