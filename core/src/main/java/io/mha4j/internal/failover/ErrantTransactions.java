package io.mha4j.internal.failover;

import io.mha4j.gtid.GtidSet;
import io.mha4j.internal.dialect.Dialects;
import io.mha4j.server.Dialect;
import io.mha4j.server.ServerState;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The survivors' errant transactions: what a replica holds that the dead master never wrote — a
 * write made on the replica itself. Promoting such a replica, or catching another up from it,
 * would hand those transactions to every server; a failover must find them before it changes
 * anything.
 *
 * <p>A survivor's transaction is errant when no other survivor holds it and the dead master did
 * not write it (MariaDB: the server id of the domain's last GTID; MySQL: the UUID), or when the
 * survivors' histories diverged on it (MariaDB: one domain ending on the same sequence number
 * written by different servers — a local write in the master's own domain — the side the dead
 * master did not write is errant). Who the dead master was comes from the replicas' status
 * ({@code Master_Server_Id} / {@code Master_UUID}); when no replica shows it, only what a
 * survivor wrote under its own id counts as errant.
 *
 * @param deadMaster the dead master's origin (server id or UUID), when a replica showed it
 * @param byServer per survivor (block name), its errant transactions; survivors without any are absent
 */
public record ErrantTransactions(Optional<String> deadMaster, Map<String, GtidSet> byServer) {

    /** Nothing found, nobody looked. */
    public static final ErrantTransactions NONE = new ErrantTransactions(Optional.empty(), Map.of());

    public ErrantTransactions {
        byServer = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byServer));
    }

    /**
     * The dead master's origin as most survivors' replica status names it; empty when none does
     * (no replica ever connected to it).
     */
    public static Optional<String> deadMasterOf(Collection<ServerState> survivors) {
        return survivors.stream()
                .flatMap(s -> s.replica().flatMap(r -> dialect(s).sourceOrigin(r)).stream())
                .collect(Collectors.groupingBy(Function.identity(), LinkedHashMap::new, Collectors.counting()))
                .entrySet()
                .stream()
                .max(Comparator.comparingLong(Map.Entry::getValue))
                .map(Map.Entry::getKey);
    }

    /**
     * @param survivors every survivor by block name, as last read
     * @param deadMaster the dead master's origin, from {@link #deadMasterOf}
     */
    public static ErrantTransactions find(Map<String, ServerState> survivors, Optional<String> deadMaster) {
        Map<String, GtidSet> found = new LinkedHashMap<>();
        survivors.forEach((name, s) -> {
            List<GtidSet> others = survivors.entrySet().stream()
                    .filter(o -> !o.getKey().equals(name) && o.getValue().flavor() == s.flavor())
                    .map(o -> o.getValue().gtid().executed())
                    .toList();
            if (others.isEmpty()) {
                // Alone, a survivor has nothing to be compared with: all it holds is its history.
                return;
            }
            Dialect d = dialect(s);
            GtidSet mine = s.gtid().executed();
            GtidSet errant = notByDeadMaster(
                    d,
                    s,
                    deadMaster,
                    mine.subtract(others.stream().reduce(GtidSet::union).orElseThrow()));
            for (GtidSet theirs : others) {
                errant = errant.union(notByDeadMaster(d, s, deadMaster, d.divergedFrom(mine, theirs)));
            }
            if (!errant.isEmpty()) {
                found.put(name, errant);
            }
        });
        return new ErrantTransactions(deadMaster, found);
    }

    /**
     * Of what only {@code s} holds, what the dead master did not write; without knowing the dead
     * master, what {@code s} wrote itself.
     */
    private static GtidSet notByDeadMaster(Dialect d, ServerState s, Optional<String> deadMaster, GtidSet onlyMine) {
        return deadMaster
                .map(origin -> onlyMine.subtract(d.writtenBy(onlyMine, origin)))
                .orElseGet(() -> d.writtenBy(onlyMine, d.origin(s)));
    }

    /** The errant transactions of the survivor named {@code block}; empty of its own flavor if none. */
    public GtidSet of(String block, GtidSet like) {
        return byServer.getOrDefault(block, like.subtract(like));
    }

    /** {@code executed} without the errant transactions of {@code block}. */
    public GtidSet clean(String block, GtidSet executed) {
        return executed.subtract(of(block, executed));
    }

    public boolean isEmpty() {
        return byServer.isEmpty();
    }

    /** Both findings together: a server's errant transactions from either. */
    public ErrantTransactions and(ErrantTransactions later) {
        Map<String, GtidSet> all = new LinkedHashMap<>(byServer);
        later.byServer.forEach((k, v) -> all.merge(k, v, GtidSet::union));
        return new ErrantTransactions(deadMaster.or(later::deadMaster), all);
    }

    private static Dialect dialect(ServerState s) {
        return Dialects.forVersion(s.version());
    }
}
