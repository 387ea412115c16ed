package io.mha4j.datasource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.AcknowledgedWrites;
import io.mha4j.SandboxConfigs;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Secret;
import io.mha4j.config.ServerConfig;
import io.mha4j.guard.GuardEvent;
import io.mha4j.manager.ManagerEvent;
import io.mha4j.manager.ManagerOptions;
import io.mha4j.manager.MhaManager;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application writing through {@link TopologyDataSources#writer()} while an in-process manager
 * fails over a kill -9 of the master, on a real 3-node sandbox: every acknowledged write is on the
 * new master and the survivors agree, no write reached the old master after the switch (restarted,
 * it holds none), and the write outage the application saw is measured.
 */
class DataSourceFailoverIT {
    private static final Logger log = LoggerFactory.getLogger(DataSourceFailoverIT.class);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path workdir;

    private final AcknowledgedWrites writes = new AcknowledgedWrites("ds_it.writes");
    private final List<ManagerEvent> events = new CopyOnWriteArrayList<>();

    @Test
    void everyAcknowledgedWriteIsOnTheNewMasterAndNoneReachedTheOldOneAfterTheSwitch() throws Exception {
        try (SandboxCluster cluster =
                SandboxCluster.builder().nodes(3).startsReadOnly(false).start()) {
            SandboxNode oldMaster = cluster.node(1);
            oldMaster.execute("CREATE DATABASE ds_it", AcknowledgedWrites.createTable("ds_it.writes"));
            cluster.awaitReplicasCaughtUp(WAIT);
            ApplicationConfig config = SandboxConfigs.quick(cluster, workdir).build();
            DataSourceSettings settings = DataSourceSettings.builder()
                    .credentials(
                            SandboxCredentials.APPLICATION.user(), Secret.of(SandboxCredentials.APPLICATION.password()))
                    .connectionTimeout(Duration.ofSeconds(2))
                    .maximumPoolSize(4)
                    .build();
            try (TopologyDataSources db =
                    TopologyDataSources.builder(config).settings(settings).build()) {
                MhaManager manager = db.bind(MhaManager.builder(config))
                        .listener(events::add)
                        .options(ManagerOptions.DEFAULTS.withSkipSshCheck(true))
                        .workdir(workdir.resolve("manager"))
                        .build();
                try {
                    manager.start();
                    assertThat(manager.awaitMonitoring(WAIT).port()).isEqualTo(oldMaster.port());
                    CompletableFuture<Void> application =
                            writes.start(() -> db.writer().getConnection());
                    await().atMost(WAIT).until(() -> writes.acknowledgedFrom(0) >= 100 || application.isDone());

                    oldMaster.kill();
                    long killedAt = System.nanoTime();
                    long firstIdAfterKill = writes.nextId();
                    long lastAckBefore = writes.acknowledged().lastEntry().getValue();

                    await().atMost(WAIT).until(() -> seen(ManagerEvent.MasterChanged.class) || application.isDone());
                    long firstIdAfterSwitch = writes.nextId();
                    ManagerEvent.MasterChanged changed = first(ManagerEvent.MasterChanged.class);
                    SandboxNode promoted = node(cluster, changed.newMaster());
                    await().atMost(WAIT)
                            .until(() -> writes.acknowledgedFrom(firstIdAfterKill) >= 100 || application.isDone());
                    long firstAckAfter = writes.acknowledged()
                            .tailMap(firstIdAfterKill, true)
                            .firstEntry()
                            .getValue();
                    log.info(
                            "Write outage seen by the application: {} ms from the kill to the first acknowledged"
                                    + " write, {} ms since the last one before it; {} write(s) in doubt",
                            TimeUnit.NANOSECONDS.toMillis(firstAckAfter - killedAt),
                            TimeUnit.NANOSECONDS.toMillis(firstAckAfter - lastAckBefore),
                            writes.inDoubt().size());
                    assertThat(Duration.ofNanos(firstAckAfter - killedAt)).isLessThan(WAIT);

                    SandboxNode survivor = cluster.nodes().stream()
                            .filter(n -> n != oldMaster && n != promoted)
                            .findFirst()
                            .orElseThrow();
                    await().atMost(WAIT)
                            .until(() -> db.readTargets().stream()
                                    .map(ServerConfig::port)
                                    .toList()
                                    .equals(List.of(survivor.port())));
                    try (Connection c = db.reader().getConnection();
                            var port = c.createStatement().executeQuery("SELECT @@port")) {
                        assertThat(port.next()).isTrue();
                        assertThat(port.getInt(1))
                                .as("reads go to the replica left")
                                .isEqualTo(survivor.port());
                    }

                    // The old master comes back writable (as production my.cnf files have it): the
                    // manager's guard fences it, and the data sources have no pool to it any more.
                    oldMaster.start();
                    await().atMost(WAIT)
                            .until(() -> events.stream()
                                    .anyMatch(e -> e instanceof ManagerEvent.GuardActed g
                                            && g.event().server().port() == oldMaster.port()
                                            && g.event().kind() == GuardEvent.Kind.FENCED));
                    long afterRestart = writes.nextId();
                    await().atMost(WAIT)
                            .until(() -> writes.acknowledgedFrom(afterRestart) >= 100 || application.isDone());
                    writes.stop();
                    application.get(WAIT.toSeconds(), TimeUnit.SECONDS);

                    cluster.awaitCaughtUp(promoted, List.of(survivor), WAIT);
                    writes.assertKept(promoted, List.of(survivor), oldMaster, firstIdAfterKill, firstIdAfterSwitch);
                    assertThat(writes.acknowledgedFrom(afterRestart)).isPositive();
                } finally {
                    writes.stop();
                    manager.close();
                }
            }
        }
    }

    private boolean seen(Class<? extends ManagerEvent> type) {
        return events.stream().anyMatch(type::isInstance);
    }

    private <T extends ManagerEvent> T first(Class<T> type) {
        return events.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + events));
    }

    private static SandboxNode node(SandboxCluster cluster, ServerConfig server) {
        return cluster.nodes().stream()
                .filter(n -> n.port() == server.port())
                .findFirst()
                .orElseThrow();
    }
}
