package io.mha4j.failover;

import io.mha4j.config.ServerConfig;
import io.mha4j.gtid.GtidSet;
import io.mha4j.server.ServerState;
import java.util.Objects;

/**
 * A surviving replica, as the election sees it.
 *
 * @param server its configuration ({@code candidate_master}, {@code no_master}, …)
 * @param state what it looked like once its relay log was applied
 * @param latest whether no other replica has a transaction it lacks (errant transactions aside)
 * @param missing transactions the latest replica has and this one lacks (errant ones aside)
 * @param relayLogApplied its applier executed everything it received; a server with an
 *     unapplied relay log is never promoted
 * @param errant its errant transactions: ones no other replica holds and the dead master never
 *     wrote (a write made on the replica itself); empty for most. Under
 *     {@code errant_transactions=refuse} such a server is never elected over one without them.
 */
public record Candidate(
        ServerConfig server, ServerState state, boolean latest, long missing, boolean relayLogApplied, GtidSet errant) {

    public Candidate {
        Objects.requireNonNull(errant, "errant");
    }

    /** Without errant transactions. */
    public Candidate(ServerConfig server, ServerState state, boolean latest, long missing, boolean relayLogApplied) {
        // The executed set minus itself: an empty set of the server's own GTID flavor.
        this(
                server,
                state,
                latest,
                missing,
                relayLogApplied,
                state.gtid().executed().subtract(state.gtid().executed()));
    }

    public boolean hasErrantTransactions() {
        return !errant.isEmpty();
    }
}
