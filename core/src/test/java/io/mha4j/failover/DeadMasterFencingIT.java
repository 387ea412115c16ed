package io.mha4j.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.FailoverHook;
import io.mha4j.SandboxConfigs;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A master that may still be alive — SIGSTOPped: its port accepts, SQL never answers, its host
 * answers "SSH" (the local shell here) — is failed over only once fenced. Without a fence the
 * failover stops, nothing irreversible is done, and replication resumes when the master does;
 * with a hook that fences it, the failover goes on.
 */
class DeadMasterFencingIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path workdir;

    private SandboxCluster cluster;

    @BeforeEach
    void start() {
        cluster = SandboxCluster.builder().nodes(3).start();
        cluster.master()
                .execute(
                        "CREATE DATABASE fence_it",
                        "CREATE TABLE fence_it.t (id INT PRIMARY KEY)",
                        "INSERT INTO fence_it.t VALUES (1)");
        cluster.awaitReplicasCaughtUp(WAIT);
    }

    @AfterEach
    void close() {
        if (cluster.node(1).isPaused()) {
            cluster.node(1).resume();
        }
        cluster.close();
    }

    private ApplicationConfig config() {
        return SandboxConfigs.builder(
                        cluster,
                        workdir,
                        (n, s) -> s.masterBinlogDirs(List.of(n.dataDir().toString())))
                .set(Parameter.SQL_CONNECT_TIMEOUT, Duration.ofSeconds(1))
                .set(Parameter.APPLY_TIMEOUT, Duration.ofSeconds(20))
                .build();
    }

    private static ServerConfig server1(ApplicationConfig config) {
        return config.server("server1").orElseThrow();
    }

    private static String io(SandboxNode replica) {
        return replica.replicaStatus().orElseThrow().get("Slave_IO_Running");
    }

    @Test
    void aFrozenMasterThatNothingFencesIsNotFailedOverAndReplicationResumesWhenItDoes() {
        SandboxNode master = cluster.node(1);
        AtomicInteger isolations = new AtomicInteger();
        FailoverHook vip = new FailoverHook() {
            @Override
            public String name() {
                return "test-vip";
            }

            @Override
            public void isolate(FailoverContext context, boolean sshReachable) {
                isolations.incrementAndGet();
            }
        };
        master.pause();
        ApplicationConfig config = config();

        FailoverReport report = MasterFailover.builder(config).hook(vip).build().run(server1(config));

        System.out.printf(
                "frozen master, no fence: %s in %d ms: %s%n",
                report.outcome(),
                Duration.between(report.startedAt(), report.endedAt()).toMillis(),
                report.errors());
        assertThat(report.outcome()).isIn(FailoverReport.Outcome.REFUSED, FailoverReport.Outcome.FAILED);
        assertThat(report.newMaster()).isEmpty();
        assertThat(String.join(" ", report.errors()))
                .contains("may still be alive")
                .contains("its host answers SSH")
                .contains("shutdown_script")
                .contains("master_switch --master_state=dead")
                .contains("IO threads restarted on");
        assertThat(isolations)
                .as("the VIP stays where the application finds the master")
                .hasValue(0);
        for (SandboxNode replica : List.of(cluster.node(2), cluster.node(3))) {
            assertThat(replica.isReadOnly()).as("%s was not promoted", replica).isTrue();
            assertThat(replica.replicaStatus().orElseThrow().get("Master_Port"))
                    .isEqualTo(String.valueOf(master.port()));
            assertThat(io(replica)).as("%s's IO thread was restarted", replica).isNotEqualTo("No");
        }

        master.resume();
        master.execute("INSERT INTO fence_it.t VALUES (2)");
        cluster.awaitReplicasCaughtUp(WAIT);
        for (SandboxNode replica : List.of(cluster.node(2), cluster.node(3))) {
            assertThat(replica.queryForString("SELECT COUNT(*) FROM fence_it.t"))
                    .isEqualTo("2");
            assertThat(io(replica)).isEqualTo("Yes");
        }
        assertThat(cluster.master()).isSameAs(master);
    }

    @Test
    void aFrozenMasterThatAHookFencesIsFailedOver() {
        SandboxNode master = cluster.node(1);
        AtomicInteger fences = new AtomicInteger();
        FailoverHook stonith = new FailoverHook() {
            @Override
            public String name() {
                return "test-stonith";
            }

            @Override
            public boolean fence(FailoverContext context, boolean sshReachable) {
                fences.incrementAndGet();
                master.kill();
                return true;
            }
        };
        master.pause();
        ApplicationConfig config = config();

        FailoverReport report =
                MasterFailover.builder(config).hook(stonith).build().run(server1(config));

        System.out.printf(
                "frozen master, fenced by a hook: %s in %d ms%n",
                report.outcome(),
                Duration.between(report.startedAt(), report.endedAt()).toMillis());
        assertThat(report.outcome()).as(report.toString()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
        assertThat(fences).hasValue(1);
        assertThat(master.isRunning()).isFalse();
        SandboxNode newMaster = cluster.master();
        assertThat(newMaster).isNotSameAs(master);
        newMaster.execute("INSERT INTO fence_it.t VALUES (3)");
        await("both survivors have the new master's write")
                .atMost(WAIT)
                .until(() -> List.of(cluster.node(2), cluster.node(3)).stream()
                        .allMatch(r -> "2".equals(r.queryForString("SELECT COUNT(*) FROM fence_it.t"))));
    }
}
