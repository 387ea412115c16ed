package io.mha4j.internal.check;

import io.mha4j.check.Finding;
import io.mha4j.check.FindingKind;
import io.mha4j.check.Topology;
import io.mha4j.config.ServerConfig;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.ServerState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes out the topology from what the servers say about themselves: the master is the server
 * the others replicate from, whatever order the configuration lists them in. A replica names
 * its source by host and port and, once connected, by server_id; both are matched.
 */
public final class TopologyDiscovery {

    /** A topology, or the findings that explain why none could be made out. */
    public record Result(Optional<Topology> topology, List<Finding> findings) {}

    private TopologyDiscovery() {}

    public static Result discover(List<ServerRead> reads) {
        List<Finding> findings = new ArrayList<>();
        Map<String, ServerState> states = new LinkedHashMap<>();
        List<ServerConfig> unreachable = new ArrayList<>();
        for (ServerRead r : reads) {
            r.state().ifPresentOrElse(s -> states.put(r.config().block(), s), () -> unreachable.add(r.config()));
        }
        List<ServerRead> alive = reads.stream().filter(ServerRead::isAlive).toList();
        List<ServerRead> roots = alive.stream()
                .filter(r -> r.state().orElseThrow().replica().isEmpty())
                .toList();

        Optional<ServerConfig> master;
        if (roots.size() == 1) {
            master = Optional.of(roots.get(0).config());
        } else if (roots.size() > 1) {
            findings.add(Finding.error(
                    FindingKind.SEVERAL_MASTERS,
                    null,
                    "several servers replicate from no one: "
                            + String.join(
                                    ", ", roots.stream().map(ServerRead::name).toList())
                            + "; exactly one master is expected"));
            return new Result(Optional.empty(), findings);
        } else {
            master = commonSource(reads, alive);
            if (master.isEmpty()) {
                findings.add(Finding.error(
                        FindingKind.NO_MASTER,
                        null,
                        alive.isEmpty()
                                ? "no server could be reached: "
                                        + String.join(
                                                "; ",
                                                reads.stream()
                                                        .map(r -> r.failure().orElse(r.name() + ": not read"))
                                                        .toList())
                                : noMaster(alive)));
                return new Result(Optional.empty(), findings);
            }
        }
        ServerConfig m = master.get();
        List<ServerConfig> replicas =
                alive.stream().map(ServerRead::config).filter(c -> c != m).toList();
        return new Result(Optional.of(new Topology(m, replicas, unreachable, states)), findings);
    }

    /** Why no master could be made out of servers that all replicate: whom they replicate from. */
    private static String noMaster(List<ServerRead> alive) {
        List<String> sources =
                alive.stream().map(TopologyDiscovery::source).distinct().toList();
        if (sources.size() == 1) {
            return "no master found: every reachable server replicates from " + sources.get(0)
                    + ", which no server block of the configuration names (hostname or ip, and port)";
        }
        return "no master found: every reachable server replicates, and not from one common server ("
                + String.join(
                        ", ",
                        alive.stream().map(r -> r.name() + " from " + source(r)).toList()) + ")";
    }

    /** host:port of the server a replica replicates from, as it names it. */
    private static String source(ServerRead replica) {
        ReplicaStatus r = replica.state().orElseThrow().replica().orElseThrow();
        return r.sourceHost() + ":" + r.sourcePort();
    }

    /**
     * With no server free of replication, the master is either dead (every replica names the
     * same unreachable server) or part of a master-master pair (the replicas' common source).
     */
    private static Optional<ServerConfig> commonSource(List<ServerRead> reads, List<ServerRead> alive) {
        Optional<ServerConfig> common = Optional.empty();
        for (ServerRead r : alive) {
            Optional<ServerConfig> source = sourceOf(r.state().orElseThrow(), reads);
            if (source.isEmpty() || (common.isPresent() && common.get() != source.get())) {
                // Master-master: take the writable one if exactly one is.
                List<ServerRead> writable = alive.stream()
                        .filter(a -> a.state().orElseThrow().isWritable())
                        .toList();
                return writable.size() == 1 ? Optional.of(writable.get(0).config()) : Optional.empty();
            }
            common = source;
        }
        return common;
    }

    /** The configured server a replica replicates from, if it is one of ours. */
    public static Optional<ServerConfig> sourceOf(ServerState replica, List<ServerRead> reads) {
        ReplicaStatus r = replica.replica().orElseThrow();
        if (r.sourceServerId() > 0) {
            Optional<ServerConfig> byId = reads.stream()
                    .filter(x -> x.state()
                            .map(s -> s.serverId() == r.sourceServerId())
                            .orElse(false))
                    .filter(x -> x.config().port() == r.sourcePort())
                    .map(ServerRead::config)
                    .findFirst();
            if (byId.isPresent()) {
                return byId;
            }
        }
        return reads.stream()
                .map(ServerRead::config)
                .filter(c -> c.port() == r.sourcePort()
                        && (c.hostname().equalsIgnoreCase(r.sourceHost())
                                || c.address().equalsIgnoreCase(r.sourceHost())))
                .findFirst();
    }
}
