package io.mha4j.internal.check;

import io.mha4j.config.ServerConfig;
import io.mha4j.server.ServerState;
import java.util.Optional;

/** One configured server and what reading it gave: a state, or why there is none. */
public record ServerRead(ServerConfig config, Optional<ServerState> state, Optional<String> failure) {

    public static ServerRead of(ServerConfig config, ServerState state) {
        return new ServerRead(config, Optional.of(state), Optional.empty());
    }

    public static ServerRead failed(ServerConfig config, String why) {
        return new ServerRead(config, Optional.empty(), Optional.of(why));
    }

    public boolean isAlive() {
        return state.isPresent();
    }

    public String name() {
        return config.displayName();
    }
}
