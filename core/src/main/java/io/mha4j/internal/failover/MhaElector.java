package io.mha4j.internal.failover;

import io.mha4j.MasterElector;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.failover.Candidate;
import io.mha4j.failover.Election;
import io.mha4j.failover.ElectionContext;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.spi.MasterElectorProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * MHA's election: never a {@code no_master=1} server, one without binary logs, or (with
 * {@code check_repl_delay=1}) one far behind; then the first in configuration order among
 * {@code candidate_master=1} servers that are latest, else among all {@code candidate_master=1}
 * servers, else among the latest servers, else among all — the order of MHA 0.58's searches
 * ("Searching from candidate_master slaves which have received the latest relay log events",
 * "… from all candidate_master slaves", "… from all slaves which have received the latest relay
 * log events", "… from all slaves"). {@code latest_priority=0} drops the preference for the
 * latest: candidates first, then configuration order. A winner that is not the latest is caught
 * up from the latest replica before it is promoted, so nothing is lost either way. A replica
 * holding errant transactions is never elected over one without them, and when every eligible
 * replica holds some nobody is ({@code errant_transactions=refuse}, the default; {@code allow}
 * is MHA's way, which ignores them).
 */
public final class MhaElector implements MasterElector, MasterElectorProvider {
    /** MHA's check_repl_delay threshold: 100,000,000 bytes of relay log not yet applied. */
    static final long FAR_BEHIND_BYTES = 100_000_000L;

    private record Tier(String wins, Predicate<Candidate> member) {}

    @Override
    public String name() {
        return "mha";
    }

    /** Holds nothing of one application: its own provider. */
    @Override
    public MasterElector create(ApplicationConfig config) {
        return this;
    }

    @Override
    public Election elect(ElectionContext context) {
        List<Candidate> candidates = context.candidates();
        Map<String, String> losers = new LinkedHashMap<>();
        List<Candidate> eligible = new ArrayList<>();
        for (Candidate c : candidates) {
            Optional<String> why = ineligible(c);
            if (why.isPresent()) {
                losers.put(c.server().block(), why.get() + (c.hasErrantTransactions() ? "; " + errant(c) : ""));
            } else {
                eligible.add(c);
            }
        }
        if (eligible.isEmpty()) {
            return Election.none(
                    candidates.isEmpty() ? "no replica could be read" : "no replica may become master", losers);
        }
        boolean allowErrant = "allow".equals(context.config().value(Parameter.ERRANT_TRANSACTIONS));
        if (!allowErrant) {
            List<Candidate> clean =
                    eligible.stream().filter(c -> !c.hasErrantTransactions()).toList();
            if (clean.isEmpty()) {
                eligible.forEach(c -> losers.put(
                        c.server().block(),
                        errant(c) + ", and so does every other replica" + " that could become master"));
                return Election.none(
                        "every replica that could become master holds errant transactions"
                                + " (errant_transactions=refuse): remove them or replay them everywhere by hand, or set"
                                + " errant_transactions=allow to promote them",
                        losers);
            }
            eligible.stream()
                    .filter(Candidate::hasErrantTransactions)
                    .forEach(c -> losers.put(
                            c.server().block(),
                            errant(c) + ": never elected over a replica without them (errant_transactions=refuse)"));
            eligible = clean;
        }
        for (Tier tier : tiers(eligible.get(0).server().latestPriority())) {
            Optional<Candidate> winner = eligible.stream().filter(tier.member()).findFirst();
            if (winner.isPresent()) {
                Candidate w = winner.get();
                for (Candidate c : eligible) {
                    if (c != w) {
                        losers.put(c.server().block(), lostTo(c, w));
                    }
                }
                return Election.won(
                        w.server(),
                        tier.wins()
                                + (w.hasErrantTransactions()
                                        ? "; it holds " + errant(w) + ", promoted as errant_transactions=allow says"
                                        : ""),
                        losers);
            }
        }
        throw new IllegalStateException("the last tier admits every eligible candidate");
    }

    private static String errant(Candidate c) {
        return "errant transactions " + c.errant() + " (" + c.errant().count()
                + " the dead master never wrote and no other replica holds)";
    }

    private static List<Tier> tiers(boolean latestPriority) {
        Predicate<Candidate> candidate = c -> c.server().value(Parameter.CANDIDATE_MASTER);
        if (!latestPriority) {
            return List.of(
                    new Tier("candidate_master=1 (latest_priority=0: configuration order)", candidate),
                    new Tier("first in configuration order (latest_priority=0)", c -> true));
        }
        return List.of(
                new Tier("candidate_master=1 and has the latest transactions", candidate.and(Candidate::latest)),
                new Tier("candidate_master=1 (caught up from the latest replica first)", candidate),
                new Tier("has the latest transactions", Candidate::latest),
                new Tier("first in configuration order (caught up from the latest replica first)", c -> true));
    }

    private static Optional<String> ineligible(Candidate c) {
        if (c.server().noMaster()) {
            return Optional.of("no_master=1");
        }
        if (!c.state().logBin()) {
            return Optional.of("log_bin is off, so it cannot serve replicas");
        }
        Optional<ReplicaStatus> r = c.state().replica();
        if (c.server().value(Parameter.CHECK_REPL_DELAY) && r.isPresent()) {
            Optional<String> behind = farBehind(r.get());
            if (behind.isPresent()) {
                return Optional.of("check_repl_delay=1: " + behind.get());
            }
        }
        if (!c.relayLogApplied()) {
            return Optional.of("its relay log is not fully applied"
                    + r.filter(st -> st.lastSqlError().isPresent())
                            .map(st -> " (SQL thread error " + st.lastSqlError() + ")")
                            .orElse(""));
        }
        return Optional.empty();
    }

    private static Optional<String> farBehind(ReplicaStatus r) {
        if (r.sqlDelaySeconds() > 0) {
            return Optional.of("a delayed replica (SQL_Delay=" + r.sqlDelaySeconds() + " s)");
        }
        if (r.readSourcePosition().isPresent() && r.executedSourcePosition().isPresent()) {
            var read = r.readSourcePosition().get();
            var exec = r.executedSourcePosition().get();
            if (!read.file().equals(exec.file())) {
                return Optional.of(
                        "its SQL thread is still in " + exec.file() + " while its IO thread read " + read.file());
            }
            if (read.position() - exec.position() > FAR_BEHIND_BYTES) {
                return Optional.of("its relay log is " + (read.position() - exec.position()) + " bytes behind");
            }
        }
        return Optional.empty();
    }

    private static String lostTo(Candidate c, Candidate winner) {
        String missing = c.latest() ? "" : "lacks " + c.missing() + " transaction(s) of the latest replica; ";
        return missing + "lost to " + winner.server().block();
    }
}
