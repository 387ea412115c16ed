package io.mha4j.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mha4j.FailoverHook;
import io.mha4j.SandboxConfigs;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.MhaConfigReader;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverContext;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.MasterFailover;
import io.mha4j.failover.MasterSwitchover;
import io.mha4j.failover.SwitchoverReport;
import io.mha4j.gtid.MariadbGtidSet;
import io.mha4j.guard.GuardEvent.Kind;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard on real servers that start writable, as production my.cnf files have them: a
 * restarted old master is fenced within a ping interval, a frozen one that resumes loses the
 * application sessions it kept, it rejoins with rejoin_old_master=1 (and gets its block back),
 * transactions only it has are saved and it is parked, a replica frozen during the failover
 * is rewired when it answers, and an online switch's original master loses its sessions.
 */
class OldMasterGuardIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Generous: the goal is one ping interval (1 s here), on a shared 2-core machine. */
    private static final Duration FENCE_BOUND = Duration.ofSeconds(5);

    @TempDir
    Path workdir;

    private SandboxCluster cluster;
    private final List<GuardEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        cluster = SandboxCluster.builder().nodes(3).startsReadOnly(false).start();
        cluster.master()
                .execute(
                        "CREATE DATABASE guardtest",
                        "CREATE TABLE guardtest.t (id INT AUTO_INCREMENT" + " PRIMARY KEY, v INT)",
                        "INSERT INTO guardtest.t (v) VALUES (1)");
        cluster.awaitReplicasCaughtUp(WAIT);
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    private ApplicationConfig config() {
        return SandboxConfigs.quick(cluster, workdir).build();
    }

    private static ServerConfig server(ApplicationConfig config, int i) {
        return config.server("server" + i).orElseThrow();
    }

    private OldMasterGuard guard(ApplicationConfig config, FailoverReport report, boolean rejoin) {
        assertThat(report.outcome().promoted()).as(report.toText()).isTrue();
        return OldMasterGuard.builder(config)
                .after(report)
                .rejoinOldMaster(rejoin)
                .listener(events::add)
                .start();
    }

    private List<Kind> kinds(ServerConfig s) {
        return events.stream()
                .filter(e -> e.server().block().equals(s.block()))
                .map(GuardEvent::kind)
                .toList();
    }

    private GuardEvent event(ServerConfig s, Kind kind) {
        return events.stream()
                .filter(e -> e.server().block().equals(s.block()) && e.kind() == kind)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " for " + s.block() + " in " + events));
    }

    private static void insertAsApplication(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO guardtest.t (v) VALUES (2)");
        }
    }

    @Test
    void aRestartedOldMasterIsFencedWithinAPingIntervalAndParkedWithTheRejoinStatement() throws Exception {
        cluster.node(1).kill();
        ApplicationConfig config = config();
        FailoverReport report = MasterFailover.builder(config).build().run(server(config, 1));
        try (OldMasterGuard guard = guard(config, report, false)) {
            cluster.node(1).start();
            Instant up = Instant.now();
            // Seen from outside, by an ordinary client.
            await().atMost(WAIT)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> cluster.node(1).isReadOnly());
            Duration window = Duration.between(up, Instant.now());
            assertThat(window)
                    .as("restart accepted connections -> read_only=1 seen from outside")
                    .isLessThan(FENCE_BOUND);
            await().atMost(WAIT).until(() -> kinds(server(config, 1)).contains(Kind.PARKED));

            GuardEvent fenced = event(server(config, 1), Kind.FENCED);
            assertThat(fenced.refusingWritesAfter()).get().matches(d -> d.compareTo(FENCE_BOUND) < 0, "within bound");
            assertThat(fenced.actions()).contains("read_only=ON");
            GuardEvent parked = event(server(config, 1), Kind.PARKED);
            assertThat(parked.rejoinStatement())
                    .get()
                    .asString()
                    .contains("MASTER_PORT=" + cluster.node(2).port())
                    .contains("MASTER_PASSWORD='xxx'")
                    .doesNotContain(SandboxCredentials.REPLICATION.password());
            try (Connection app = cluster.node(1).connect(SandboxCredentials.APPLICATION)) {
                assertThatThrownBy(() -> insertAsApplication(app)).hasMessageContaining("read-only");
            }
            assertThat(cluster.node(1).replicaStatus())
                    .as("not rejoined with rejoin_old_master=0")
                    .isEmpty();
            assertThat(guard.guarded()).containsExactly(server(config, 1));
            assertThat(cluster.master()).isSameAs(cluster.node(2));
        }
    }

    @Test
    void aFrozenOldMasterThatResumesAfterTheFailoverLosesItsApplicationSessions() throws Exception {
        SandboxNode old = cluster.node(1);
        try (Connection app1 = old.connect(SandboxCredentials.APPLICATION);
                Connection app2 = old.connect(SandboxCredentials.APPLICATION)) {
            insertAsApplication(app1);
            cluster.awaitReplicasCaughtUp(WAIT);
            old.pause();
            ApplicationConfig config = config();
            // A frozen master is failed over only once fenced; this STONITH says it powered the host off
            // but did not (the wrong host, a stuck power controller): the guard is the last line.
            FailoverHook claimsToFence = new FailoverHook() {
                @Override
                public String name() {
                    return "stonith-that-missed";
                }

                @Override
                public boolean fence(FailoverContext context, boolean sshReachable) {
                    return true;
                }
            };
            FailoverReport report =
                    MasterFailover.builder(config).hook(claimsToFence).build().run(server(config, 1));
            try (OldMasterGuard guard = guard(config, report, false)) {
                old.resume();
                await().atMost(WAIT).until(() -> kinds(server(config, 1)).contains(Kind.FENCED));
                assertThat(old.isReadOnly()).isTrue();
                GuardEvent fenced = event(server(config, 1), Kind.FENCED);
                assertThat(fenced.actions()).anyMatch(a -> a.matches("killed [2-9]\\d* application session\\(s\\)"));
                for (Connection c : List.of(app1, app2)) {
                    assertThatThrownBy(() -> insertAsApplication(c))
                            .as("a session kept through the freeze")
                            .isInstanceOf(SQLException.class);
                }
                assertThat(cluster.master()).isSameAs(cluster.node(2));
            }
        }
    }

    @Test
    void withRejoinOldMaster1ItReplicatesFromTheNewMasterAndGetsItsBlockBack() throws Exception {
        StringBuilder text = new StringBuilder("[server default]\nuser=" + SandboxCredentials.ADMIN.user()
                + "\npassword=" + SandboxCredentials.ADMIN.password() + "\nrepl_user="
                + SandboxCredentials.REPLICATION.user() + "\nrepl_password=" + SandboxCredentials.REPLICATION.password()
                + "\nmanager_workdir=" + workdir + "\nremote_workdir=" + workdir
                + "\nremote_shell=local\nping_interval=1\n"
                + "rejoin_old_master=1\n");
        for (SandboxNode n : cluster.nodes()) {
            text.append("\n[server")
                    .append(n.index())
                    .append("]\nhostname=127.0.0.1\nport=")
                    .append(n.port())
                    .append("\nmaster_binlog_dir=")
                    .append(n.dataDir())
                    .append('\n');
        }
        Path file = Files.writeString(workdir.resolve("app1.cnf"), text);
        cluster.node(1).kill();
        ApplicationConfig config = MhaConfigReader.read(file);
        FailoverReport report = MasterFailover.builder(config)
                .removeDeadMasterConf(true)
                .build()
                .run(server(config, 1));
        assertThat(Files.readString(file)).doesNotContain("[server1]");
        try (OldMasterGuard guard = OldMasterGuard.builder(config)
                .after(report)
                .listener(events::add)
                .start()) {
            cluster.node(1).start();
            await().atMost(WAIT).until(() -> kinds(server(config, 1)).contains(Kind.REJOINED));

            assertThat(kinds(server(config, 1))).containsExactly(Kind.FENCED, Kind.REJOINED);
            assertThat(cluster.node(1).replicaStatus().orElseThrow().get("Master_Port"))
                    .isEqualTo(String.valueOf(cluster.node(2).port()));
            cluster.node(2).execute("INSERT INTO guardtest.t (v) VALUES (3)");
            cluster.awaitReplicasCaughtUp(WAIT);
            assertThat(cluster.node(1).queryForString("SELECT COUNT(*) FROM guardtest.t WHERE v = 3"))
                    .isEqualTo("1");
            assertThat(Files.readString(file))
                    .contains("[server1]\nhostname=127.0.0.1\nport="
                            + cluster.node(1).port() + "\nmaster_binlog_dir="
                            + cluster.node(1).dataDir());
            assertThat(MhaConfigReader.read(file).servers()).hasSize(3);
            assertThat(guard.guarded()).isEmpty();
        }
    }

    @Test
    void transactionsOnlyTheOldMasterHasAreSavedAndItIsParkedReadOnly() throws Exception {
        cluster.node(2).stopReplicaIoThread();
        cluster.node(3).stopReplicaIoThread();
        cluster.node(1).execute("INSERT INTO guardtest.t (v) VALUES (40)", "INSERT INTO guardtest.t (v) VALUES (41)");
        String lastOfOld = cluster.node(1).queryForString("SELECT @@GLOBAL.gtid_binlog_pos");
        cluster.node(1).kill();
        ApplicationConfig config = config();
        // Without its binary logs the failover cannot recover those two: the old master is "ahead".
        FailoverReport report = MasterFailover.builder(config)
                .skipSaveMasterBinlog(true)
                .build()
                .run(server(config, 1));
        try (OldMasterGuard guard = guard(config, report, true)) {
            cluster.node(1).start();
            await().atMost(WAIT).until(() -> kinds(server(config, 1)).contains(Kind.PARKED));

            GuardEvent parked = event(server(config, 1), Kind.PARKED);
            MariadbGtidSet errant = MariadbGtidSet.parse(lastOfOld)
                    .subtract(MariadbGtidSet.parse(cluster.node(2).queryForString("SELECT @@GLOBAL.gtid_current_pos")));
            assertThat(errant.count()).isEqualTo(2);
            assertThat(parked.errantGtids()).contains(errant.toString());
            Path saved = parked.savedTransactions().orElseThrow();
            assertThat(saved).startsWith(workdir).exists();
            long last = errant.lastSeq(0).orElseThrow();
            assertThat(Files.readString(saved)).contains("GTID 0-1-" + (last - 1) + " ", "GTID 0-1-" + last + " ");
            assertThat(parked.detail()).contains("never rejoined").contains(saved.toString());
            assertThat(cluster.node(1).isReadOnly()).isTrue();
            assertThat(cluster.node(1).replicaStatus())
                    .as("never rejoined, even with rejoin_old_master=1")
                    .isEmpty();
            assertThat(guard.guarded()).contains(server(config, 1));
        }
    }

    @Test
    void afterAnOnlineSwitchTheOriginalMasterLosesItsSessionsAndIsParkedWithTheStatement() throws Exception {
        try (Connection app = cluster.node(1).connect(SandboxCredentials.APPLICATION)) {
            insertAsApplication(app);
            cluster.awaitReplicasCaughtUp(WAIT);
            ApplicationConfig config = config();
            SwitchoverReport report = MasterSwitchover.builder(config)
                    .newMaster(server(config, 2))
                    .guardListener(events::add)
                    .build()
                    .run(server(config, 1));

            assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
            assertThat(kinds(server(config, 1)))
                    .as("settled before run() returns")
                    .containsExactly(Kind.FENCED, Kind.PARKED);
            assertThat(event(server(config, 1), Kind.FENCED).actions()).contains("killed 1 application session(s)");
            assertThatThrownBy(() -> insertAsApplication(app)).isInstanceOf(SQLException.class);
            assertThat(event(server(config, 1), Kind.PARKED).rejoinStatement())
                    .get()
                    .asString()
                    .contains("MASTER_PORT=" + cluster.node(2).port());
            assertThat(cluster.node(1).isReadOnly()).isTrue();
            assertThat(cluster.master()).isSameAs(cluster.node(2));
        }
    }

    @Test
    void aReplicaFrozenDuringTheFailoverIsRewiredToTheNewMasterWhenItAnswers() throws Exception {
        SandboxNode frozen = cluster.node(3);
        try (Connection app = frozen.connect(SandboxCredentials.APPLICATION)) {
            frozen.pause();
            cluster.node(1).kill();
            ApplicationConfig config = config();
            FailoverReport report = MasterFailover.builder(config).build().run(server(config, 1));
            assertThat(report.replicas())
                    .filteredOn(r -> !r.recovered())
                    .extracting(r -> r.server())
                    .containsExactly(server(config, 3).displayName());
            try (OldMasterGuard guard = guard(config, report, false)) {
                assertThat(guard.guarded()).contains(server(config, 3));
                frozen.resume();
                await().atMost(WAIT).until(() -> kinds(server(config, 3)).contains(Kind.REJOINED));

                assertThat(kinds(server(config, 3))).containsExactly(Kind.FENCED, Kind.REJOINED);
                assertThat(event(server(config, 3), Kind.FENCED).actions()).contains("killed 1 application session(s)");
                assertThatThrownBy(() -> insertAsApplication(app)).isInstanceOf(SQLException.class);
                assertThat(frozen.replicaStatus().orElseThrow().get("Master_Port"))
                        .isEqualTo(String.valueOf(cluster.node(2).port()));
                cluster.node(2).execute("INSERT INTO guardtest.t (v) VALUES (5)");
                cluster.awaitReplicasCaughtUp(WAIT);
                assertThat(frozen.queryForString("SELECT COUNT(*) FROM guardtest.t WHERE v = 5"))
                        .isEqualTo("1");
                assertThat(guard.guarded()).containsExactly(server(config, 1));
            }
        }
    }
}
