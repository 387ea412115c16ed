package io.mha4j.binlog;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.internal.binlog.BinlogFollower;
import io.mha4j.remote.RemoteShells;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The application's binlog servers ({@code [binlogN]}), each keeping a raw copy of the current
 * master's binary logs in its {@code master_binlog_dir}, restarted with backoff when the copy
 * drops and following the new master after a failover. The failover reads these copies when the
 * dead master's host is unreachable. The manager runs them while it runs; a host application
 * may too:
 *
 * <pre>{@code
 * try (BinlogServers servers = BinlogServers.start(config, shells)) { ... }
 * }</pre>
 */
public final class BinlogServers implements AutoCloseable {
    private final List<BinlogFollower> followers;

    private BinlogServers(List<BinlogFollower> followers) {
        this.followers = List.copyOf(followers);
    }

    /** Starts one supervised copy per {@code [binlogN]} block; none when there is none. */
    public static BinlogServers start(ApplicationConfig config, RemoteShells shells) {
        return start(config, shells, Clock.systemUTC(), Duration.ofSeconds(1));
    }

    /** As {@link #start(ApplicationConfig, RemoteShells)}, with the first pause before a restart. */
    public static BinlogServers start(ApplicationConfig config, RemoteShells shells, Clock clock, Duration firstPause) {
        List<BinlogFollower> followers = new ArrayList<>();
        for (ServerConfig b : config.binlogServers()) {
            BinlogFollower f = new BinlogFollower(config, b, shells, clock, firstPause);
            f.start();
            followers.add(f);
        }
        return new BinlogServers(followers);
    }

    /** For each binlog server's block, the master it copies now ({@code host:port}), empty between masters. */
    public Map<String, String> following() {
        return followers.stream().collect(Collectors.toMap(f -> f.toString(), BinlogFollower::following));
    }

    public boolean isEmpty() {
        return followers.isEmpty();
    }

    @Override
    public void close() {
        followers.forEach(BinlogFollower::close);
    }
}
