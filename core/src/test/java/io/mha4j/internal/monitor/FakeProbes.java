package io.mha4j.internal.monitor;

import io.mha4j.config.ServerConfig;
import io.mha4j.monitor.MonitorProbes;
import io.mha4j.monitor.PingOutcome;
import io.mha4j.monitor.ReplicaSample;
import io.mha4j.server.BinlogPosition;
import io.mha4j.server.HeartbeatStatus;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.ReplicationError;
import io.mha4j.server.ReplicationFilters;
import io.mha4j.server.SqlFailure;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scripted observations: the master's ping answer, each replica's state (set per replica; an
 * "advancing" replica receives one more heartbeat at every read), SSH and the secondary check.
 */
class FakeProbes implements MonitorProbes {

    /**
     * How a fake replica looks when read. FROZEN does not answer at all (a SIGSTOPped server):
     * the read blocks until the monitor gives up on it.
     */
    enum Replica {
        UNREADABLE,
        FROZEN,
        NOT_A_REPLICA,
        STOPPED,
        CONNECTING,
        CONNECTED_SILENT,
        CONNECTED_ADVANCING
    }

    /** The servers' default {@code MASTER_HEARTBEAT_PERIOD}: too slow to prove anything within seconds. */
    static final Duration DEFAULT_HEARTBEAT_PERIOD = Duration.ofSeconds(30);

    private final Clock clock;
    private volatile SqlFailure.Kind failure;
    private volatile int errorCode;
    private final Map<String, Replica> replicas = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> heartbeats = new ConcurrentHashMap<>();
    private final Map<String, Duration> heartbeatPeriods = new ConcurrentHashMap<>();
    private final java.util.Deque<Optional<Boolean>> ssh =
            new java.util.concurrent.ConcurrentLinkedDeque<>(java.util.List.of(Optional.of(true)));
    private volatile OptionalInt secondary = OptionalInt.empty();
    final AtomicInteger pings = new AtomicInteger();
    final java.util.Set<String> replicasRead = ConcurrentHashMap.newKeySet();
    final AtomicInteger secondaryRuns = new AtomicInteger();
    final AtomicInteger sshRuns = new AtomicInteger();
    volatile boolean closed;

    FakeProbes(Clock clock) {
        this.clock = clock;
    }

    FakeProbes alive() {
        failure = null;
        errorCode = 0;
        return this;
    }

    FakeProbes failing(SqlFailure.Kind kind) {
        failure = kind;
        errorCode = 0;
        return this;
    }

    /** The server answers the connect with an error number (e.g. 1040 too many connections). */
    FakeProbes refusingWith(int code) {
        failure = code == 1045 ? SqlFailure.Kind.ACCESS_DENIED : SqlFailure.Kind.OTHER;
        errorCode = code;
        return this;
    }

    FakeProbes replica(ServerConfig replica, Replica state) {
        replicas.put(replica.block(), state);
        return this;
    }

    /** The replica's {@code MASTER_HEARTBEAT_PERIOD} (default 30 s). */
    FakeProbes heartbeatPeriod(ServerConfig replica, Duration period) {
        heartbeatPeriods.put(replica.block(), period);
        return this;
    }

    /** What SSH answers, call after call; the last answer repeats. */
    @SafeVarargs
    final FakeProbes ssh(Optional<Boolean>... answers) {
        ssh.clear();
        ssh.addAll(java.util.List.of(answers));
        return this;
    }

    FakeProbes secondary(int exitCode) {
        this.secondary = OptionalInt.of(exitCode);
        return this;
    }

    @Override
    public PingOutcome ping() {
        pings.incrementAndGet();
        SqlFailure.Kind kind = failure;
        if (kind == null) {
            return PingOutcome.success(clock.instant(), "ping(SELECT) succeeded", Duration.ofMillis(1));
        }
        return PingOutcome.failed(
                clock.instant(),
                new SqlFailure(
                        "master",
                        null,
                        kind,
                        errorCode,
                        null,
                        kind.name().toLowerCase().replace('_', ' '),
                        null),
                Duration.ofMillis(1));
    }

    @Override
    public ReplicaSample readReplica(ServerConfig replica) {
        replicasRead.add(replica.block());
        Replica state = replicas.getOrDefault(replica.block(), Replica.CONNECTING);
        String name = replica.displayName();
        long hb = heartbeats
                .computeIfAbsent(replica.block(), k -> new AtomicInteger())
                .get();
        Duration period = heartbeatPeriods.getOrDefault(replica.block(), DEFAULT_HEARTBEAT_PERIOD);
        return switch (state) {
            case UNREADABLE ->
                throw new SqlFailure(name, null, SqlFailure.Kind.TIMEOUT, 0, null, "no answer in time", null);
            case FROZEN -> frozen(name);
            case NOT_A_REPLICA -> new ReplicaSample(name, Optional.empty(), OptionalLong.empty());
            case STOPPED -> sample(name, ReplicaStatus.IoThread.STOPPED, hb, period);
            case CONNECTING -> sample(name, ReplicaStatus.IoThread.CONNECTING, hb, period);
            case CONNECTED_SILENT -> sample(name, ReplicaStatus.IoThread.RUNNING, hb, period);
            case CONNECTED_ADVANCING ->
                sample(
                        name,
                        ReplicaStatus.IoThread.RUNNING,
                        heartbeats.get(replica.block()).incrementAndGet(),
                        period);
        };
    }

    private static ReplicaSample frozen(String name) {
        try {
            new java.util.concurrent.CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new SqlFailure(name, null, SqlFailure.Kind.TIMEOUT, 0, null, "interrupted while frozen", null);
    }

    static ReplicaSample sample(String name, ReplicaStatus.IoThread io, long heartbeats, Duration period) {
        return new ReplicaSample(
                name,
                Optional.of(status(io, 1234)),
                new HeartbeatStatus(
                        OptionalLong.of(heartbeats), Optional.of(period), Optional.of(Duration.ofSeconds(60))));
    }

    static ReplicaStatus status(ReplicaStatus.IoThread io, long readPosition) {
        return new ReplicaStatus(
                "127.0.0.1",
                3306,
                "repl",
                io,
                true,
                Optional.of(new BinlogPosition("mysql-bin.000001", readPosition)),
                Optional.of(new BinlogPosition("mysql-bin.000001", readPosition)),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                ReplicaStatus.Positioning.GTID_REPLICATED_POSITION,
                OptionalLong.of(0),
                0,
                io == ReplicaStatus.IoThread.RUNNING ? ReplicationError.NONE : new ReplicationError(2003, "refused"),
                ReplicationError.NONE,
                1,
                "",
                ReplicationFilters.NONE);
    }

    @Override
    public Optional<Boolean> sshReachable() {
        sshRuns.incrementAndGet();
        return ssh.size() > 1 ? ssh.poll() : ssh.peek();
    }

    @Override
    public OptionalInt secondaryCheck() {
        if (secondary.isPresent()) {
            secondaryRuns.incrementAndGet();
        }
        return secondary;
    }

    @Override
    public void close() {
        closed = true;
    }
}
