package io.mha4j.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything one MHA application file says: the application's settings, its servers in
 * MHA's order (the order the election falls back to), and its binlog servers.
 *
 * <p>Build it in code with {@link #builder(String)}, or read MHA's files with
 * {@link MhaConfigReader}; both end in the same record.
 *
 * @param name the application name ({@code app1} for {@code app1.cnf}); names status files
 * @param defaults the default layer: {@code [server default]} over the global file, with origins
 * @param servers the {@code [server…]} blocks in MHA's order
 * @param binlogServers the {@code [binlog…]} blocks
 * @param files the files this was read from, when it was read from files
 * @param warnings what was accepted but ignored, as MHA would ignore it, for the operator
 */
public record ApplicationConfig(
        String name,
        Settings defaults,
        List<ServerConfig> servers,
        List<ServerConfig> binlogServers,
        Optional<ConfigFiles> files,
        List<String> warnings) {

    /** The files a configuration was read from. */
    public record ConfigFiles(Path applicationFile, Path globalFile, boolean globalFileRead) {}

    public ApplicationConfig {
        servers = List.copyOf(servers);
        binlogServers = List.copyOf(binlogServers);
        warnings = List.copyOf(warnings);
    }

    public <T> Optional<T> get(Parameter<T> parameter) {
        return defaults.get(parameter);
    }

    public Origin origin(Parameter<?> parameter) {
        return defaults.origin(parameter);
    }

    /**
     * The parameter's value, or its default: the one place defaults live is {@link Parameter}, so
     * callers never restate them.
     *
     * @throws IllegalStateException when it has neither (a parameter without a default: use {@link #get})
     */
    public <T> T value(Parameter<T> parameter) {
        return get(parameter)
                .orElseThrow(() -> new IllegalStateException(parameter.name() + " has no value and no default"));
    }

    public Optional<ServerConfig> server(String block) {
        return servers.stream().filter(s -> s.block().equals(block)).findFirst();
    }

    public Duration pingInterval() {
        return Duration.ofSeconds(value(Parameter.PING_INTERVAL));
    }

    public PingType pingType() {
        return value(Parameter.PING_TYPE);
    }

    /** Failed pings in a row after which the monitor judges the master (mha4j's {@code ping_failure_limit}). */
    public int pingFailureLimit() {
        return value(Parameter.PING_FAILURE_LIMIT);
    }

    /** Whether a refused connection confirmed by every replica is death at once ({@code fast_failure_detection}). */
    public boolean fastFailureDetection() {
        return value(Parameter.FAST_FAILURE_DETECTION);
    }

    public Path managerWorkdir() {
        return Path.of(value(Parameter.MANAGER_WORKDIR));
    }

    /** The manager's log file; empty means standard error, as in MHA. */
    public Optional<Path> managerLog() {
        return get(Parameter.MANAGER_LOG).map(Path::of);
    }

    public String logLevel() {
        return value(Parameter.LOG_LEVEL);
    }

    public boolean checkReplFilter() {
        return value(Parameter.CHECK_REPL_FILTER);
    }

    public boolean multiTierSlave() {
        return value(Parameter.MULTI_TIER_SLAVE);
    }

    public boolean useGtidAutoPos() {
        return value(Parameter.USE_GTID_AUTO_POS);
    }

    public Optional<String> secondaryCheckScript() {
        return get(Parameter.SECONDARY_CHECK_SCRIPT);
    }

    public Optional<String> masterIpFailoverScript() {
        return get(Parameter.MASTER_IP_FAILOVER_SCRIPT);
    }

    public Optional<String> masterIpOnlineChangeScript() {
        return get(Parameter.MASTER_IP_ONLINE_CHANGE_SCRIPT);
    }

    public Optional<String> shutdownScript() {
        return get(Parameter.SHUTDOWN_SCRIPT);
    }

    public Optional<String> reportScript() {
        return get(Parameter.REPORT_SCRIPT);
    }

    public Optional<String> initConfLoadScript() {
        return get(Parameter.INIT_CONF_LOAD_SCRIPT);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.defaults.putAll(defaults.asMap());
        servers.forEach(s -> b.server(s.toBuilder()));
        binlogServers.forEach(s -> b.server(s.toBuilder()));
        b.files = files.orElse(null);
        b.warnings.addAll(warnings);
        return b;
    }

    /** Builds an application in code; {@link MhaConfigReader} fills the same builder from files. */
    public static final class Builder {
        private final String name;
        private final Map<Parameter<?>, Setting<?>> defaults = new LinkedHashMap<>();
        private final List<ServerConfig.Builder> servers = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private ConfigFiles files;

        private Builder(String name) {
            this.name = name;
        }

        /** Sets an application-wide value or a default that servers inherit. */
        public <T> Builder set(Parameter<T> parameter, T value) {
            return set(parameter, value, Origin.CODE);
        }

        /**
         * Sets a value in the default layer; a later call for the same parameter overrides an
         * earlier one (so the global file is read first, then {@code [server default]}).
         *
         * @throws IllegalArgumentException for a parameter that only a server block may set
         */
        public <T> Builder set(Parameter<T> parameter, T value, Origin origin) {
            if (parameter.scope() == Parameter.Scope.SERVER) {
                throw new IllegalArgumentException(parameter + " is set per server, not for the whole application");
            }
            defaults.put(parameter, new Setting<>(parameter, value, origin));
            return this;
        }

        /** Sets a value from text, validated as a file's value would be. */
        public Builder setText(Parameter<?> parameter, String text) {
            return setParsed(parameter, text, Origin.CODE);
        }

        <T> Builder setParsed(Parameter<T> parameter, String text, Origin origin) {
            return set(parameter, parameter.parse(text), origin);
        }

        /** The value the default layer holds so far, before {@link #build()}. */
        <T> Optional<T> peek(Parameter<T> parameter) {
            return Settings.copyOf(defaults).get(parameter);
        }

        public Builder pingInterval(int seconds) {
            return set(Parameter.PING_INTERVAL, Parameter.PING_INTERVAL.parse(Integer.toString(seconds)));
        }

        public Builder pingType(PingType type) {
            return set(Parameter.PING_TYPE, type);
        }

        public Builder managerWorkdir(Path dir) {
            return set(Parameter.MANAGER_WORKDIR, dir.toString());
        }

        public Builder user(String user) {
            return set(Parameter.USER, user);
        }

        public Builder password(String password) {
            return set(Parameter.PASSWORD, Secret.of(password));
        }

        public Builder replUser(String user) {
            return set(Parameter.REPL_USER, user);
        }

        public Builder replPassword(String password) {
            return set(Parameter.REPL_PASSWORD, Secret.of(password));
        }

        public Builder sshUser(String user) {
            return set(Parameter.SSH_USER, user);
        }

        /** Adds a server (or, for a binlog server builder, a binlog server) in order. */
        public Builder server(ServerConfig.Builder server) {
            servers.add(server);
            return this;
        }

        /** Adds a server block configured by {@code spec}. */
        public Builder server(String block, Consumer<ServerConfig.Builder> spec) {
            ServerConfig.Builder b = ServerConfig.builder(block);
            spec.accept(b);
            return server(b);
        }

        /** Adds a binlog server block configured by {@code spec}. */
        public Builder binlogServer(String block, Consumer<ServerConfig.Builder> spec) {
            ServerConfig.Builder b = ServerConfig.binlogServerBuilder(block);
            spec.accept(b);
            return server(b);
        }

        /** Removes a block, as {@code --remove_dead_master_conf} and {@code conf_host --command=delete} do. */
        public Builder removeServer(String block) {
            if (!servers.removeIf(s -> s.block().equals(block))) {
                throw new IllegalArgumentException("no block [" + block + "]");
            }
            return this;
        }

        public Builder files(ConfigFiles files) {
            this.files = files;
            return this;
        }

        /** Records something the operator should know but that does not stop the configuration. */
        public Builder warning(String warning) {
            warnings.add(warning);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws ConfigException when there is no server, a block lacks {@code hostname}, two
         *     blocks share a name, or two servers share an address and port
         */
        public ApplicationConfig build() {
            if (name == null || name.isBlank() || name.contains("/")) {
                throw ConfigException.inCode(null, null, "application name '" + name + "' is not usable in file names");
            }
            Path file = files == null ? null : files.applicationFile();
            Settings layer = Settings.copyOf(defaults);
            List<ServerConfig> dbServers = new ArrayList<>();
            List<ServerConfig> binlogs = new ArrayList<>();
            Map<String, ServerConfig> byBlock = new HashMap<>();
            Map<String, ServerConfig> byAddress = new HashMap<>();
            for (ServerConfig.Builder b : servers) {
                ServerConfig s = b.build(layer);
                if (byBlock.putIfAbsent(s.block(), s) != null) {
                    throw ConfigException.at(
                            s.declaredAt(), s.block(), null, "block [" + s.block() + "] is defined twice");
                }
                if (s.get(Parameter.HOSTNAME).isEmpty()) {
                    throw ConfigException.at(
                            s.declaredAt(),
                            s.block(),
                            Parameter.HOSTNAME.name(),
                            "missing; every server block needs hostname=");
                }
                if (s.kind() == ServerConfig.Kind.SERVER) {
                    String address = s.address() + ":" + s.port();
                    ServerConfig other = byAddress.putIfAbsent(address, s);
                    if (other != null) {
                        throw ConfigException.at(
                                s.declaredAt(),
                                s.block(),
                                null,
                                "has the same address " + address + " as [" + other.block() + "]");
                    }
                    dbServers.add(s);
                } else {
                    binlogs.add(s);
                }
            }
            if (dbServers.isEmpty()) {
                throw file == null
                        ? ConfigException.inCode(null, null, "no server is defined")
                        : ConfigException.ofFile(file, "no server is defined; add [server1] hostname=…", null);
            }
            return new ApplicationConfig(name, layer, dbServers, binlogs, Optional.ofNullable(files), warnings);
        }
    }
}
