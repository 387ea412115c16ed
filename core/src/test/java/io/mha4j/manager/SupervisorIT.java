package io.mha4j.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.failover.FailoverGuard;
import io.mha4j.failover.FailoverReport;
import io.mha4j.monitor.Verdict;
import io.mha4j.monitor.VerdictKind;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manager on real servers: it refuses to start on check errors, keeps MHA's status file,
 * hands a dead master to the failover once, and the anti-flap rule holds the next one back; a
 * refused failover sends a staying manager back to monitoring. The failover is a recording
 * stand-in here; the real one, and the manager staying up after it, are tested in
 * {@code ManagerStaysUpIT}.
 */
class SupervisorIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static SandboxCluster cluster;

    @TempDir
    Path workdir;

    private final List<Verdict> failovers = new CopyOnWriteArrayList<>();
    private final FailoverAction recording = (config, topology, verdict, options) -> {
        failovers.add(verdict);
        return report(config, FailoverReport.Outcome.SUCCEEDED);
    };

    /** What a stand-in failover reports: server2 promoted when it says so. */
    private static FailoverReport report(ApplicationConfig config, FailoverReport.Outcome outcome) {
        return ManagerFixtures.report(
                config.servers().get(0).displayName(),
                outcome.promoted() ? Optional.of(config.servers().get(1).displayName()) : Optional.empty(),
                outcome);
    }

    @BeforeAll
    static void start() {
        cluster = SandboxCluster.builder().nodes(3).start();
    }

    @AfterAll
    static void close() {
        cluster.close();
    }

    /** node1 master again, writable, both replicas running. */
    @AfterEach
    void heal() {
        SandboxNode m = cluster.node(1);
        if (!m.isRunning()) {
            m.start();
        }
        m.execute("SET GLOBAL read_only=OFF");
        for (SandboxNode r : List.of(cluster.node(2), cluster.node(3))) {
            r.execute("START SLAVE");
            // They retry the restarted master every second; until then check_repl rightly fails.
            await().atMost(WAIT)
                    .until(() -> r.replicaStatus()
                            .map(st -> st.get("Slave_IO_Running"))
                            .filter("Yes"::equals)
                            .isPresent());
        }
        cluster.awaitReplicasCaughtUp(WAIT);
    }

    private ApplicationConfig config() {
        ApplicationConfig.Builder b = ApplicationConfig.builder("app1")
                .user(SandboxCredentials.ADMIN.user())
                .password(SandboxCredentials.ADMIN.password())
                .replUser(SandboxCredentials.REPLICATION.user())
                .replPassword(SandboxCredentials.REPLICATION.password())
                .pingInterval(1)
                .managerWorkdir(workdir)
                .set(Parameter.REMOTE_SHELL, "local");
        for (SandboxNode n : cluster.nodes()) {
            b.server("server" + n.index(), s -> s.hostname("127.0.0.1").port(n.port()));
        }
        return b.build();
    }

    /** MHA's behaviour: exit after a failover (the stand-in failover changes nothing to monitor next). */
    private static ManagerOptions options() {
        return ManagerOptions.MHA_DEFAULTS.withSkipSshCheck(true);
    }

    private CompletableFuture<Supervisor.Result> runInBackground(Supervisor s) {
        return CompletableFuture.supplyAsync(s::run);
    }

    private void awaitPingOk(CompletableFuture<Supervisor.Result> run) {
        StatusFile f = new StatusFile(workdir, "app1");
        await().atMost(WAIT)
                .until(() -> run.isDone()
                        || f.read()
                                .flatMap(StatusFile.Entry::parsedStatus)
                                .filter(ManagerStatus.PING_OK::equals)
                                .isPresent());
        assertThat(run).as(() -> "the manager ended early: " + run.join()).isNotDone();
    }

    @Test
    void aDeadMasterIsFailedOverOnceAndTheNextFailureIsHeldBack() {
        Supervisor first = Supervisor.builder(config())
                .options(options())
                .failover(recording)
                .build();
        CompletableFuture<Supervisor.Result> run = runInBackground(first);
        awaitPingOk(run);
        assertThat(new StatusFile(workdir, "app1").read().orElseThrow().master())
                .contains("127.0.0.1");
        assertThat(StatusCheck.of(
                                "app1",
                                workdir,
                                Duration.ofSeconds(1),
                                java.util.Optional.empty(),
                                java.time.Instant.now())
                        .status())
                .isEqualTo(ManagerStatus.PING_OK);

        cluster.node(1).kill();
        Supervisor.Result r = run.orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                .join();

        assertThat(r.exitCode()).as(r.summary()).isZero();
        assertThat(failovers).singleElement().extracting(Verdict::kind).isEqualTo(VerdictKind.DEAD);
        assertThat(new FailoverGuard(workdir, "app1").completeFile()).exists();
        assertThat(new StatusFile(workdir, "app1").read())
                .as("status file removed at exit")
                .isEmpty();
        assertThat(ManagerLock.isHeld(workdir, "app1")).isFalse();

        heal();
        Supervisor second = Supervisor.builder(config())
                .options(options())
                .failover(recording)
                .build();
        CompletableFuture<Supervisor.Result> again = runInBackground(second);
        awaitPingOk(again);
        cluster.node(1).kill();
        Supervisor.Result blocked = again.orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                .join();
        assertThat(blocked.exitCode()).isEqualTo(1);
        assertThat(blocked.summary()).contains("too early to do failover again");
        assertThat(failovers).hasSize(1);
    }

    @Test
    void ignoreLastFailoverLetsTheNextFailoverThrough() {
        new FailoverGuard(workdir, "app1").markComplete(java.time.Instant.now());
        ManagerOptions ignoring = options().withIgnoreLastFailover(true);
        CompletableFuture<Supervisor.Result> run = runInBackground(Supervisor.builder(config())
                .options(ignoring)
                .failover(recording)
                .build());
        awaitPingOk(run);
        cluster.node(1).kill();
        assertThat(run.orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                        .join()
                        .exitCode())
                .isZero();
        assertThat(failovers).hasSize(1);
    }

    @Test
    void aFailedFailoverExits1AndLeavesTheErrorFlag() {
        FailoverAction failing = (config, topology, verdict, options) -> report(config, FailoverReport.Outcome.FAILED);
        CompletableFuture<Supervisor.Result> run = runInBackground(Supervisor.builder(config())
                .options(options())
                .failover(failing)
                .build());
        awaitPingOk(run);
        cluster.node(1).kill();
        Supervisor.Result r = run.orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                .join();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.summary()).contains("failed");
        assertThat(new FailoverGuard(workdir, "app1").errorFile()).exists();
        assertThat(new FailoverGuard(workdir, "app1").completeFile()).doesNotExist();
    }

    @Test
    void aRefusedFailoverChangesNothingAndAStayingManagerMonitorsAgain() {
        FailoverAction refusing = (config, topology, verdict, options) -> {
            cluster.node(1).start(); // what a refusal finds: the "dead" master answers after all
            cluster.node(1).execute("SET GLOBAL read_only=OFF");
            failovers.add(verdict);
            return report(config, FailoverReport.Outcome.REFUSED);
        };
        // Until the replicas reconnect to the restarted master the start-up check fails: retry it.
        Supervisor s = Supervisor.builder(config())
                .options(ManagerOptions.DEFAULTS.withSkipSshCheck(true).withWaitOnMonitorError(Duration.ofSeconds(1)))
                .failover(refusing)
                .build();
        CompletableFuture<Supervisor.Result> run = runInBackground(s);
        awaitPingOk(run);
        cluster.node(1).kill();
        await().atMost(WAIT).until(() -> !failovers.isEmpty());
        heal();
        awaitPingOk(run);
        assertThat(new FailoverGuard(workdir, "app1").errorFile())
                .as("nothing changed: no error flag")
                .doesNotExist();
        s.stop();
        assertThat(run.orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                        .join()
                        .summary())
                .isEqualTo("stopped");
        assertThat(failovers).hasSize(1);
    }

    @Test
    void withExitAfterFailoverARefusedFailoverExits1AsBefore() {
        FailoverAction refusing =
                (config, topology, verdict, options) -> report(config, FailoverReport.Outcome.REFUSED);
        CompletableFuture<Supervisor.Result> run = runInBackground(Supervisor.builder(config())
                .options(options())
                .failover(refusing)
                .build());
        awaitPingOk(run);
        cluster.node(1).kill();
        Supervisor.Result r = run.orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                .join();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.summary()).contains("refused");
    }

    @Test
    void refusesToStartWhenReplicationChecksFail() {
        cluster.node(2).stopReplicaSqlThread();
        Supervisor.Result r = Supervisor.builder(config())
                .options(options())
                .failover(recording)
                .build()
                .run();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(failovers).isEmpty();
        assertThat(ManagerLock.isHeld(workdir, "app1")).isFalse();
    }

    @Test
    void waitOnMonitorErrorRetriesTheChecksUntilTheyPass() {
        cluster.node(2).stopReplicaSqlThread();
        ManagerOptions retrying = options().withWaitOnMonitorError(Duration.ofSeconds(1));
        Supervisor s = Supervisor.builder(config())
                .options(retrying)
                .failover(recording)
                .build();
        CompletableFuture<Supervisor.Result> run = runInBackground(s);
        StatusFile f = new StatusFile(workdir, "app1");
        await().atMost(WAIT)
                .until(() -> f.read()
                        .flatMap(StatusFile.Entry::parsedStatus)
                        .filter(st -> st == ManagerStatus.RETRYING_MONITOR || st == ManagerStatus.CONFIG_ERROR)
                        .isPresent());
        cluster.node(2).startReplica();
        awaitPingOk(run);
        s.stop();
        assertThat(run.orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                        .join()
                        .exitCode())
                .isZero();
    }

    @Test
    void aSecondManagerForTheSameApplicationRefusesToStart() {
        Supervisor first = Supervisor.builder(config())
                .options(options())
                .failover(recording)
                .build();
        CompletableFuture<Supervisor.Result> run = runInBackground(first);
        awaitPingOk(run);
        Supervisor.Result second = Supervisor.builder(config())
                .options(options())
                .failover(recording)
                .build()
                .run();
        assertThat(second.exitCode()).isEqualTo(1);
        assertThat(second.summary())
                .startsWith("Another manager is running for app1")
                .contains("pid " + ProcessHandle.current().pid())
                .contains("0:PING_OK")
                .contains("monitors master " + config().servers().get(0).displayName());
        first.stop();
        assertThat(run.orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                        .join()
                        .summary())
                .isEqualTo("stopped");
        assertThat(failovers).isEmpty();
    }
}
