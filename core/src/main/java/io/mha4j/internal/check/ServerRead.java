package io.mha4j.internal.check;

import io.mha4j.config.ServerConfig;
import io.mha4j.server.HeartbeatStatus;
import io.mha4j.server.ServerState;
import java.util.Optional;

/**
 * One configured server and what reading it gave: a state, or why there is none; for a replica
 * also its heartbeats (period, {@code slave_net_timeout}).
 */
public record ServerRead(
        ServerConfig config,
        Optional<ServerState> state,
        Optional<String> failure,
        Optional<HeartbeatStatus> heartbeat) {

    public static ServerRead of(ServerConfig config, ServerState state) {
        return new ServerRead(config, Optional.of(state), Optional.empty(), Optional.empty());
    }

    public static ServerRead of(ServerConfig config, ServerState state, HeartbeatStatus heartbeat) {
        return new ServerRead(config, Optional.of(state), Optional.empty(), Optional.of(heartbeat));
    }

    public static ServerRead failed(ServerConfig config, String why) {
        return new ServerRead(config, Optional.empty(), Optional.of(why), Optional.empty());
    }

    public boolean isAlive() {
        return state.isPresent();
    }

    public String name() {
        return config.displayName();
    }
}
