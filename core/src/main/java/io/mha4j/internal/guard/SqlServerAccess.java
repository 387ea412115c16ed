package io.mha4j.internal.guard;

import io.mha4j.Mha4jException;
import io.mha4j.TopologyRewirer;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FollowRequest;
import io.mha4j.gtid.GtidSet;
import io.mha4j.guard.GuardedRole;
import io.mha4j.internal.failover.BinlogCompensator;
import io.mha4j.remote.RemoteShell;
import io.mha4j.remote.RemoteShells;
import io.mha4j.server.BinlogPosition;
import io.mha4j.server.Dialect;
import io.mha4j.server.GtidStart;
import io.mha4j.server.ReplicationSource;
import io.mha4j.server.Row;
import io.mha4j.server.ServerConnection;
import io.mha4j.server.ServerState;
import io.mha4j.server.SqlStatement;
import io.mha4j.time.Scheduler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The guard's {@link ServerAccess} over JDBC (the configured admin user) and the remote shells. */
public final class SqlServerAccess implements ServerAccess {
    private final Scheduler time;
    private final Clock clock;
    private final RemoteShells shells;
    private final TopologyRewirer rewirer;
    private final Duration applyTimeout;

    /** @param time the guard's clock, and where a rejoining replica's wait pauses */
    public SqlServerAccess(Scheduler time, RemoteShells shells, TopologyRewirer rewirer, Duration applyTimeout) {
        this.time = time;
        this.clock = time.clock();
        this.shells = shells;
        this.rewirer = rewirer;
        this.applyTimeout = applyTimeout;
    }

    @Override
    public Link open(ServerConfig server) {
        return new SqlLink(ServerConnection.open(server, clock));
    }

    @Override
    public ServerState readMaster(ServerConfig master) {
        try (ServerConnection c = ServerConnection.open(master, clock)) {
            return c.readState();
        }
    }

    /**
     * How {@code server} reaches the master: {@code repl_user} (or the user it replicated with
     * before) and {@code repl_password}.
     */
    static ReplicationSource source(ServerConfig server, ServerConfig master, ServerState state) {
        String user = master.replUser()
                .or(() -> state.replica().map(r -> r.sourceUser()).filter(u -> !u.isBlank()))
                .orElseThrow(() -> new Mha4jException("repl_user is not set: " + server.displayName()
                        + " cannot be pointed at " + master.displayName()));
        return new ReplicationSource(
                master.address(),
                master.port(),
                user,
                master.replPassword()
                        .orElseThrow(() -> new Mha4jException("repl_password is not set: " + server.displayName()
                                + " cannot be pointed at " + master.displayName())));
    }

    private final class SqlLink implements Link {
        private final ServerConnection c;

        SqlLink(ServerConnection c) {
            this.c = c;
        }

        @Override
        public ServerState read() {
            return c.readState();
        }

        /** {@code SLEEP} in the server: a killed or restarted server breaks it at once. */
        @Override
        public void hold(Duration max) {
            c.query(SqlStatement.of("SELECT SLEEP("
                    + java.math.BigDecimal.valueOf(max.toMillis())
                            .movePointLeft(3)
                            .toPlainString() + ") AS slept"));
        }

        @Override
        public Fence.Result fence() {
            return Fence.run(c, clock);
        }

        @Override
        public void rejoin(GuardedRole role, ServerConfig master, ServerState state) {
            ReplicationSource source = source(c.config(), master, state);
            if (role == GuardedRole.REPLICA) {
                rewirer.follow(new FollowRequest(c, source, GtidStart.REPLICATED, applyTimeout, time));
                return;
            }
            // What the logged rejoin statement says, as a human would run it: MariaDB's slave_pos
            // (what the rewirer uses for replicas) lacks an old master's own writes.
            Dialect d = c.dialect();
            c.execute(d.stopReplica());
            c.execute(d.changeSourceByGtid(source, GtidStart.EVERYTHING_EXECUTED));
            c.execute(d.startReplica());
        }

        @Override
        public String rejoinStatement(ServerConfig master, ServerState state) {
            // Rendered in this server's own dialect: it is the server that runs it.
            return rewirer.rejoinStatement(c, source(c.config(), master, state));
        }

        @Override
        public void saveTransactions(GtidSet have, Path file) {
            ServerConfig server = c.config();
            List<Row> logs = c.query(SqlStatement.of("SHOW BINARY LOGS"));
            if (logs.isEmpty()) {
                throw new Mha4jException(server.displayName() + " has no binary log to save its transactions from");
            }
            RemoteShell shell = shells.shellFor(server);
            List<String> binlogs = BinlogCompensator.binlogsFrom(
                    shell, server, new BinlogPosition(logs.get(0).text("Log_name"), 4));
            if (binlogs.isEmpty()) {
                throw new Mha4jException(
                        server.displayName() + ": no binary log " + logs.get(0).text("Log_name")
                                + " or later in master_binlog_dir " + String.join(",", server.masterBinlogDirs()));
            }
            BinlogCompensator.saveTransactions(shell, server, server.displayName(), c.dialect(), have, binlogs, file);
        }

        @Override
        public void close() {
            c.close();
        }
    }
}
