package io.mha4j.datasource;

import io.mha4j.config.ServerConfig;
import io.mha4j.server.ReplicaReading;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The topology one round of reads shows, by the self-discovering source's rule: the master is the
 * one server that answered, takes writes and replicates from nobody. None, or several, and there is
 * no master: the writer waits rather than guess. The replicas are the servers replicating from the
 * master, or, while there is none, from the master the data sources knew last (the replicas of a
 * master being switched still serve reads).
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

    /** Decides on one round of reads; {@code lastMaster} is the master the data sources knew, or null. */
    static DiscoveredTopology of(List<Sighting> round, ServerConfig lastMaster) {
        List<Sighting> masters = round.stream().filter(Sighting::mayBeMaster).toList();
        String seen = round.stream().map(Sighting::describe).collect(Collectors.joining(", "));
        Optional<Sighting> reference = masters.size() == 1
                ? Optional.of(masters.get(0))
                : round.stream()
                        .filter(s -> lastMaster != null && s.server().block().equals(lastMaster.block()))
                        .findFirst();
        Map<ServerConfig, ReplicaReading> readings = new LinkedHashMap<>();
        reference.ifPresent(m ->
                round.stream().filter(s -> s.replicatesFrom(m)).forEach(s -> readings.put(s.server(), s.reading())));
        Optional<String> noMaster = masters.size() == 1
                ? Optional.empty()
                : Optional.of(
                        masters.isEmpty()
                                ? "no server takes writes and replicates from nobody"
                                : masters.size() + " servers take writes and replicate from nobody ("
                                        + masters.stream()
                                                .map(s -> s.server().block())
                                                .collect(Collectors.joining(", "))
                                        + "): not guessing which is the master");
        return new DiscoveredTopology(
                masters.size() == 1 ? Optional.of(masters.get(0).server()) : Optional.empty(),
                List.copyOf(readings.keySet()),
                readings,
                seen,
                noMaster);
    }
}
