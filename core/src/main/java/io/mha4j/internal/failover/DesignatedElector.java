package io.mha4j.internal.failover;

import io.mha4j.MasterElector;
import io.mha4j.failover.Candidate;
import io.mha4j.failover.Election;
import io.mha4j.failover.ElectionContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --new_master_host}: the operator's choice wins if the configured elector finds it
 * eligible on its own; otherwise nobody does, with the elector's reason. Never a fallback to
 * another server the operator did not name.
 */
public final class DesignatedElector implements MasterElector {
    private final MasterElector rules;
    private final String block;

    public DesignatedElector(MasterElector rules, String block) {
        this.rules = rules;
        this.block = block;
    }

    @Override
    public Election elect(ElectionContext context) {
        List<Candidate> candidates = context.candidates();
        List<Candidate> designated = candidates.stream()
                .filter(c -> c.server().block().equals(block))
                .toList();
        Map<String, String> losers = new LinkedHashMap<>();
        candidates.stream()
                .filter(c -> !c.server().block().equals(block))
                .forEach(c -> losers.put(c.server().block(), "not the designated new master [" + block + "]"));
        if (designated.isEmpty()) {
            return Election.none(
                    "the designated new master [" + block + "] is not a replica that could be read", losers);
        }
        Election alone = rules.elect(context.withCandidates(designated));
        losers.putAll(alone.losers());
        return alone.winner()
                .map(w -> Election.won(w, "designated (--new_master_host); " + alone.reason(), losers))
                .orElseGet(() -> Election.none(
                        "the designated new master [" + block + "] may not become master: "
                                + alone.losers().getOrDefault(block, alone.reason()),
                        losers));
    }
}
