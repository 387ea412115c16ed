package io.mha4j.failover;

import io.mha4j.config.ServerConfig;
import io.mha4j.server.ServerState;

/**
 * A surviving replica, as the election sees it.
 *
 * @param server its configuration ({@code candidate_master}, {@code no_master}, …)
 * @param state what it looked like once its relay log was applied
 * @param latest whether no other replica has a transaction it lacks
 * @param missing transactions the latest replica has and this one lacks
 * @param relayLogApplied its applier executed everything it received; a server with an
 *     unapplied relay log is never promoted
 */
public record Candidate(ServerConfig server, ServerState state, boolean latest, long missing,
        boolean relayLogApplied) {}
