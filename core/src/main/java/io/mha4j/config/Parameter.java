package io.mha4j.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One configuration parameter. This table is the single place that says what MHA's
 * parameters are called, where they may appear, what type and default they have, and which
 * are secrets: parsing, validation, defaults, {@code show_conf} and masking all read it.
 *
 * <p>Names, defaults and scopes follow MHA 0.58 ({@code MHA::Config}). Where MHA ignores a
 * parameter because it sits in the wrong section, mha4j ignores it too but says so.
 *
 * <p>A plugin declares its own parameters with {@link #of} and a {@link ParameterProvider}
 * found by {@link java.util.ServiceLoader}: they are read, checked, defaulted, masked and listed
 * like these, and an "unknown parameter" only when no module on the classpath declares it.
 *
 * @param <T> the value's Java type
 */
public final class Parameter<T> {

    /** Where a parameter may be set and from where it inherits. */
    public enum Scope {
        /**
         * Only in a server's own block; never inherited from {@code [server default]}
         * (MHA reads these from the server block alone, e.g. {@code candidate_master}).
         */
        SERVER,
        /** In a server block, or inherited from {@code [server default]} / the global file. */
        SERVER_OR_DEFAULT,
        /** Concerns the whole application; set in {@code [server default]} or the global file. */
        APPLICATION
    }

    /** The module that declares the parameters of this class. */
    public static final String CORE = "mha4j-core";

    private static final List<Parameter<?>> ALL = new ArrayList<>();

    // --- where the server is ---
    public static final Parameter<String> HOSTNAME =
            server("hostname", ValueType.nonEmptyText(), null, null, "host name or address of the server (required)");
    public static final Parameter<String> IP = server(
            "ip",
            ValueType.nonEmptyText(),
            null,
            "resolved from hostname",
            "address used to reach the server when it differs from hostname's");
    public static final Parameter<Integer> PORT = inherited("port", ValueType.port(), 3306, null, "MySQL/MariaDB port");
    public static final Parameter<String> SSH_HOST = server(
            "ssh_host", ValueType.nonEmptyText(), null, "hostname", "SSH endpoint when it differs from hostname");
    public static final Parameter<String> SSH_IP =
            server("ssh_ip", ValueType.nonEmptyText(), null, "resolved from ssh_host", "address of the SSH endpoint");
    public static final Parameter<Integer> SSH_PORT = inherited("ssh_port", ValueType.port(), 22, null, "SSH port");
    public static final Parameter<Integer> SSH_CONNECTION_TIMEOUT = inherited(
            "ssh_connection_timeout", ValueType.positiveInt(), 5, null, "seconds to wait for an SSH connection");
    public static final Parameter<String> SSH_OPTIONS =
            inherited("ssh_options", ValueType.text(), null, null, "extra options for ssh");
    public static final Parameter<String> NODE_LABEL =
            server("node_label", ValueType.text(), null, null, "free label shown in reports");

    // --- the server's role in a failover ---
    public static final Parameter<Boolean> CANDIDATE_MASTER =
            server("candidate_master", ValueType.flag(), false, null, "prefer this server as the new master");
    public static final Parameter<Boolean> NO_MASTER =
            server("no_master", ValueType.flag(), false, null, "never make this server the master");
    public static final Parameter<Boolean> IGNORE_FAIL = server(
            "ignore_fail",
            ValueType.flag(),
            false,
            null,
            "go on with a failover even if this server is down or broken");
    public static final Parameter<Boolean> SKIP_INIT_SSH_CHECK =
            server("skip_init_ssh_check", ValueType.flag(), false, null, "skip the SSH check of this server at start");
    public static final Parameter<Boolean> SKIP_RESET_SLAVE =
            inherited("skip_reset_slave", ValueType.flag(), false, null, "do not RESET SLAVE ALL on the new master");

    // --- accounts ---
    public static final Parameter<String> USER =
            inherited("user", ValueType.nonEmptyText(), "root", null, "administrative SQL account");
    public static final Parameter<Secret> PASSWORD =
            inherited("password", ValueType.secret(), Secret.empty(), null, "password of the administrative account");
    public static final Parameter<String> REPL_USER = inherited(
            "repl_user",
            ValueType.nonEmptyText(),
            null,
            "taken from the master's replicas",
            "replication account used in CHANGE MASTER");
    public static final Parameter<Secret> REPL_PASSWORD = inherited(
            "repl_password",
            ValueType.secret(),
            null,
            "taken from the master's replicas",
            "password of the replication account");
    public static final Parameter<String> SSH_USER = inherited(
            "ssh_user", ValueType.nonEmptyText(), null, "the current OS user", "SSH login on the database hosts");

    // --- binary logs and work directories on the database hosts ---
    public static final Parameter<Boolean> DISABLE_LOG_BIN =
            inherited("disable_log_bin", ValueType.flag(), false, null, "apply recovered events with sql_log_bin=0");
    public static final Parameter<String> MASTER_PID_FILE =
            inherited("master_pid_file", ValueType.text(), null, null, "pid file passed to shutdown_script");
    public static final Parameter<Boolean> HANDLE_RAW_BINLOG = inherited(
            "handle_raw_binlog", ValueType.flag(), true, null, "save and apply binary logs raw rather than as text");
    public static final Parameter<List<String>> MASTER_BINLOG_DIR = inherited(
            "master_binlog_dir",
            ValueType.commaList(),
            List.of("/var/lib/mysql", "/var/log/mysql"),
            null,
            "where the master's binary logs are (comma-separated)");
    public static final Parameter<String> REMOTE_WORKDIR = inherited(
            "remote_workdir", ValueType.nonEmptyText(), "/var/tmp", null, "working directory on the database hosts");
    public static final Parameter<String> CLIENT_BINDIR = inherited(
            "client_bindir", ValueType.text(), null, null, "directory of mysqlbinlog/mysql on the database hosts");
    public static final Parameter<String> CLIENT_LIBDIR = inherited(
            "client_libdir",
            ValueType.text(),
            null,
            null,
            "library directory of the MySQL client on the database hosts");

    // --- election ---
    public static final Parameter<Boolean> CHECK_REPL_DELAY =
            inherited("check_repl_delay", ValueType.flag(), true, null, "do not elect a candidate that is far behind");
    public static final Parameter<Boolean> LATEST_PRIORITY = inherited(
            "latest_priority", ValueType.flag(), true, null, "prefer the most advanced replica among candidates");

    // --- the manager ---
    public static final Parameter<String> LOG_LEVEL = application(
            "log_level",
            ValueType.oneOf("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"),
            "info",
            null,
            "manager log level");
    public static final Parameter<String> MANAGER_WORKDIR = application(
            "manager_workdir",
            ValueType.nonEmptyText(),
            "/var/tmp",
            null,
            "directory of the manager's status and flag files");
    public static final Parameter<String> MANAGER_LOG =
            application("manager_log", ValueType.nonEmptyText(), null, "standard error", "the manager's log file");
    public static final Parameter<Boolean> CHECK_REPL_FILTER = application(
            "check_repl_filter", ValueType.flag(), true, null, "all servers must share binlog and replication filters");
    public static final Parameter<Boolean> MULTI_TIER_SLAVE =
            application("multi_tier_slave", ValueType.flag(), false, null, "allow three-tier replication");
    public static final Parameter<Integer> PING_INTERVAL =
            application("ping_interval", ValueType.positiveInt(), 3, null, "seconds between checks of the master");
    public static final Parameter<PingType> PING_TYPE = application(
            "ping_type",
            ValueType.pingType(),
            PingType.SELECT,
            null,
            "how the master is checked: CONNECT, SELECT or INSERT");
    public static final Parameter<Boolean> USE_GTID_AUTO_POS =
            application("use_gtid_auto_pos", ValueType.flag(), true, null, "rewire replicas by GTID when GTID is on");

    // --- scripts ---
    public static final Parameter<String> SECONDARY_CHECK_SCRIPT = application(
            "secondary_check_script", ValueType.nonEmptyText(), null, null, "checks the master through other routes");
    public static final Parameter<String> MASTER_IP_FAILOVER_SCRIPT = application(
            "master_ip_failover_script", ValueType.nonEmptyText(), null, null, "moves the virtual IP at failover");
    public static final Parameter<String> MASTER_IP_ONLINE_CHANGE_SCRIPT = application(
            "master_ip_online_change_script",
            ValueType.nonEmptyText(),
            null,
            null,
            "moves the virtual IP at online switchover");
    public static final Parameter<String> SHUTDOWN_SCRIPT = application(
            "shutdown_script", ValueType.nonEmptyText(), null, null, "powers off or kills the dead master (STONITH)");
    public static final Parameter<String> REPORT_SCRIPT =
            application("report_script", ValueType.nonEmptyText(), null, null, "sends the failover report");
    public static final Parameter<String> INIT_CONF_LOAD_SCRIPT = application(
            "init_conf_load_script",
            ValueType.nonEmptyText(),
            null,
            null,
            "prints extra name=value parameters at start");

    // --- mha4j's own parameters (MHA 0.58 does not know them) ---
    public static final Parameter<Duration> SQL_CONNECT_TIMEOUT = extension(
            "sql_connect_timeout",
            Scope.SERVER_OR_DEFAULT,
            ValueType.seconds(),
            Duration.ofSeconds(4),
            "seconds to wait for a SQL connection (MHA hard-codes 4)");
    public static final Parameter<Duration> SQL_READ_TIMEOUT = extension(
            "sql_read_timeout",
            Scope.SERVER_OR_DEFAULT,
            ValueType.seconds(),
            Duration.ofSeconds(30),
            "seconds to wait for a SQL statement's answer before the server counts as unresponsive");

    public static final Parameter<Integer> PING_FAILURE_LIMIT = extension(
            "ping_failure_limit",
            Scope.APPLICATION,
            ValueType.positiveInt(),
            4,
            "failed pings in a row after which the master is judged with second opinions (MHA hard-codes 4)");
    public static final Parameter<Boolean> FAST_FAILURE_DETECTION = extension(
            "fast_failure_detection",
            Scope.APPLICATION,
            ValueType.flag(),
            true,
            "1: a refused connection that every replica confirms (IO thread disconnected) is death at once;"
                    + " 0: MHA's rule alone (wait for ping_failure_limit failed pings)");

    public static final Parameter<String> SSH_IDENTITY_FILE = extension(
            "ssh_identity_file",
            Scope.SERVER_OR_DEFAULT,
            ValueType.nonEmptyText(),
            null,
            "private key for SSH (default: -i in ssh_options, else ~/.ssh/id_*)");
    public static final Parameter<String> SSH_KNOWN_HOSTS_FILE = extension(
            "ssh_known_hosts_file",
            Scope.SERVER_OR_DEFAULT,
            ValueType.nonEmptyText(),
            null,
            "known_hosts file to verify host keys against (default: UserKnownHostsFile in ssh_options, else"
                    + " ~/.ssh/known_hosts)");
    public static final Parameter<String> SSH_HOST_KEY_CHECKING = extension(
            "ssh_host_key_checking",
            Scope.SERVER_OR_DEFAULT,
            ValueType.oneOf("strict", "accept-new", "off"),
            null,
            "strict: only known host keys; accept-new: remember a new host's key, refuse a changed one; off: no"
                    + " check (default: StrictHostKeyChecking in ssh_options, else strict)");
    public static final Parameter<String> REMOTE_SHELL = extension(
            "remote_shell",
            Scope.APPLICATION,
            ValueType.nonEmptyText(),
            "ssh",
            "the RemoteShellProvider that reaches database hosts: ssh or local");

    public static final Parameter<String> COORDINATION = extension(
            "coordination",
            Scope.APPLICATION,
            ValueType.nonEmptyText(),
            "local",
            "who of several managers acts: local (one manager, its lock file) or zookeeper (leader election across"
                    + " hosts, module mha4j-coordination-zookeeper; zookeeper_connect, zookeeper_root)");
    public static final Parameter<String> CLUSTER_MONITOR = extension(
            "cluster_monitor",
            Scope.APPLICATION,
            ValueType.nonEmptyText(),
            "mha",
            "the ClusterMonitorProvider that watches the master (ServiceLoader name)");
    public static final Parameter<String> MASTER_ELECTOR = extension(
            "master_elector",
            Scope.APPLICATION,
            ValueType.nonEmptyText(),
            "mha",
            "the MasterElector that chooses the new master (ServiceLoader name)");
    public static final Parameter<String> DATA_COMPENSATOR = extension(
            "data_compensator",
            Scope.APPLICATION,
            ValueType.nonEmptyText(),
            "binlog",
            "the DataCompensator that recovers what only the dead master had (ServiceLoader name)");
    public static final Parameter<String> TOPOLOGY_REWIRER = extension(
            "topology_rewirer",
            Scope.APPLICATION,
            ValueType.nonEmptyText(),
            "gtid",
            "the TopologyRewirer that repoints replicas (ServiceLoader name)");
    public static final Parameter<List<String>> FAILOVER_HOOKS = extension(
            "failover_hooks",
            Scope.APPLICATION,
            ValueType.commaList(),
            List.of(),
            "failover hooks to run, by ServiceLoader name, after MHA's scripts (comma-separated)");
    public static final Parameter<Duration> APPLY_TIMEOUT = extension(
            "apply_timeout",
            Scope.APPLICATION,
            ValueType.seconds(),
            Duration.ofMinutes(10),
            "seconds a replica may take to apply its relay log or to catch up during a failover (MHA waits forever)");
    public static final Parameter<Duration> REPLICA_READ_TIMEOUT = extension(
            "replica_read_timeout",
            Scope.APPLICATION,
            ValueType.seconds(),
            Duration.ofMillis(500),
            "seconds a replica may take to answer when the master fails (monitor) and at a failover's check; a"
                    + " replica slower than that is left out of the election and rewired when it answers again");
    public static final Parameter<String> ERRANT_TRANSACTIONS = extension(
            "errant_transactions",
            Scope.APPLICATION,
            ValueType.oneOf("refuse", "allow"),
            "refuse",
            "refuse: a replica holding transactions the master never had is never elected over one that does not,"
                    + " and when every candidate holds some the failover stops before changing anything; allow: MHA's"
                    + " way, they may be promoted and copied to the other replicas");
    public static final Parameter<Boolean> FAILOVER_WITHOUT_FENCE = extension(
            "failover_without_fence",
            Scope.APPLICATION,
            ValueType.flag(),
            false,
            "1: fail over a master that no vantage point reaches (SQL, SSH and every replica lost it: powered off, or"
                    + " cut off from everyone) even when nothing fenced it, as MHA does: available sooner, at the risk of"
                    + " two writable masters if it lives behind a partition; 0: only once shutdown_script or a STONITH"
                    + " hook fenced it. A master whose host still answers SSH is never failed over unfenced");
    public static final Parameter<Boolean> MERGE_RECOVERED_TRANSACTIONS = extension(
            "merge_recovered_transactions",
            Scope.APPLICATION,
            ValueType.flag(),
            false,
            "1 (MariaDB only): the dead master's last transactions that are plain row changes are replayed on the new"
                    + " master as few transactions, each under the GTID of the last it holds: thousands recover in"
                    + " milliseconds instead of one commit each, and every server's GTID position stays right, but"
                    + " the new master's binary log shows one GTID where the dead master had many (a CDC consumer sees"
                    + " one transaction); 0: each replayed as the dead master committed it");
    public static final Parameter<Boolean> REJOIN_OLD_MASTER = extension(
            "rejoin_old_master",
            Scope.APPLICATION,
            ValueType.flag(),
            false,
            "1: when the old master answers again and holds nothing the new master lacks, make it a replica of the"
                    + " new master; 0: fence it and leave it parked, read-only, for a human (MHA's way)");

    private static final Map<String, Parameter<?>> BY_NAME;

    static {
        Map<String, Parameter<?>> byName = new LinkedHashMap<>();
        for (Parameter<?> p : ALL) {
            byName.put(p.name, p);
        }
        BY_NAME = Collections.unmodifiableMap(byName);
    }

    private final String name;
    private final Scope scope;
    private final ValueType<T> type;
    private final T defaultValue;
    private final String defaultNote;
    private final String description;
    private final boolean mhaParameter;
    private final String module;

    private Parameter(
            String name,
            Scope scope,
            ValueType<T> type,
            T defaultValue,
            String defaultNote,
            String description,
            boolean mhaParameter,
            String module) {
        this.name = Objects.requireNonNull(name, "name");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.type = Objects.requireNonNull(type, "type");
        this.defaultValue = defaultValue;
        this.defaultNote = defaultNote;
        this.description = description;
        this.mhaParameter = mhaParameter;
        this.module = Objects.requireNonNull(module, "module");
    }

    private static <T> Parameter<T> builtIn(Parameter<T> p) {
        ALL.add(p);
        return p;
    }

    private Parameter(
            String name, Scope scope, ValueType<T> type, T defaultValue, String defaultNote, String description) {
        this(name, scope, type, defaultValue, defaultNote, description, true, CORE);
    }

    private static <T> Parameter<T> extension(String name, Scope scope, ValueType<T> type, T def, String description) {
        return builtIn(new Parameter<>(name, scope, type, def, null, description, false, CORE));
    }

    /**
     * A plugin's own parameter (unknown to MHA), for its {@link ParameterProvider}: keep it in a
     * constant, so that one parameter is one object.
     *
     * @param module the module that declares it, as {@code show_conf} names it (its artifactId)
     * @param defaultValue the value when none is set, or {@code null}
     */
    public static <T> Parameter<T> of(
            String module, String name, Scope scope, ValueType<T> type, T defaultValue, String description) {
        return new Parameter<>(name, scope, type, defaultValue, null, description, false, module);
    }

    private static <T> Parameter<T> server(String name, ValueType<T> type, T def, String note, String description) {
        return builtIn(new Parameter<>(name, Scope.SERVER, type, def, note, description));
    }

    private static <T> Parameter<T> inherited(String name, ValueType<T> type, T def, String note, String description) {
        return builtIn(new Parameter<>(name, Scope.SERVER_OR_DEFAULT, type, def, note, description));
    }

    private static <T> Parameter<T> application(
            String name, ValueType<T> type, T def, String note, String description) {
        return builtIn(new Parameter<>(name, Scope.APPLICATION, type, def, note, description));
    }

    /**
     * Every parameter, in a stable order that groups related ones: core's, then each plugin's on
     * the classpath.
     */
    public static List<Parameter<?>> all() {
        List<Parameter<?>> all = new ArrayList<>(ALL);
        all.addAll(PluginParameters.ALL.values());
        return Collections.unmodifiableList(all);
    }

    /** Whether core declares a parameter of that name (for plugins, which may not). */
    static boolean isBuiltIn(String name) {
        return BY_NAME.containsKey(name);
    }

    public static Optional<Parameter<?>> byName(String name) {
        return Optional.<Parameter<?>>ofNullable(BY_NAME.get(name))
                .or(() -> Optional.ofNullable(PluginParameters.ALL.get(name)));
    }

    public String name() {
        return name;
    }

    public Scope scope() {
        return scope;
    }

    public ValueType<T> type() {
        return type;
    }

    /** MHA's built-in default, empty when there is none or it is computed at run time. */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** How the default is computed when it is not a constant ("resolved from hostname"). */
    public Optional<String> defaultNote() {
        return Optional.ofNullable(defaultNote);
    }

    public String description() {
        return description;
    }

    /** False for mha4j's own parameters, which MHA 0.58 would reject. */
    public boolean isMhaParameter() {
        return mhaParameter;
    }

    /** The module that declares it: {@link #CORE}, or a plugin's artifactId. */
    public String module() {
        return module;
    }

    public boolean isSecret() {
        return type.javaType() == Secret.class;
    }

    /**
     * Parses text for this parameter.
     *
     * @throws IllegalArgumentException "value '70000' is not a port (1-65535)"; a secret's
     *     value is masked in the message
     */
    public T parse(String text) {
        try {
            return type.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "value '" + (isSecret() ? Secret.MASK : text) + "' " + e.getMessage(), e);
        }
    }

    /** The value as it would be written in a configuration file (secrets in clear). */
    @SuppressWarnings("unchecked")
    public String format(Object value) {
        return type.format((T) type.javaType().cast(value));
    }

    /** The value for people: like {@link #format} but secrets are {@code xxx}. */
    public String display(Object value) {
        return isSecret() ? Secret.MASK : format(value);
    }

    @SuppressWarnings("unchecked")
    T cast(Object value) {
        Objects.requireNonNull(value, name);
        if (!type.javaType().isInstance(value)) {
            throw new IllegalArgumentException(
                    "value of " + name + " must be a " + type.javaType().getSimpleName() + ", not "
                            + value.getClass().getSimpleName());
        }
        return (T) value;
    }

    @Override
    public String toString() {
        return name;
    }
}
