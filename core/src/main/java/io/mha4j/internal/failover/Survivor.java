package io.mha4j.internal.failover;

import io.mha4j.config.ServerConfig;
import io.mha4j.server.ServerConnection;
import io.mha4j.server.ServerState;

/** A server that answered during the failover: its open connection and its last-read state. */
public record Survivor(ServerConfig config, ServerConnection connection, ServerState state) {

    public Survivor reread() {
        return new Survivor(config, connection, connection.readState());
    }

    public String name() {
        return config.displayName();
    }
}
