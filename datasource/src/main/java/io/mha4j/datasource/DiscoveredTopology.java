package io.mha4j.datasource;

import io.mha4j.config.ServerConfig;
import io.mha4j.server.ReplicaReading;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The topology one round of reads shows, by the self-discovering source's rule: the master is the
 * one server that answered, takes writes and replicates from nobody, and may be trusted as a master
 * (see {@link #of}). None, or several, and there is no master: the writer waits rather than guess.
 * The replicas are the servers replicating from the master, or, while there is none, from the master
 * the data sources knew last (the replicas of a master being switched still serve reads).
 *
 * @param master the master, when exactly one server may be it
 * @param replicas the servers replicating from the master (or the last one known)
 * @param readings each replica's replication as read in the same round
 * @param seen every server as read, for the log
 * @param noMaster why there is no master; empty when there is one
 */
record DiscoveredTopology(
        Optional<ServerConfig> master,
        List<ServerConfig> replicas,
        Map<ServerConfig, ReplicaReading> readings,
        String seen,
        Optional<String> noMaster) {

    /** What the data sources remember between rounds, by server block. */
    record History(ServerConfig lastMaster, Set<String> demoted, Set<String> seenAsReplica) {
        static final History NONE = new History(null, Set.of(), Set.of());

        History {
            demoted = Set.copyOf(demoted);
            seenAsReplica = Set.copyOf(seenAsReplica);
        }
    }

    /** Decides on one round of reads with no history: the first round, or a test of the basic rule. */
    static DiscoveredTopology of(List<Sighting> round, ServerConfig lastMaster) {
        return of(round, new History(lastMaster, Set.of(), Set.of()));
    }

    /**
     * Decides on one round of reads. The one server that answered, takes writes and replicates from
     * nobody is the master only if it may be trusted:
     *
     * <ul>
     *   <li>it is not one the writer moved away from ({@code demoted}) and that no round has seen
     *       replicating since: an old master that came back writable and unfenced looks exactly like a
     *       master, and the server that replaced it may just have failed to answer this round. The
     *       writer stays paused while such a server is writable: when the promoted server is also
     *       writable they are two masters, and alone it is still no master. Replicating, not merely
     *       read-only: {@code read_only} set by a switch or a fence does not survive a restart, and
     *       every promotion (a failover's, a switch's) starts from a replica, so waiting for
     *       replication refuses no legitimate master;
     *   <li>when it is not the master the data sources already know and some server could not be read:
     *       a round saw it replicating before ({@code seenAsReplica}: a replica that lost its
     *       replication configuration and became writable was promoted, on purpose), or a server
     *       that answered replicates from it. An unreadable server may be a master itself, and a
     *       server never seen as a replica that is the only writable one among those that answered
     *       may be an old master back from the dead (the data sources started after it was failed
     *       over). With every server read, the one writable server is the only place a write can go.
     * </ul>
     */
    static DiscoveredTopology of(List<Sighting> round, History history) {
        ServerConfig lastMaster = history.lastMaster();
        List<Sighting> masters = round.stream().filter(Sighting::mayBeMaster).toList();
        String seen = round.stream().map(Sighting::describe).collect(Collectors.joining(", "));
        Optional<String> noMaster = masters.size() == 1
                ? untrusted(masters.get(0), round, history)
                : Optional.of(
                        masters.isEmpty()
                                ? "no server takes writes and replicates from nobody"
                                : masters.size() + " servers take writes and replicate from nobody ("
                                        + masters.stream()
                                                .map(s -> s.server().block())
                                                .collect(Collectors.joining(", "))
                                        + "): not guessing which is the master");
        Optional<Sighting> master = noMaster.isEmpty() ? Optional.of(masters.get(0)) : Optional.empty();
        Optional<Sighting> reference = master.isPresent()
                ? master
                : round.stream()
                        .filter(s -> lastMaster != null && s.server().block().equals(lastMaster.block()))
                        .findFirst();
        Map<ServerConfig, ReplicaReading> readings = new LinkedHashMap<>();
        reference.ifPresent(m ->
                round.stream().filter(s -> s.replicatesFrom(m)).forEach(s -> readings.put(s.server(), s.reading())));
        return new DiscoveredTopology(
                master.map(Sighting::server), List.copyOf(readings.keySet()), readings, seen, noMaster);
    }

    /** Why the one candidate may not be trusted as the master; empty when it may. */
    private static Optional<String> untrusted(Sighting candidate, List<Sighting> round, History history) {
        String block = candidate.server().block();
        if (history.demoted().contains(block)) {
            return Optional.of(block + " was the master before and takes writes again with no replication (not"
                    + " fenced): not going back to it until it is seen replicating");
        }
        boolean known =
                history.lastMaster() != null && history.lastMaster().block().equals(block);
        List<String> unread = round.stream()
                .filter(s -> s.unreadable().isPresent())
                .map(s -> s.server().block())
                .toList();
        if (known || unread.isEmpty() || history.seenAsReplica().contains(block)) {
            return Optional.empty();
        }
        if (round.stream().anyMatch(s -> s.unreadable().isEmpty() && s.replicatesFrom(candidate))) {
            return Optional.empty();
        }
        return Optional.of(block + " is the only writable server that answered, but " + String.join(", ", unread)
                + " could not be read, no round saw " + block + " as a replica and no server replicates from it:"
                + " it may be an old master back");
    }

    /** The servers this round saw replicating (replication configured, running or not). */
    static Set<String> seenAsReplica(List<Sighting> round) {
        return round.stream()
                .filter(s -> s.unreadable().isEmpty() && s.upstream().isPresent())
                .map(s -> s.server().block())
                .collect(Collectors.toSet());
    }
}
