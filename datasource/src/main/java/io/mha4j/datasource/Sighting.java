package io.mha4j.datasource;

import io.mha4j.config.ServerConfig;
import io.mha4j.server.ReplicaReading;
import io.mha4j.server.ServerState;
import java.util.Optional;

/**
 * One read of a server by the self-discovering source: whether it answered, whether it takes writes
 * ({@code read_only} and {@code super_read_only} off), and whom it replicates from.
 *
 * @param unreadable why it could not be read; empty when it answered
 * @param serverId its {@code server_id}, 0 when unread
 * @param upstream the source its replication is configured from, running or not; empty when it
 *     replicates from nobody: no replica status at all, as a promotion leaves it ({@code RESET SLAVE
 *     ALL}). A replica whose threads are stopped still has one: a writable replica that a failover is
 *     recovering or rewiring must not look like a master
 * @param reading what its replication says of it as a place to read from
 */
record Sighting(
        ServerConfig server,
        Optional<String> unreadable,
        boolean writable,
        long serverId,
        Optional<Upstream> upstream,
        ReplicaReading reading) {

    /** A replica's source as its replica status names it; {@code serverId} 0 before it first connected. */
    record Upstream(String host, int port, long serverId) {}

    static Sighting of(ServerConfig server, ServerState state) {
        Optional<Upstream> upstream =
                state.replica().map(r -> new Upstream(r.sourceHost(), r.sourcePort(), r.sourceServerId()));
        return new Sighting(
                server, Optional.empty(), state.isWritable(), state.serverId(), upstream, ReplicaReading.of(state));
    }

    static Sighting unreadable(ServerConfig server, String why) {
        return new Sighting(
                server, Optional.of(why), false, 0, Optional.empty(), ReplicaReading.broken("unreadable: " + why));
    }

    /** Answered, takes writes and replicates from nobody: a master, if it is the only one. */
    boolean mayBeMaster() {
        return unreadable.isEmpty() && writable && upstream.isEmpty();
    }

    /** Whether it replicates from {@code source} (seen as {@code sourceSighting}, which may be unreadable). */
    boolean replicatesFrom(Sighting source) {
        if (upstream.isEmpty() || source.server().block().equals(server.block())) {
            return false;
        }
        Upstream u = upstream.get();
        if (u.serverId() != 0 && source.serverId() != 0) {
            return u.serverId() == source.serverId();
        }
        ServerConfig s = source.server();
        return u.port() == s.port() && (u.host().equals(s.address()) || u.host().equals(s.hostname()));
    }

    /** For the log: {@code server2 replicates from 127.0.0.1:3306}. */
    String describe() {
        String what = unreadable
                .map(w -> "unreadable (" + w + ")")
                .orElseGet(() -> (writable ? "writable" : "read-only")
                        + upstream.map(u -> ", replicates from " + u.host() + ":" + u.port())
                                .orElse(""));
        return server.block() + " " + what;
    }
}
