package io.mha4j.check;

import io.mha4j.config.ServerConfig;
import io.mha4j.server.ServerState;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The replication topology as the live servers report it (never as the configuration lists
 * it): the master, the servers replicating from it, and what was read of each.
 *
 * @param master the server every other replicates from
 * @param replicas the servers that were read and replicate (from the master or, multi-tier,
 *     from another replica), in configuration order
 * @param unreachable the configured servers that could not be read
 * @param states the state read of every reachable server, by block name
 */
public record Topology(
        ServerConfig master,
        List<ServerConfig> replicas,
        List<ServerConfig> unreachable,
        Map<String, ServerState> states) {

    public Topology {
        replicas = List.copyOf(replicas);
        unreachable = List.copyOf(unreachable);
        states = Map.copyOf(states);
    }

    public Optional<ServerState> state(ServerConfig server) {
        return Optional.ofNullable(states.get(server.block()));
    }

    /** The master's state; empty when the master could not be read (it may be dead). */
    public Optional<ServerState> masterState() {
        return state(master);
    }
}
