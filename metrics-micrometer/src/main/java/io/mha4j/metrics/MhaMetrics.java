package io.mha4j.metrics;

import io.mha4j.check.Topology;
import io.mha4j.config.ServerConfig;
import io.mha4j.manager.ManagerEvent;
import io.mha4j.manager.ManagerListener;
import io.mha4j.manager.MhaManager;
import io.mha4j.monitor.MonitorListener;
import io.mha4j.monitor.PingOutcome;
import io.mha4j.monitor.VerdictKind;
import io.mha4j.server.ReplicaStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A manager's work as Micrometer meters, every one tagged {@code application}:
 *
 * <ul>
 *   <li>{@code mha4j.ping} (timer; {@code result}=ok|failed): each ping of the master;
 *   <li>{@code mha4j.verdicts} (counter; {@code kind}): each new verdict of the monitor;
 *   <li>{@code mha4j.master.alive} (gauge): 1 while the monitor's verdict is ALIVE, 0 otherwise;
 *   <li>{@code mha4j.failovers} (timer; {@code outcome}): each failover, its whole duration;
 *   <li>{@code mha4j.failover.phase} (timer; {@code phase}): each phase of a failover;
 *   <li>{@code mha4j.failovers.blocked} (counter): failovers the anti-flap rule refused;
 *   <li>{@code mha4j.failovers.withheld} (counter; {@code reason}=STANDING_BY|CUT_OFF|DISAGREEMENT):
 *       dead-master verdicts a manager of several did not act on; alert on {@code CUT_OFF} (nobody may
 *       fail over), the others are routine;
 *   <li>{@code mha4j.failover.last} (gauge, seconds since the epoch): when the last failover ended;
 *   <li>{@code mha4j.replica.lag} (gauge, seconds; {@code server}): each replica's
 *       {@code Seconds_Behind_Master} as the manager's last check of replication read it (at start,
 *       and after each failover or rejoin), NaN when unknown or when the server left the topology;
 *   <li>{@code mha4j.guard.actions} (counter; {@code kind}): what the guard of returning servers did.
 * </ul>
 *
 * <pre>{@code
 * MhaMetrics metrics = MhaMetrics.of(registry, app.name());
 * MhaManager manager = metrics.bind(MhaManager.builder(app).workdir(dir)).build();
 * }</pre>
 *
 * <p>Pings are recorded on the monitor's thread (a timer's record is cheap and never blocks);
 * everything else, verdicts included, on the manager's event thread, in the order it happened. One
 * instance per application and registry: a second one for the same application would find the
 * first one's gauges registered, still showing the first one's values.
 */
public final class MhaMetrics implements ManagerListener, MonitorListener {
    private final MeterRegistry registry;
    private final Tags tags;
    private final Timer pingOk;
    private final Timer pingFailed;
    private final Counter blocked;
    /** Bits of a double: 1 alive, 0 not, NaN before the first verdict. */
    private final AtomicLong alive = new AtomicLong(Double.doubleToLongBits(Double.NaN));

    private final AtomicLong lastFailover = new AtomicLong(Double.doubleToLongBits(Double.NaN));
    /** Per server block: bits of a double, lag in seconds or NaN. */
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();

    private MhaMetrics(MeterRegistry registry, String application) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Tags.of("application", Objects.requireNonNull(application, "application"));
        this.pingOk = Timer.builder("mha4j.ping")
                .description("Pings of the master")
                .tags(tags)
                .tag("result", "ok")
                .register(registry);
        this.pingFailed = Timer.builder("mha4j.ping")
                .description("Pings of the master")
                .tags(tags)
                .tag("result", "failed")
                .register(registry);
        this.blocked = Counter.builder("mha4j.failovers.blocked")
                .description("Failovers the anti-flap rule refused")
                .tags(tags)
                .register(registry);
        gauge("mha4j.master.alive", "1 while the monitor's verdict on the master is ALIVE", Tags.empty(), alive);
        gauge(
                "mha4j.failover.last",
                "When the last failover ended, in seconds since the epoch",
                Tags.empty(),
                lastFailover);
    }

    /** Meters in {@code registry} for the application {@code application} (its configuration's name). */
    public static MhaMetrics of(MeterRegistry registry, String application) {
        return new MhaMetrics(registry, application);
    }

    /** Adds these meters to a manager as both its event listener and its monitor listener. */
    public MhaManager.Builder bind(MhaManager.Builder manager) {
        return manager.listener(this).monitorListener(this);
    }

    @Override
    public void onPing(PingOutcome outcome) {
        (outcome.ok() ? pingOk : pingFailed).record(outcome.took());
    }

    @Override
    public void onEvent(ManagerEvent event) {
        if (event instanceof ManagerEvent.VerdictChanged v) {
            // From the event thread, not the monitor's: ordered with MonitoringStarted and Stopped.
            Counter.builder("mha4j.verdicts")
                    .description("New verdicts of the monitor on the master")
                    .tags(tags)
                    .tag("kind", v.verdict().kind().name())
                    .register(registry)
                    .increment();
            set(alive, v.verdict().kind() == VerdictKind.ALIVE ? 1 : 0);
        } else if (event instanceof ManagerEvent.Stopped) {
            set(alive, Double.NaN);
            lag.values().forEach(value -> set(value, Double.NaN));
        } else if (event instanceof ManagerEvent.Checked c) {
            c.health().topology().ifPresent(this::replicaLag);
        } else if (event instanceof ManagerEvent.MonitoringStarted) {
            set(alive, 1);
        } else if (event instanceof ManagerEvent.PhaseEnded p) {
            Timer.builder("mha4j.failover.phase")
                    .description("Phases of failovers")
                    .tags(tags)
                    .tag("phase", p.phase().name())
                    .register(registry)
                    .record(p.took());
        } else if (event instanceof ManagerEvent.FailoverEnded f) {
            Timer.builder("mha4j.failovers")
                    .description("Failovers, from the first phase to the report")
                    .tags(tags)
                    .tag("outcome", f.report().outcome().name())
                    .register(registry)
                    .record(f.report().duration());
            set(lastFailover, f.report().endedAt().toEpochMilli() / 1000.0);
        } else if (event instanceof ManagerEvent.FailoverBlocked) {
            blocked.increment();
        } else if (event instanceof ManagerEvent.FailoverWithheld w) {
            Counter.builder("mha4j.failovers.withheld")
                    .description("Dead-master verdicts this manager did not act on (several managers)")
                    .tags(tags)
                    .tag("reason", w.reason().name())
                    .register(registry)
                    .increment();
        } else if (event instanceof ManagerEvent.GuardActed g) {
            Counter.builder("mha4j.guard.actions")
                    .description("What the guard of returning servers did")
                    .tags(tags)
                    .tag("kind", g.event().kind().name())
                    .register(registry)
                    .increment();
        }
    }

    /** Every server the check read: a replica's lag, NaN for the master and for servers left out. */
    private void replicaLag(Topology topology) {
        lag.values().forEach(v -> set(v, Double.NaN));
        for (ServerConfig replica : topology.replicas()) {
            OptionalLong seconds = topology.state(replica)
                    .flatMap(s -> s.replica())
                    .map(ReplicaStatus::secondsBehindSource)
                    .orElse(OptionalLong.empty());
            AtomicLong value = lag.computeIfAbsent(replica.block(), block -> {
                AtomicLong v = new AtomicLong(Double.doubleToLongBits(Double.NaN));
                gauge(
                        "mha4j.replica.lag",
                        "Seconds_Behind_Master at the manager's last check",
                        Tags.of("server", block),
                        v);
                return v;
            });
            set(value, seconds.isPresent() ? seconds.getAsLong() : Double.NaN);
        }
    }

    private void gauge(String name, String description, Tags extra, AtomicLong bits) {
        Gauge.builder(name, bits, b -> Double.longBitsToDouble(b.get()))
                .description(description)
                .tags(tags)
                .tags(extra)
                .strongReference(true)
                .register(registry);
    }

    private static void set(AtomicLong bits, double value) {
        bits.set(Double.doubleToLongBits(value));
    }
}
