package io.mha4j.datasource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.AcknowledgedWrites;
import io.mha4j.SandboxConfigs;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Secret;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.MasterSwitchover;
import io.mha4j.failover.SwitchoverReport;
import io.mha4j.manager.ManagerEvent;
import io.mha4j.manager.ManagerListener;
import io.mha4j.manager.ManagerOptions;
import io.mha4j.manager.MhaManager;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application writing through {@link TopologyDataSources#writer()} (and reading through {@link
 * TopologyDataSources#reader()}) while a live master is switched online to a replica, on a real
 * 3-node sandbox: once with the data sources bound to the in-process {@link MasterSwitchover}, once
 * discovering the topology by themselves while the switch is run by a caller they know nothing of.
 *
 * <p>How "no write reached the old master after it was demoted" is proved: the switch makes the
 * old master {@code read_only=1} and takes the global read lock, which stops every commit there
 * until the new master is promoted; the instrument below, told {@code MasterChanged} on the switch's
 * thread right after the promotion, reads the old master's {@code gtid_binlog_state} while it is
 * still locked. At the end that state is unchanged (no transaction at all was committed on the old
 * master since), the old master is still read-only, and every row it wrote itself is also on the new
 * master (a write it took after the new master stopped replicating from it could not be there).
 * Writes from before the lock reached the new master through replication and are kept.
 */
class DataSourceSwitchoverIT {
    private static final Logger log = LoggerFactory.getLogger(DataSourceSwitchoverIT.class);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path workdir;

    private final AcknowledgedWrites app = new AcknowledgedWrites("ds_it.writes");

    @Test
    void inProcessSwitchMovesTheWriterOnceTheNewMasterIsWritableAndNoWriteReachesTheOldMaster() throws Exception {
        try (SandboxCluster cluster = cluster()) {
            ApplicationConfig config = SandboxConfigs.quick(cluster, workdir).build();
            try (TopologyDataSources db =
                    TopologyDataSources.builder(config).settings(settings()).build()) {
                // The topology comes from the embedded manager, stopped for the switch as MHA wants it.
                try (MhaManager manager = db.bind(MhaManager.builder(config))
                        .options(ManagerOptions.DEFAULTS.withSkipSshCheck(true))
                        .workdir(workdir.resolve("manager"))
                        .build()) {
                    manager.start();
                    assertThat(manager.awaitMonitoring(WAIT).port())
                            .isEqualTo(cluster.node(1).port());
                }
                await().atMost(WAIT).until(() -> db.readTargets().size() == 2);
                Instrument instrument = new Instrument(cluster.node(1));
                switchUnderLoad(
                        cluster,
                        db,
                        db.bind(MasterSwitchover.builder(config)).listener(instrument),
                        config,
                        instrument);
                assertThat(app.readFailures())
                        .as("reads were served throughout")
                        .isEmpty();
            }
        }
    }

    @Test
    void selfDiscoveringDataSourcesFollowASwitchRunByAnotherCallerAndNoWriteReachesTheOldMaster() throws Exception {
        try (SandboxCluster cluster = cluster()) {
            ApplicationConfig config = SandboxConfigs.quick(cluster, workdir).build();
            try (TopologyDataSources db = TopologyDataSources.builder(config)
                    .settings(settings().toBuilder()
                            .discoveryInterval(Duration.ofMillis(200))
                            .build())
                    .discoverTopology()
                    .build()) {
                await().atMost(WAIT)
                        .until(() -> db.writerTarget()
                                        .map(ServerConfig::port)
                                        .equals(Optional.of(cluster.node(1).port()))
                                && db.readTargets().size() == 2);
                Instrument instrument = new Instrument(cluster.node(1));
                // Not bound: the data sources hear nothing from this switch, as from master_switch.
                switchUnderLoad(cluster, db, MasterSwitchover.builder(config).listener(instrument), config, instrument);
                log.info(
                        "Reads: {} served, {} failed{}",
                        app.readsServed(),
                        app.readFailures().size(),
                        app.readFailures().isEmpty()
                                ? ""
                                : " (first: " + app.readFailures().get(0) + ")");
            }
        }
    }

    private static SandboxCluster cluster() {
        SandboxCluster cluster =
                SandboxCluster.builder().nodes(3).startsReadOnly(false).start();
        cluster.node(1).execute("CREATE DATABASE ds_it", AcknowledgedWrites.createTable("ds_it.writes"));
        cluster.awaitReplicasCaughtUp(WAIT);
        return cluster;
    }

    private static DataSourceSettings settings() {
        return DataSourceSettings.builder()
                .credentials(
                        SandboxCredentials.APPLICATION.user(), Secret.of(SandboxCredentials.APPLICATION.password()))
                .connectionTimeout(Duration.ofSeconds(2))
                .lagCheckInterval(Duration.ofMillis(200))
                .maximumPoolSize(4)
                .build();
    }

    /**
     * Switches node1 to node2 while the application writes and reads, then checks the rows on every
     * server and logs the write outage the application saw.
     */
    private void switchUnderLoad(
            SandboxCluster cluster,
            TopologyDataSources db,
            MasterSwitchover.Builder switchover,
            ApplicationConfig config,
            Instrument instrument)
            throws Exception {
        SandboxNode oldMaster = cluster.node(1);
        SandboxNode newMaster = cluster.node(2);
        SandboxNode survivor = cluster.node(3);
        try {
            CompletableFuture<Void> writer = app.start(() -> db.writer().getConnection());
            CompletableFuture<Void> reader = app.startReading(() -> db.reader().getConnection());
            await().atMost(WAIT).until(() -> app.acknowledgedFrom(1) >= 200 || writer.isDone());
            long firstIdOfTheSwitch = app.nextId();
            int failedBefore = app.failures().size();

            SwitchoverReport report = switchover
                    .newMaster(config.server("server2").orElseThrow())
                    .build()
                    .run(config.server("server1").orElseThrow());
            assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
            assertThat(report.newMaster().orElseThrow().port()).isEqualTo(newMaster.port());
            await().atMost(WAIT)
                    .until(() -> db.writerTarget().map(ServerConfig::port).orElse(0) == newMaster.port());
            long firstIdAfterSwitch = instrument.firstIdAfterSwitch;
            await().atMost(WAIT).until(() -> app.acknowledgedFrom(firstIdAfterSwitch) >= 200 || writer.isDone());
            app.stop();
            writer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            reader.get(WAIT.toSeconds(), TimeUnit.SECONDS);

            log.info(
                    "Write outage seen by the application: {} ms at the longest between two acknowledged writes"
                            + " (the switch blocked writes {} ms; {} ms from SwitchoverStarted to MasterChanged);"
                            + " {} write(s) failed during the switch, {} in doubt{}",
                    app.longestGapMillis(firstIdOfTheSwitch),
                    report.writeBlock().orElseThrow().toMillis(),
                    TimeUnit.NANOSECONDS.toMillis(instrument.changedAt - instrument.startedAt),
                    app.failures().size() - failedBefore,
                    app.inDoubt().size(),
                    app.failures().size() == failedBefore
                            ? ""
                            : " (first: " + app.failures().get(failedBefore) + ")");
            assertThat(Duration.ofMillis(app.longestGapMillis(firstIdOfTheSwitch)))
                    .isLessThan(WAIT);

            cluster.awaitCaughtUp(newMaster, List.of(survivor), WAIT);
            Map<Long, Long> onNew = app.rows(newMaster);
            assertThat(onNew.keySet())
                    .as("every acknowledged write is on the new master")
                    .containsAll(app.acknowledged().keySet());
            assertThat(app.rows(survivor)).as("the survivors agree").isEqualTo(onNew);
            assertThat(new TreeMap<>(onNew).tailMap(firstIdAfterSwitch).values())
                    .as("every write after the switch was made on the new master")
                    .containsOnly(newMaster.serverId());

            assertThat(instrument.readOnlyAtChange)
                    .as("the old master was read-only at the switch")
                    .isEqualTo("1");
            Map<String, String> oldNow = oldMaster
                    .query("SELECT @@global.read_only AS ro, @@global.gtid_binlog_state AS state")
                    .get(0);
            assertThat(oldNow.get("ro")).as("the old master is read-only").isEqualTo("1");
            assertThat(oldNow.get("state"))
                    .as("no transaction committed on the old master since the new master became writable")
                    .isEqualTo(instrument.binlogStateAtChange);
            Map<Long, Long> onOld = app.rows(oldMaster);
            Map<Long, Long> writtenOnOld = new TreeMap<>();
            onOld.forEach((id, origin) -> {
                if (origin == oldMaster.serverId()) {
                    writtenOnOld.put(id, origin);
                }
            });
            assertThat(onNew)
                    .as("every write the old master took is on the new master: none came after it stopped"
                            + " replicating from the old one")
                    .containsAllEntriesOf(writtenOnOld);
            assertThat(onOld.keySet().stream().filter(id -> id >= firstIdAfterSwitch))
                    .as("rows on the old master written after the switch")
                    .isEmpty();
            assertThat(app.readsServed()).as("reads served").isPositive();
        } finally {
            app.stop();
        }
    }

    /**
     * The test's own listener on the switch (the data sources may or may not have one): when the
     * switch began and when the new master became writable, the application's next id then, and the
     * old master's read_only and binlog state at that moment, read while its global read lock holds.
     */
    private final class Instrument implements ManagerListener {
        private final SandboxNode oldMaster;
        volatile long startedAt;
        volatile long changedAt;
        volatile long firstIdAfterSwitch = Long.MAX_VALUE;
        volatile String readOnlyAtChange;
        volatile String binlogStateAtChange;

        Instrument(SandboxNode oldMaster) {
            this.oldMaster = oldMaster;
        }

        @Override
        public void onEvent(ManagerEvent event) {
            if (event instanceof ManagerEvent.SwitchoverStarted) {
                startedAt = System.nanoTime();
            } else if (event instanceof ManagerEvent.MasterChanged) {
                changedAt = System.nanoTime();
                firstIdAfterSwitch = app.nextId();
                Map<String, String> state = oldMaster
                        .query("SELECT @@global.read_only AS ro, @@global.gtid_binlog_state AS state")
                        .get(0);
                readOnlyAtChange = state.get("ro");
                binlogStateAtChange = state.get("state");
            }
        }
    }
}
