package io.mha4j.internal.failover;

import io.mha4j.server.ServerConnection;
import io.mha4j.server.SqlStatement;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The new master's {@code max_allowed_packet}, raised to the largest value both flavors accept
 * while the dead master's transactions are replayed on it, and set back afterwards. The binlog
 * tools print all the row events of one statement as one {@code BINLOG} statement (they need the
 * statement's table map): one 100,000-row {@code INSERT … SELECT} became a 28 MB statement, which
 * a server refuses above its {@code max_allowed_packet} (16 MiB by default) — the replay then ends
 * with {@code ERROR 2006 Server has gone away} and the failover fails (measured by hand; the
 * replicas' SQL threads, bounded by {@code slave_max_allowed_packet}, had no such limit). A
 * session takes the global value when it connects, so the limit is raised before any client
 * connects.
 */
final class PacketLimit implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PacketLimit.class);
    /** 1 GiB: the largest {@code max_allowed_packet} MySQL and MariaDB accept. */
    static final long LARGEST = 1L << 30;

    private final ServerConnection server;
    /** What it was before, or empty when it was not raised. */
    private final OptionalLong was;

    private PacketLimit(ServerConnection server, OptionalLong was) {
        this.server = server;
        this.was = was;
    }

    /**
     * Raises {@code server}'s global limit unless it is already the largest. A server that refuses
     * (no privilege) keeps its own: only a statement larger than it would then fail, as before.
     */
    static PacketLimit raise(ServerConnection server) {
        String name = server.config().displayName();
        try {
            long now = server.query(SqlStatement.of("SELECT @@GLOBAL.max_allowed_packet AS limit_bytes"))
                    .get(0)
                    .number("limit_bytes")
                    .orElse(LARGEST);
            if (now >= LARGEST) {
                return new PacketLimit(server, OptionalLong.empty());
            }
            server.execute(SqlStatement.of("SET GLOBAL max_allowed_packet = " + LARGEST));
            log.info(
                    "{}: max_allowed_packet raised from {} to {} while the dead master's transactions are replayed"
                            + " (a statement's row events are replayed as one statement)",
                    name,
                    now,
                    LARGEST);
            return new PacketLimit(server, OptionalLong.of(now));
        } catch (RuntimeException e) {
            log.warn(
                    "{}: cannot raise max_allowed_packet ({}): a statement whose row events exceed it cannot be"
                            + " replayed",
                    name,
                    e.getMessage());
            return new PacketLimit(server, OptionalLong.empty());
        }
    }

    /** Sets the limit back to what it was, if it was raised. */
    @Override
    public void close() {
        if (was.isEmpty()) {
            return;
        }
        String name = server.config().displayName();
        try {
            server.execute(SqlStatement.of("SET GLOBAL max_allowed_packet = " + was.getAsLong()));
            log.info("{}: max_allowed_packet set back to {}", name, was.getAsLong());
        } catch (RuntimeException e) {
            log.warn(
                    "{}: cannot set max_allowed_packet back to {} ({}): it stays {}",
                    name,
                    was.getAsLong(),
                    e.getMessage(),
                    LARGEST);
        }
    }
}
