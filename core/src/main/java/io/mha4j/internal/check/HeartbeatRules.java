package io.mha4j.internal.check;

import io.mha4j.check.Finding;
import io.mha4j.check.FindingKind;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.internal.dialect.Dialects;
import io.mha4j.internal.monitor.HeartbeatEvidence;
import io.mha4j.server.Dialect;
import io.mha4j.server.HeartbeatStatus;
import io.mha4j.server.ServerState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * check_repl's rules on heartbeats as evidence: whether each replica's heartbeat period lets
 * the monitor prove a silent master by its first judgement ({@link HeartbeatEvidence}, the
 * rule the monitor judges by), with the statement that fixes it; and whether its {@code
 * slave_net_timeout} makes it notice a silent master late.
 */
final class HeartbeatRules {
    private HeartbeatRules() {}

    /** Slower than this, a replica notices a silent master late where heartbeats cannot prove it (the default). */
    static final Duration LONG_NET_TIMEOUT = Duration.ofSeconds(60);

    static List<Finding> evaluate(
            ApplicationConfig config, Map<ServerConfig, ServerState> replicas, List<ServerRead> reads) {
        List<Finding> findings = new ArrayList<>();
        Duration ping = config.pingInterval();
        int limit = config.pingFailureLimit();
        Duration observed = HeartbeatEvidence.observedByJudgement(ping, limit);
        Duration advised = HeartbeatEvidence.periodFor(ping, limit);
        for (ServerRead r : reads) {
            ServerState s = replicas.get(r.config());
            if (s == null || r.heartbeat().isEmpty()) {
                continue;
            }
            HeartbeatStatus h = r.heartbeat().get();
            String name = r.config().displayName();
            Optional<Duration> period = h.period();
            if (period.isEmpty()) {
                findings.add(
                        Finding.info(
                                FindingKind.TOPOLOGY,
                                r.config().block(),
                                name + ": its heartbeat"
                                        + " period is unknown (performance_schema off?): its silence is no evidence of the master's"));
            } else if (!HeartbeatEvidence.judgeable(period.get(), ping, limit)) {
                Dialect d = Dialects.forVersion(s.version());
                findings.add(Finding.warning(
                        FindingKind.HEARTBEAT_TOO_SLOW,
                        r.config().block(),
                        name + ": "
                                + (period.get().isZero()
                                        ? "heartbeats are off"
                                        : "a heartbeat every " + HeartbeatStatus.describe(period.get()))
                                + " proves nothing within the " + HeartbeatStatus.describe(observed)
                                + " the monitor watches"
                                + " replicas before it judges (ping_interval × (ping_failure_limit − 1)): a manager cut off"
                                + " from an idle master cannot tell it from a dead one, and a silent master waits for the"
                                + " replicas' slave_net_timeout. Fix: "
                                + d.stopReplica().sql() + "; "
                                + d.changeHeartbeatPeriod(advised).sql() + "; "
                                + d.startReplica().sql() + ";"));
            } else {
                findings.add(Finding.info(
                        FindingKind.TOPOLOGY,
                        r.config().block(),
                        name + ": a heartbeat"
                                + " every " + HeartbeatStatus.describe(period.get())
                                + ": its silence proves a silent master"
                                + " within " + HeartbeatStatus.describe(HeartbeatEvidence.silenceProof(period.get()))));
            }
            h.netTimeout()
                    .filter(t -> t.compareTo(LONG_NET_TIMEOUT) > 0)
                    .ifPresent(t -> findings.add(Finding.warning(
                            FindingKind.NET_TIMEOUT_LONG,
                            r.config().block(),
                            name + ": slave_net_timeout="
                                    + t.toSeconds()
                                    + ": where heartbeats cannot prove a silent master, it notices a master"
                                    + " that stops answering without closing the connection (powered off, cut off, frozen)"
                                    + " only after that long, and the failover waits for it. "
                                    + LONG_NET_TIMEOUT.toSeconds()
                                    + " or less is advised (SET GLOBAL slave_net_timeout="
                                    + LONG_NET_TIMEOUT.toSeconds()
                                    + ", and in my.cnf)")));
        }
        return findings;
    }
}
