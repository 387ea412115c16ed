package io.mha4j.internal.failover;

import io.mha4j.DataCompensator;
import io.mha4j.MasterElector;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.Compensation;
import io.mha4j.failover.CompensationRequest;
import io.mha4j.server.SqlFailure;
import io.mha4j.time.ManualScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;

/**
 * A MariaDB cluster of scripted servers for the failover's phases, in virtual time: server1 (port
 * 3306) the master, server2.. (3307..) its read-only replicas at {@code 0-1-10}. What a test does
 * not change answers as a healthy cluster would; {@link #down} servers refuse connections.
 */
final class ScriptedCluster implements AutoCloseable {
    static final Duration APPLY_TIMEOUT = Duration.ofMinutes(10);

    final ApplicationConfig config;
    final ManualScheduler time = new ManualScheduler();
    final Set<String> down = ConcurrentHashMap.newKeySet();
    /** What the compensation was asked, in order. */
    final List<CompensationRequest> compensations = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Every statement any server executed, in order, as {@code <block>: <sql>}. */
    final List<String> journal = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Map<String, ScriptedReplica> byBlock = new LinkedHashMap<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    /** @param settings each server's settings beyond host and port, by index (1 = the master) */
    ScriptedCluster(int servers, BiConsumer<Integer, ServerConfig.Builder> settings) {
        ApplicationConfig.Builder b = ApplicationConfig.builder("app1")
                .user("mha")
                .password("pw")
                .replUser("repl")
                .replPassword("repl-pw")
                .managerWorkdir(Path.of("/nonexistent/mha4j-test"))
                .set(Parameter.APPLY_TIMEOUT, APPLY_TIMEOUT);
        for (int i = 1; i <= servers; i++) {
            int n = i;
            b.server(
                    "server" + i,
                    s -> settings.accept(n, s.hostname("127.0.0.1").port(3305 + n)));
        }
        this.config = b.build();
        for (int i = 1; i <= servers; i++) {
            ScriptedReplica s = new ScriptedReplica(config.servers().get(i - 1), i);
            s.journal = journal;
            s.sources = port -> byBlock.values().stream()
                    .filter(x -> x.config().port() == port)
                    .findFirst()
                    .orElse(null);
            byBlock.put("server" + i, s);
        }
        ScriptedReplica master = server(1);
        master.replicates = false;
        master.readOnly = false;
    }

    ScriptedReplica server(int index) {
        return byBlock.get("server" + index);
    }

    ServerConfig config(int index) {
        return config.servers().get(index - 1);
    }

    /** Connects to the scripted server, or refuses as a stopped mysqld does. */
    Connector connector() {
        return (server, bound) -> {
            if (down.contains(server.block())) {
                throw new SqlFailure(
                        server.displayName(),
                        "connect",
                        SqlFailure.Kind.CONNECTION_REFUSED,
                        2003,
                        "HY000",
                        "Can't connect to MySQL server on '" + server.address() + "' (111)",
                        null);
            }
            return byBlock.get(server.block()).connection();
        };
    }

    /** The phases' setup: this cluster, MHA's election unless told otherwise, nothing to compensate. */
    FailoverSetup setup(MasterElector elector) {
        return setup(elector, List.of());
    }

    /** {@link #setup(MasterElector)} with {@code hooks} asked as a failover asks them. */
    FailoverSetup setup(MasterElector elector, List<io.mha4j.FailoverHook> hooks) {
        DataCompensator nothingMissing = new DataCompensator() {
            @Override
            public Compensation compensate(CompensationRequest request) {
                compensations.add(request);
                return Compensation.checked(
                        "the scripted dead master's binary logs",
                        Optional.empty(),
                        Optional.empty(),
                        "nothing to recover",
                        List.of());
            }
        };
        return new FailoverSetup(
                config,
                time,
                connector(),
                pool,
                null,
                Path.of("/nonexistent/mha4j-test"),
                elector,
                nothingMissing,
                new GtidRewirer(),
                new HookChain(hooks),
                APPLY_TIMEOUT);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
