package io.mha4j.failover;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link io.mha4j.MasterElector} is asked to decide on: the candidates, and what an elector
 * needs beyond them to prefer one — the master being replaced (its rack, its {@code node_label},
 * any parameter a plugin declared for it), the whole configuration, and what the same failover's
 * earlier election said.
 *
 * @param config the application's configuration: every server and parameter, a plugin's own
 *     included ({@link ServerConfig#value}, {@link ApplicationConfig#value})
 * @param master the master being replaced: the dead master in a failover, the current one in an
 *     online switch
 * @param purpose why a new master is elected
 * @param candidates every replica that could be read, in configuration order, with which of them
 *     received the most transactions
 * @param previous the election asked before in the same failover, with its winner and every
 *     loser's reason: phase 1's check when phase 3 elects for real (the candidates may have
 *     changed in between: relay logs applied, a replica gone); empty for the first
 */
public record ElectionContext(
        ApplicationConfig config,
        ServerConfig master,
        Purpose purpose,
        List<Candidate> candidates,
        Optional<Election> previous) {

    /** Why a new master is elected. */
    public enum Purpose {
        /** The master died ({@code masterha_manager}, {@code masterha_master_switch --master_state=dead}). */
        FAILOVER,
        /** The master is alive and hands over ({@code --master_state=alive}). */
        ONLINE_SWITCH
    }

    public ElectionContext {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(purpose, "purpose");
        candidates = List.copyOf(candidates);
        Objects.requireNonNull(previous, "previous");
    }

    /** The same question about fewer candidates (an elector delegating part of its choice). */
    public ElectionContext withCandidates(List<Candidate> fewer) {
        return new ElectionContext(config, master, purpose, fewer, previous);
    }
}
