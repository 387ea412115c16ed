package io.mha4j.samples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.manager.ManagerOptions;
import io.mha4j.manager.Supervisor;
import io.mha4j.monitor.MonitorListener;
import io.mha4j.monitor.PingOutcome;
import io.mha4j.monitor.Verdict;
import io.mha4j.monitor.VerdictKind;
import io.mha4j.testkit.OpenSshServer;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * mha4j's manager as users run it ({@code mha4j manager}): the {@link Supervisor} with the default
 * options and the real monitor, in a thread of this JVM; over SSH through the trial's sshd, or with
 * {@code remote_shell=local}. It stays up after the failover, as by default; {@link #finish} stops it.
 * What it reports is read where users read it: {@code <workdir>/bench.failover_report.json}.
 */
final class Mha4jUnderTest implements ManagerUnderTest {
    private static final String APP = "bench";

    private final ApplicationConfig config;
    private final Path workdir;
    private final boolean overSsh;
    private final CompletableFuture<Void> monitoring = new CompletableFuture<>();
    private final CompletableFuture<Supervisor.Result> result = new CompletableFuture<>();
    private final AtomicLong dead = new AtomicLong();
    private Supervisor supervisor;

    Mha4jUnderTest(
            SandboxCluster cluster,
            Optional<OpenSshServer> sshd,
            Path workdir,
            int pingInterval,
            boolean mergeRecovered) {
        this.config = configBuilder(
                        cluster, sshd.map(s -> (Function<SandboxNode, OpenSshServer>) n -> s), workdir, pingInterval)
                .set(Parameter.MERGE_RECOVERED_TRANSACTIONS, mergeRecovered)
                .build();
        this.workdir = workdir;
        this.overSsh = sshd.isPresent();
    }

    /**
     * Every server where the sandbox placed it, its binary logs in its datadir; each host reached
     * over its node's sshd (one per host in network namespaces, or one serving every host), or local.
     */
    static ApplicationConfig.Builder configBuilder(
            SandboxCluster cluster,
            Optional<Function<SandboxNode, OpenSshServer>> sshdOf,
            Path workdir,
            int pingInterval) {
        ApplicationConfig.Builder b = ApplicationConfig.builder(APP)
                .user(SandboxCredentials.ADMIN.user())
                .password(SandboxCredentials.ADMIN.password())
                .replUser(SandboxCredentials.REPLICATION.user())
                .replPassword(SandboxCredentials.REPLICATION.password())
                .managerWorkdir(workdir)
                .set(Parameter.REMOTE_WORKDIR, workdir.resolve("remote").toString())
                .pingInterval(pingInterval);
        if (sshdOf.isEmpty()) {
            b.set(Parameter.REMOTE_SHELL, "local");
        }
        for (SandboxNode n : cluster.nodes()) {
            b.server("server" + n.index(), s -> {
                s.hostname(n.host())
                        .port(n.port())
                        .masterBinlogDirs(List.of(n.dataDir().toString()));
                sshdOf.map(of -> of.apply(n))
                        .ifPresent(sshd -> s.sshUser(sshd.user())
                                .set(Parameter.SSH_PORT, sshd.port())
                                .set(
                                        Parameter.SSH_IDENTITY_FILE,
                                        sshd.clientKey().toString())
                                .set(
                                        Parameter.SSH_KNOWN_HOSTS_FILE,
                                        sshd.knownHostsFile().toString()));
            });
        }
        return b;
    }

    @Override
    public void start() {
        // remote_shell=local: every "host" is this one and no route between hosts exists to test (as the demo runs it).
        supervisor = Supervisor.builder(config)
                .options(ManagerOptions.DEFAULTS.withWorkdir(workdir).withSkipSshCheck(!overSsh))
                .listener(new MonitorListener() {
                    @Override
                    public void onPing(PingOutcome outcome) {
                        if (outcome.ok()) {
                            monitoring.complete(null);
                        }
                    }

                    @Override
                    public void onVerdict(Verdict verdict) {
                        if (verdict.kind() == VerdictKind.DEAD) {
                            dead.compareAndSet(0, System.nanoTime());
                        }
                    }
                })
                .build();
        Thread t = new Thread(
                () -> {
                    try {
                        result.complete(supervisor.run());
                    } catch (Throwable e) {
                        result.completeExceptionally(e);
                    }
                },
                "mha4j-bench-manager");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void awaitMonitoring(Duration limit) {
        try {
            CompletableFuture.anyOf(monitoring, result).get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("mha4j's manager did not ping the master within " + limit);
        } catch (ExecutionException e) {
            throw new IllegalStateException("mha4j's manager failed at start: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (!monitoring.isDone()) {
            throw new IllegalStateException(
                    "mha4j's manager ended at start: " + result.join().summary());
        }
    }

    @Override
    public OptionalLong declaredDead() {
        long at = dead.get();
        return at == 0 ? OptionalLong.empty() : OptionalLong.of(at);
    }

    @Override
    public String finish(Duration limit) {
        boolean endedOnItsOwn = result.isDone();
        supervisor.stop();
        String manager;
        try {
            Supervisor.Result r = result.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            manager = "manager exit " + r.exitCode() + (endedOnItsOwn ? " on its own (" + r.summary() + ")" : "");
        } catch (TimeoutException e) {
            manager = "MANAGER DID NOT STOP within " + limit.toSeconds() + " s";
        } catch (ExecutionException e) {
            manager = "manager threw " + e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            manager = "interrupted";
        }
        return report() + "; " + manager;
    }

    /** The failover report's outcome, recovered transactions and duration, as the JSON file has them. */
    private String report() {
        Path file = workdir.resolve(APP + ".failover_report.json");
        if (!Files.exists(file)) {
            return "no failover report";
        }
        try {
            JsonNode r = new ObjectMapper().readTree(file.toFile());
            JsonNode compensation = r.path("compensation");
            return "report " + r.path("outcome").asText() + " in "
                    + r.path("durationMs").asLong() + " ms"
                    + (compensation.isObject()
                            ? ", recovered " + compensation.path("transactions").asLong() + " transaction(s) in "
                                    + compensation.path("durationMs").asLong() + " ms (" + steps(compensation)
                                    + ") from " + compensation.path("source").asText()
                            : "");
        } catch (IOException e) {
            return "unreadable report " + file + ": " + e.getMessage();
        }
    }

    /** The compensation's steps and their times: {@code connect 0, locate 9, tool 189, replay 54, verify 4}. */
    private static String steps(JsonNode compensation) {
        List<String> steps = new ArrayList<>();
        compensation
                .path("steps")
                .forEach(s -> steps.add(
                        s.path("name").asText() + " " + s.path("durationMs").asLong()));
        return String.join(", ", steps);
    }

    /** Stops the manager and waits for it (bounded): one left running could act on the next trial's servers. */
    @Override
    public void close() {
        if (supervisor != null) {
            supervisor.stop();
            try {
                result.get(60, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // said by finish() when it matters; the thread is a daemon
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
