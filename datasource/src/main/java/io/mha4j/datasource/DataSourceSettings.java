package io.mha4j.datasource;

import io.mha4j.config.Secret;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link TopologyDataSources} pools and routes; every default is in {@link #DEFAULTS}.
 *
 * @param maximumPoolSize connections per server (one HikariCP pool per server)
 * @param connectionTimeout the longest {@code getConnection()} waits: for a pooled connection, and for
 *     the writer while a failover replaces the master (then it fails with a {@link
 *     java.sql.SQLTransientConnectionException} naming the master being replaced)
 * @param readLagLimit a replica lagging more ({@code Seconds_Behind_Master}) takes no reads
 * @param lagCheckInterval how often each replica's replication is read
 * @param discoveryInterval how often the self-discovering source ({@link
 *     TopologyDataSources.Builder#discoverTopology()}) reads every server; it is also how long the
 *     writer may go on sending writes to a master demoted by another process before it notices (they
 *     fail there: {@code read_only})
 * @param user the account the application connects as; empty: each server's {@code user}. Set it:
 *     MHA's {@code user} is an administrator, and an account with SUPER (or READ_ONLY ADMIN) writes
 *     through {@code read_only}, the fence that keeps writes off a demoted master
 * @param password that account's password; empty: each server's {@code password}
 */
public record DataSourceSettings(
        int maximumPoolSize,
        Duration connectionTimeout,
        Duration readLagLimit,
        Duration lagCheckInterval,
        Duration discoveryInterval,
        Optional<String> user,
        Optional<Secret> password) {

    /**
     * 10 connections per server, 5 s to get one, reads from replicas at most 10 s behind, read every
     * second; the self-discovering source reads every server every 500 ms (a demoted master is
     * noticed within about that, for one connection per server per round).
     */
    public static final DataSourceSettings DEFAULTS = new DataSourceSettings(
            10,
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(1),
            Duration.ofMillis(500),
            Optional.empty(),
            Optional.empty());

    public DataSourceSettings {
        if (maximumPoolSize < 1) {
            throw new IllegalArgumentException("maximumPoolSize must be at least 1, not " + maximumPoolSize);
        }
        // HikariCP refuses less than 250 ms
        requireAtLeast("connectionTimeout", connectionTimeout, Duration.ofMillis(250));
        requireAtLeast("readLagLimit", readLagLimit, Duration.ZERO);
        requireAtLeast("lagCheckInterval", lagCheckInterval, Duration.ofMillis(1));
        requireAtLeast("discoveryInterval", discoveryInterval, Duration.ofMillis(1));
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    public static Builder builder() {
        return DEFAULTS.toBuilder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void requireAtLeast(String name, Duration value, Duration least) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(least) < 0) {
            throw new IllegalArgumentException(name + " must be at least " + least + ", not " + value);
        }
    }

    /** Builds {@link DataSourceSettings}, starting from {@link #DEFAULTS} or from the settings it came from. */
    public static final class Builder {
        private int maximumPoolSize;
        private Duration connectionTimeout;
        private Duration readLagLimit;
        private Duration lagCheckInterval;
        private Duration discoveryInterval;
        private Optional<String> user;
        private Optional<Secret> password;

        private Builder(DataSourceSettings from) {
            this.maximumPoolSize = from.maximumPoolSize;
            this.connectionTimeout = from.connectionTimeout;
            this.readLagLimit = from.readLagLimit;
            this.lagCheckInterval = from.lagCheckInterval;
            this.discoveryInterval = from.discoveryInterval;
            this.user = from.user;
            this.password = from.password;
        }

        public Builder maximumPoolSize(int size) {
            this.maximumPoolSize = size;
            return this;
        }

        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = timeout;
            return this;
        }

        public Builder readLagLimit(Duration limit) {
            this.readLagLimit = limit;
            return this;
        }

        public Builder lagCheckInterval(Duration interval) {
            this.lagCheckInterval = interval;
            return this;
        }

        public Builder discoveryInterval(Duration interval) {
            this.discoveryInterval = interval;
            return this;
        }

        /** The application's account on every server, instead of MHA's {@code user}/{@code password}. */
        public Builder credentials(String user, Secret password) {
            this.user = Optional.of(user);
            this.password = Optional.of(password);
            return this;
        }

        public DataSourceSettings build() {
            return new DataSourceSettings(
                    maximumPoolSize,
                    connectionTimeout,
                    readLagLimit,
                    lagCheckInterval,
                    discoveryInterval,
                    user,
                    password);
        }
    }
}
