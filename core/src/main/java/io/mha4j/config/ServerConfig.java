package io.mha4j.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code [serverN]} or {@code [binlogN]} block: the values given in the block itself
 * ({@code own}) over the application's defaults ({@code defaults}: {@code [server default]}
 * over the global file), over MHA's built-in defaults. Server-only parameters such as
 * {@code candidate_master} are never inherited, as in MHA.
 *
 * @param block the block name, e.g. {@code server1}
 * @param kind a database server or a binlog server
 * @param own the values set in this block
 * @param defaults the application's default layer this block inherits from
 * @param declaredAt where the block starts ({@link Origin#CODE} when built in Java)
 */
public record ServerConfig(String block, Kind kind, Settings own, Settings defaults, Origin declaredAt) {

    /** What a block describes. */
    public enum Kind {
        /** {@code [server…]}: a MySQL/MariaDB server of the replication group. */
        SERVER,
        /** {@code [binlog…]}: a binlog server, used only as a source of binary logs. */
        BINLOG_SERVER
    }

    /** The effective value and its origin, following MHA's precedence. */
    public <T> Optional<Setting<T>> setting(Parameter<T> parameter) {
        Optional<Setting<T>> mine = own.setting(parameter);
        if (mine.isPresent() || parameter.scope() == Parameter.Scope.SERVER) {
            return mine;
        }
        return defaults.setting(parameter);
    }

    /** The effective value: own, inherited, or MHA's built-in default. */
    public <T> Optional<T> get(Parameter<T> parameter) {
        return setting(parameter).map(Setting::value).or(parameter::defaultValue);
    }

    /**
     * The parameter's value for this server (its block, else the application's), or its default.
     *
     * @throws IllegalStateException when it has neither (a parameter without a default: use {@link #get})
     */
    public <T> T value(Parameter<T> parameter) {
        return get(parameter)
                .orElseThrow(() ->
                        new IllegalStateException(block() + ": " + parameter.name() + " has no value and no default"));
    }

    public Origin origin(Parameter<?> parameter) {
        return setting(parameter).<Origin>map(Setting::origin).orElse(Origin.BUILT_IN);
    }

    private <T> T required(Parameter<T> parameter) {
        return get(parameter).orElseThrow(() -> new IllegalStateException(parameter + " has no value"));
    }

    public String hostname() {
        return required(Parameter.HOSTNAME);
    }

    /** The address to connect to: {@code ip} if given, else {@code hostname}. */
    public String address() {
        return get(Parameter.IP).orElse(hostname());
    }

    public int port() {
        return required(Parameter.PORT);
    }

    public String sshHost() {
        return get(Parameter.SSH_HOST).orElse(hostname());
    }

    /** The SSH address: {@code ssh_ip}, else {@code ssh_host}, else {@link #address()}. */
    public String sshAddress() {
        return get(Parameter.SSH_IP).or(() -> get(Parameter.SSH_HOST)).orElse(address());
    }

    public int sshPort() {
        return required(Parameter.SSH_PORT);
    }

    /** {@code ssh_user}, or the user running this JVM as MHA does. */
    public String sshUser() {
        return get(Parameter.SSH_USER).orElseGet(() -> System.getProperty("user.name"));
    }

    public Optional<String> sshOptions() {
        return get(Parameter.SSH_OPTIONS);
    }

    public Duration sshConnectionTimeout() {
        return Duration.ofSeconds(required(Parameter.SSH_CONNECTION_TIMEOUT));
    }

    public Optional<String> nodeLabel() {
        return get(Parameter.NODE_LABEL);
    }

    public boolean candidateMaster() {
        return required(Parameter.CANDIDATE_MASTER);
    }

    public boolean noMaster() {
        return required(Parameter.NO_MASTER);
    }

    public boolean ignoreFail() {
        return required(Parameter.IGNORE_FAIL);
    }

    public boolean skipInitSshCheck() {
        return required(Parameter.SKIP_INIT_SSH_CHECK);
    }

    public boolean skipResetSlave() {
        return required(Parameter.SKIP_RESET_SLAVE);
    }

    public String user() {
        return required(Parameter.USER);
    }

    public Secret password() {
        return required(Parameter.PASSWORD);
    }

    public Optional<String> replUser() {
        return get(Parameter.REPL_USER);
    }

    public Optional<Secret> replPassword() {
        return get(Parameter.REPL_PASSWORD);
    }

    public boolean disableLogBin() {
        return required(Parameter.DISABLE_LOG_BIN);
    }

    public Optional<String> masterPidFile() {
        return get(Parameter.MASTER_PID_FILE);
    }

    public boolean handleRawBinlog() {
        return required(Parameter.HANDLE_RAW_BINLOG);
    }

    public List<String> masterBinlogDirs() {
        return required(Parameter.MASTER_BINLOG_DIR);
    }

    public String remoteWorkdir() {
        return required(Parameter.REMOTE_WORKDIR);
    }

    public Optional<String> clientBindir() {
        return get(Parameter.CLIENT_BINDIR);
    }

    public Optional<String> clientLibdir() {
        return get(Parameter.CLIENT_LIBDIR);
    }

    public Duration sqlConnectTimeout() {
        return required(Parameter.SQL_CONNECT_TIMEOUT);
    }

    public Duration sqlReadTimeout() {
        return required(Parameter.SQL_READ_TIMEOUT);
    }

    public boolean checkReplDelay() {
        return required(Parameter.CHECK_REPL_DELAY);
    }

    public boolean latestPriority() {
        return required(Parameter.LATEST_PRIORITY);
    }

    /** {@code 10.0.0.51(10.0.0.51:3306)}: how MHA's logs name a server, so users' greps still work. */
    public String displayName() {
        String host = get(Parameter.HOSTNAME).orElse("[" + block + "]");
        return host + "(" + get(Parameter.IP).orElse(host) + ":" + port() + ")";
    }

    @Override
    public String toString() {
        return "ServerConfig[" + block + ", " + kind + ", own=" + own + "]";
    }

    public static Builder builder(String block) {
        return new Builder(block, Kind.SERVER);
    }

    public static Builder binlogServerBuilder(String block) {
        return new Builder(block, Kind.BINLOG_SERVER);
    }

    public Builder toBuilder() {
        Builder b = new Builder(block, kind);
        b.declaredAt = declaredAt;
        b.own.putAll(own.asMap());
        return b;
    }

    /**
     * Builds a block from Java code; the configuration file reader fills the same builder.
     * Defaults are bound when the block is added to an {@link ApplicationConfig}.
     */
    public static final class Builder {
        private final String block;
        private final Kind kind;
        private final Map<Parameter<?>, Setting<?>> own = new LinkedHashMap<>();
        private Origin declaredAt = Origin.CODE;

        private Builder(String block, Kind kind) {
            if (block == null || block.isBlank()) {
                throw new IllegalArgumentException("a server block needs a name such as server1");
            }
            this.block = block;
            this.kind = kind;
        }

        public String block() {
            return block;
        }

        public Kind kind() {
            return kind;
        }

        Origin declaredAt() {
            return declaredAt;
        }

        Builder declaredAt(Origin origin) {
            this.declaredAt = origin;
            return this;
        }

        /** Sets a value from code. */
        public <T> Builder set(Parameter<T> parameter, T value) {
            return set(parameter, value, Origin.CODE);
        }

        /**
         * Sets a value with its origin.
         *
         * @throws IllegalArgumentException for a parameter that concerns the whole application
         */
        public <T> Builder set(Parameter<T> parameter, T value, Origin origin) {
            if (parameter.scope() == Parameter.Scope.APPLICATION) {
                throw new IllegalArgumentException(parameter + " applies to the whole application, not to [" + block
                        + "]; set it on ApplicationConfig.Builder");
            }
            own.put(parameter, new Setting<>(parameter, value, origin));
            return this;
        }

        /** Sets a value from text, validated as a configuration file's value would be. */
        public Builder setText(Parameter<?> parameter, String text) {
            return setParsed(parameter, text, Origin.CODE);
        }

        <T> Builder setParsed(Parameter<T> parameter, String text, Origin origin) {
            return set(parameter, parameter.parse(text), origin);
        }

        public Builder remove(Parameter<?> parameter) {
            own.remove(parameter);
            return this;
        }

        public Builder hostname(String hostname) {
            return set(Parameter.HOSTNAME, hostname);
        }

        public Builder ip(String ip) {
            return set(Parameter.IP, ip);
        }

        public Builder port(int port) {
            return set(Parameter.PORT, Parameter.PORT.parse(Integer.toString(port)));
        }

        public Builder sshPort(int port) {
            return set(Parameter.SSH_PORT, Parameter.SSH_PORT.parse(Integer.toString(port)));
        }

        public Builder sshUser(String user) {
            return set(Parameter.SSH_USER, user);
        }

        public Builder user(String user) {
            return set(Parameter.USER, user);
        }

        public Builder password(String password) {
            return set(Parameter.PASSWORD, Secret.of(password));
        }

        public Builder candidateMaster(boolean candidate) {
            return set(Parameter.CANDIDATE_MASTER, candidate);
        }

        public Builder noMaster(boolean noMaster) {
            return set(Parameter.NO_MASTER, noMaster);
        }

        public Builder masterBinlogDirs(List<String> dirs) {
            return set(Parameter.MASTER_BINLOG_DIR, List.copyOf(dirs));
        }

        ServerConfig build(Settings defaults) {
            return new ServerConfig(block, kind, Settings.copyOf(own), defaults, declaredAt);
        }
    }
}
