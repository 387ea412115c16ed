package io.mha4j.internal.check;

import io.mha4j.check.Finding;
import io.mha4j.check.FindingKind;
import io.mha4j.check.Topology;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.gtid.GtidSet;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.ReplicationFilters;
import io.mha4j.server.ServerState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The rules check_repl applies to a topology, as pure functions of what was read: MHA's
 * (one master, threads running, same binlog format and filters, log-bin on candidates,
 * read_only and relay_log_purge on replicas) and those MHA lacks (errant transactions, GTID
 * mode, several writable servers).
 */
public final class ReplicationRules {
    private final ApplicationConfig config;
    private final Topology topology;
    private final List<ServerRead> reads;
    private final long lagLimitSeconds;
    private final boolean ignoreFailOnStart;
    private final List<Finding> findings = new ArrayList<>();

    private ReplicationRules(
            ApplicationConfig config,
            Topology topology,
            List<ServerRead> reads,
            long lagLimitSeconds,
            boolean ignoreFailOnStart) {
        this.config = config;
        this.topology = topology;
        this.reads = reads;
        this.lagLimitSeconds = lagLimitSeconds;
        this.ignoreFailOnStart = ignoreFailOnStart;
    }

    /**
     * @param masterAfterReplicas the master read again after every replica, so that a
     *     transaction committed during the check is not mistaken for an errant one
     * @param ignoreFailOnStart MHA's {@code --ignore_fail_on_start}: a dead server with
     *     {@code ignore_fail=1} is then a warning rather than an error
     */
    public static List<Finding> evaluate(
            ApplicationConfig config,
            Topology topology,
            List<ServerRead> reads,
            Optional<ServerState> masterAfterReplicas,
            long lagLimitSeconds,
            boolean ignoreFailOnStart) {
        ReplicationRules rules = new ReplicationRules(config, topology, reads, lagLimitSeconds, ignoreFailOnStart);
        rules.unreachableServers();
        if (topology.masterState().isEmpty()) {
            rules.findings.add(Finding.error(
                    FindingKind.MASTER_UNREACHABLE,
                    topology.master().block(),
                    "MySQL master is not currently alive! (" + topology.master().displayName() + ")"));
        }
        rules.writableServers();
        rules.replicaSources();
        rules.replicaThreads();
        rules.uniqueServerIds();
        rules.candidates();
        Map<ServerConfig, ServerState> all = rules.alive();
        rules.sameEverywhere(all, "binlog_format", FindingKind.BINLOG_FORMAT_DIFFERS, ServerState::binlogFormat);
        rules.sameEverywhere(
                all, "GTID mode", FindingKind.GTID_MODE_DIFFERS, s -> s.gtid().modeSignature());
        rules.gtidEnabled();
        if (config.checkReplFilter()) {
            // As MHA: binlog filters must match on every server, replicate filters on every replica.
            rules.sameEverywhere(
                    all,
                    "binlog filters",
                    FindingKind.FILTERS_DIFFER,
                    s -> describe(new ReplicationFilters(
                            s.binlogFilters().binlogDoDb(),
                            s.binlogFilters().binlogIgnoreDb(),
                            "",
                            "",
                            "",
                            "",
                            "",
                            "")));
            rules.sameEverywhere(
                    rules.aliveReplicas(),
                    "replication filters",
                    FindingKind.FILTERS_DIFFER,
                    s -> describe(s.filters().withoutBinlogFilters()));
        }
        rules.replicaSettings();
        rules.findings.addAll(HeartbeatRules.evaluate(config, rules.aliveReplicas(), reads));
        rules.lag();
        masterAfterReplicas.or(topology::masterState).ifPresent(rules::errantTransactions);
        return rules.findings;
    }

    private Map<ServerConfig, ServerState> alive() {
        Map<ServerConfig, ServerState> alive = new LinkedHashMap<>();
        reads.forEach(r -> r.state().ifPresent(s -> alive.put(r.config(), s)));
        return alive;
    }

    private Map<ServerConfig, ServerState> aliveReplicas() {
        Map<ServerConfig, ServerState> replicas = new LinkedHashMap<>();
        for (ServerConfig c : topology.replicas()) {
            topology.state(c).ifPresent(s -> replicas.put(c, s));
        }
        return replicas;
    }

    private void unreachableServers() {
        for (ServerConfig c : topology.unreachable()) {
            if (c == topology.master()) {
                continue;
            }
            String why = reads.stream()
                    .filter(r -> r.config() == c)
                    .findFirst()
                    .flatMap(ServerRead::failure)
                    .orElse("");
            findings.add(
                    c.ignoreFail() && ignoreFailOnStart
                            ? Finding.warning(
                                    FindingKind.SERVER_UNREACHABLE,
                                    c.block(),
                                    "Server " + c.displayName() + " is dead (ignore_fail=1, --ignore_fail_on_start): "
                                            + why)
                            : Finding.error(
                                    FindingKind.SERVER_UNREACHABLE,
                                    c.block(),
                                    "Server " + c.displayName()
                                            + " is dead, but must be alive! Check server settings. (" + why + ")"));
        }
    }

    private void writableServers() {
        List<String> writable = alive().entrySet().stream()
                .filter(e -> e.getValue().isWritable())
                .map(e -> e.getKey().displayName())
                .toList();
        if (writable.size() > 1) {
            findings.add(Finding.error(
                    FindingKind.SEVERAL_WRITABLE,
                    null,
                    writable.size() + " servers are writable ("
                            + String.join(", ", writable) + "); only the master "
                            + topology.master().displayName()
                            + " may be: set read_only=1 on the others"));
        }
    }

    private void replicaSources() {
        aliveReplicas().forEach((c, s) -> {
            ReplicaStatus r = s.replica().orElseThrow();
            Optional<ServerConfig> source = TopologyDiscovery.sourceOf(s, reads);
            if (source.isEmpty()) {
                findings.add(Finding.error(
                        FindingKind.UNKNOWN_SOURCE,
                        c.block(),
                        "Slave " + c.displayName() + " replicates from " + r.source()
                                + ", which is not a server of this configuration!"));
            } else if (source.get() != topology.master()) {
                boolean tiered = config.multiTierSlave() && source.get() != c;
                if (tiered) {
                    findings.add(Finding.info(
                            FindingKind.TOPOLOGY,
                            c.block(),
                            c.displayName() + " replicates from " + source.get().displayName()
                                    + " (multi_tier_slave=1)"));
                    ServerState middle = topology.state(source.get()).orElse(null);
                    if (middle != null && !middle.logReplicaUpdates()) {
                        findings.add(Finding.error(
                                FindingKind.LOG_SLAVE_UPDATES_OFF,
                                source.get().block(),
                                source.get().displayName() + " serves " + c.displayName()
                                        + " but log_slave_updates is off: that replica receives nothing"));
                    }
                } else {
                    findings.add(Finding.error(
                            FindingKind.WRONG_SOURCE,
                            c.block(),
                            "Slave " + c.displayName()
                                    + " replicates from " + r.source() + ", but real master is "
                                    + topology.master().displayName() + "!"));
                }
            }
        });
    }

    private void replicaThreads() {
        aliveReplicas().forEach((c, s) -> {
            ReplicaStatus r = s.replica().orElseThrow();
            if (r.ioThread() != ReplicaStatus.IoThread.RUNNING) {
                findings.add(Finding.error(
                        FindingKind.IO_THREAD_NOT_RUNNING,
                        c.block(),
                        "Slave IO thread is not running on "
                                + c.displayName() + " (" + r.ioThread().name().toLowerCase()
                                + (r.lastIoError().isPresent() ? ", " + r.lastIoError() : "") + ")"));
            } else if (r.lastIoError().isPresent()) {
                findings.add(Finding.warning(
                        FindingKind.REPLICATION_ERROR,
                        c.block(),
                        c.displayName() + ": replica IO thread reported " + r.lastIoError()));
            }
            if (!r.sqlThreadRunning()) {
                findings.add(Finding.error(
                        FindingKind.SQL_THREAD_NOT_RUNNING,
                        c.block(),
                        "Slave SQL thread is not running on " + c.displayName()
                                + (r.lastSqlError().isPresent() ? " (" + r.lastSqlError() + ")" : "")));
            } else if (r.lastSqlError().isPresent()) {
                findings.add(Finding.error(
                        FindingKind.REPLICATION_ERROR,
                        c.block(),
                        c.displayName() + ": replica SQL thread reported " + r.lastSqlError()));
            }
        });
    }

    private void uniqueServerIds() {
        Map<Long, ServerConfig> seen = new LinkedHashMap<>();
        alive().forEach((c, s) -> {
            ServerConfig other = seen.putIfAbsent(s.serverId(), c);
            if (other != null) {
                findings.add(Finding.error(
                        FindingKind.DUPLICATE_SERVER_ID,
                        c.block(),
                        c.displayName() + " has server_id " + s.serverId() + ", as " + other.displayName()));
            }
        });
    }

    private void candidates() {
        int eligible = 0;
        for (Map.Entry<ServerConfig, ServerState> e : aliveReplicas().entrySet()) {
            ServerConfig c = e.getKey();
            ServerState s = e.getValue();
            if (c.noMaster()) {
                continue;
            }
            if (!s.logBin()) {
                findings.add(Finding.error(
                        FindingKind.LOG_BIN_OFF,
                        c.block(),
                        "log-bin is not set on slave "
                                + c.displayName()
                                + ". This host cannot be a master: turn log_bin on, or set no_master=1 in ["
                                + c.block() + "]"));
                continue;
            }
            eligible++;
            if (!s.logReplicaUpdates()) {
                findings.add(Finding.warning(
                        FindingKind.LOG_SLAVE_UPDATES_OFF,
                        c.block(),
                        c.displayName()
                                + ": log_slave_updates is off; if it becomes master, replicas behind it cannot catch up from"
                                + " its binary log"));
            }
        }
        if (eligible == 0 && !aliveReplicas().isEmpty()) {
            findings.add(Finding.error(
                    FindingKind.NO_CANDIDATE,
                    null,
                    "None of slaves can be master. Check failover configuration file or log-bin settings in my.cnf"));
        }
    }

    private void sameEverywhere(
            Map<ServerConfig, ServerState> servers,
            String what,
            FindingKind kind,
            Function<ServerState, String> property) {
        Map<String, List<String>> byValue = new LinkedHashMap<>();
        servers.forEach((c, s) -> byValue.computeIfAbsent(property.apply(s), v -> new ArrayList<>())
                .add(c.displayName()));
        if (byValue.size() > 1) {
            List<String> parts = new ArrayList<>();
            byValue.forEach((v, names) -> parts.add(String.join(", ", names) + ": " + (v.isEmpty() ? "(none)" : v)));
            findings.add(Finding.error(kind, null, what + " differ between servers; " + String.join("; ", parts)));
        }
    }

    private void gtidEnabled() {
        alive().forEach((c, s) -> {
            if (!s.gtid().enabled()) {
                findings.add(Finding.error(
                        FindingKind.GTID_OFF,
                        c.block(),
                        c.displayName() + ": GTID is off (" + s.gtid().modeSignature()
                                + "); mha4j fails over by GTID"));
            }
        });
    }

    /** Relay logs that cost a promotion about 0.4 s to delete (docs/measurements.md). */
    static final long LARGE_RELAY_LOGS = 1L << 30;

    private void replicaSettings() {
        aliveReplicas().forEach((c, s) -> {
            if (!s.readOnly()) {
                findings.add(Finding.warning(
                        FindingKind.NOT_READ_ONLY,
                        c.block(),
                        "read_only=1 is not set on slave " + c.displayName() + "; applications can write to it."));
            } else if (s.superReadOnly().filter(on -> !on).isPresent()) {
                findings.add(Finding.warning(
                        FindingKind.NOT_SUPER_READ_ONLY,
                        c.block(),
                        c.displayName() + ": super_read_only=0 on a replica; users with SUPER can write to it"));
            }
            if (s.relayLogPurge()) {
                findings.add(Finding.warning(
                        FindingKind.RELAY_LOG_PURGE_ON,
                        c.block(),
                        "relay_log_purge=0 is not set on slave " + c.displayName() + "."));
            }
            long relayLogs = s.replica().map(ReplicaStatus::relayLogSpace).orElse(0L);
            if (relayLogs >= LARGE_RELAY_LOGS) {
                findings.add(Finding.warning(
                        FindingKind.LARGE_RELAY_LOGS,
                        c.block(),
                        c.displayName() + ": its relay logs hold " + (relayLogs >> 20) + " MiB (Relay_Log_Space);"
                                + " promoting it deletes them before it takes writes (RESET SLAVE ALL, ~0.4 s per"
                                + " GiB measured), rewiring it deletes them too. mha4j reads no relay log: purge"
                                + " them regularly (with relay_log_purge=0, MHA's purge_relay_logs) or lower"
                                + " max_relay_log_size"));
            }
        });
    }

    private void lag() {
        aliveReplicas().forEach((c, s) -> {
            ReplicaStatus r = s.replica().orElseThrow();
            if (r.sqlDelaySeconds() > 0 && !c.noMaster()) {
                findings.add(Finding.warning(
                        FindingKind.DELAYED_REPLICA,
                        c.block(),
                        c.displayName()
                                + ": a delayed replica (SQL_Delay=" + r.sqlDelaySeconds() + ") that may become master;"
                                + " consider no_master=1"));
            }
            if (r.secondsBehindSource().isEmpty()) {
                return;
            }
            long lag = r.secondsBehindSource().getAsLong();
            findings.add(Finding.info(
                    FindingKind.REPLICATION_LAG,
                    c.block(),
                    c.displayName()
                            + ": Seconds_Behind_Master=" + lag
                            + (r.sqlDelaySeconds() > 0 ? " (SQL_Delay=" + r.sqlDelaySeconds() + ")" : "")));
            if (lag > lagLimitSeconds) {
                findings.add(Finding.error(
                        FindingKind.REPLICATION_LAG,
                        c.block(),
                        "Slave is currently behind " + lag
                                + " seconds on " + c.displayName() + " (limit " + lagLimitSeconds + ")"
                                + (c.candidateMaster() && c.checkReplDelay()
                                        ? "; as candidate_master with check_repl_delay=1 it would not be elected"
                                        : "")));
            }
        });
    }

    private void errantTransactions(ServerState master) {
        GtidSet masterHas = master.gtid().executed();
        aliveReplicas().forEach((c, s) -> {
            if (s.flavor() != master.flavor()) {
                return;
            }
            GtidSet extra = s.gtid().executed().subtract(masterHas);
            if (!extra.isEmpty()) {
                findings.add(Finding.error(
                        FindingKind.ERRANT_TRANSACTIONS,
                        c.block(),
                        c.displayName() + " has "
                                + extra.count() + " errant transaction(s) the master never had: " + extra
                                + "; remove them or replay them on the master before any failover"));
            }
        });
    }

    private static String describe(ReplicationFilters f) {
        List<String> parts = new ArrayList<>();
        add(parts, "Binlog_Do_DB", f.binlogDoDb());
        add(parts, "Binlog_Ignore_DB", f.binlogIgnoreDb());
        add(parts, "Replicate_Do_DB", f.replicateDoDb());
        add(parts, "Replicate_Ignore_DB", f.replicateIgnoreDb());
        add(parts, "Replicate_Do_Table", f.replicateDoTable());
        add(parts, "Replicate_Ignore_Table", f.replicateIgnoreTable());
        add(parts, "Replicate_Wild_Do_Table", f.replicateWildDoTable());
        add(parts, "Replicate_Wild_Ignore_Table", f.replicateWildIgnoreTable());
        return String.join(" ", parts);
    }

    private static void add(List<String> parts, String name, String value) {
        if (!value.isEmpty()) {
            parts.add(name + "=" + value);
        }
    }
}
