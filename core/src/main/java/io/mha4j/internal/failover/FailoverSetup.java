package io.mha4j.internal.failover;

import io.mha4j.DataCompensator;
import io.mha4j.MasterElector;
import io.mha4j.Mha4jException;
import io.mha4j.TopologyRewirer;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Secret;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.Candidate;
import io.mha4j.failover.Election;
import io.mha4j.failover.ElectionContext;
import io.mha4j.failover.FollowRequest;
import io.mha4j.remote.RemoteShells;
import io.mha4j.server.GtidStart;
import io.mha4j.server.ReplicationSource;
import io.mha4j.server.ServerConnection;
import io.mha4j.time.Scheduler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * What every phase of one failover works with.
 *
 * @param config the application
 * @param time the failover's clock, and where its waits pause ({@link Await}): virtual in tests
 * @param connector how servers are reached: JDBC, or scripted sessions in tests
 * @param pool runs per-server work in parallel
 * @param shells remote shells to the database hosts
 * @param workdir the manager's working directory
 * @param elector chooses the new master
 * @param compensator recovers what only the dead master had
 * @param rewirer changes replication
 * @param hooks fence, move the VIP, report
 * @param applyTimeout how long a replica may take to apply its relay log, or to catch up
 */
public record FailoverSetup(
        ApplicationConfig config,
        Scheduler time,
        Connector connector,
        ExecutorService pool,
        RemoteShells shells,
        Path workdir,
        MasterElector elector,
        DataCompensator compensator,
        TopologyRewirer rewirer,
        HookChain hooks,
        Duration applyTimeout) {

    public Clock clock() {
        return time.clock();
    }

    /** Points {@code replica} at {@code source} with the rewirer, waiting up to {@code apply_timeout} on {@link #time}. */
    public void follow(ServerConnection replica, ReplicationSource source) {
        follow(replica, source, GtidStart.REPLICATED);
    }

    /** {@link #follow(ServerConnection, ReplicationSource)} resuming after what {@code start} says. */
    public void follow(ServerConnection replica, ReplicationSource source, GtidStart start) {
        rewirer.follow(new FollowRequest(replica, source, start, applyTimeout, time));
    }

    /** Asks the elector, with everything {@link ElectionContext} carries. */
    public Election elect(
            ServerConfig master,
            ElectionContext.Purpose purpose,
            List<Candidate> candidates,
            Optional<Election> previous) {
        return elector.elect(new ElectionContext(config, master, purpose, candidates, previous));
    }

    /**
     * How replicas reach {@code server}: its address and port, as {@code repl_user} (default: the
     * user the replicas used so far) with {@code repl_password}.
     */
    public ReplicationSource sourceOf(ServerConfig server, List<Survivor> replicas) {
        String user = server.replUser()
                .or(() -> replicas.stream()
                        .flatMap(s -> s.state().replica().stream())
                        .map(r -> r.sourceUser())
                        .filter(u -> !u.isBlank())
                        .findFirst())
                .orElseThrow(
                        () -> new Mha4jException("repl_user is not set and no replica shows its replication user"));
        Secret password = server.replPassword()
                .orElseThrow(() -> new Mha4jException(
                        "repl_password is not set: replicas cannot be pointed at " + server.displayName()));
        return new ReplicationSource(server.address(), server.port(), user, password);
    }
}
