package io.mha4j.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mha4j.SandboxConfigs;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.MasterFailover;
import io.mha4j.remote.RemoteShells;
import io.mha4j.testkit.LedgerReport;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.WriteLedger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supervised binlog server on real servers: it copies the master's binary logs, supplies what
 * the replicas missed when the dead master's own logs cannot be read, and after the failover
 * follows the new master by itself, the old master's files set aside.
 */
class BinlogServersIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private SandboxCluster cluster;
    private Path copies;

    @BeforeEach
    void start() throws Exception {
        cluster = SandboxCluster.builder().nodes(3).start();
        copies = Files.createDirectories(dir.resolve("binlog1"));
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    private ApplicationConfig config() {
        // The dead master's own binary logs are out of reach here (a wrong directory stands for a lost
        // disk), so the binlog server's copy is the only source of what the replicas missed.
        ApplicationConfig.Builder b = SandboxConfigs.builder(
                cluster,
                dir,
                (n, s) -> s.masterBinlogDirs(List.of(dir.resolve("lost-disk").toString())));
        b.binlogServer("binlog1", s -> s.hostname("127.0.0.1").masterBinlogDirs(List.of(copies.toString())));
        return b.build();
    }

    private long masterPosition(SandboxNode master) {
        return Long.parseLong(master.query("SHOW MASTER STATUS").get(0).get("Position"));
    }

    private long copied(String file) throws Exception {
        Path p = copies.resolve(file);
        return Files.exists(p) ? Files.size(p) : 0;
    }

    @Test
    void theCopyFillsTheReplicasGapThenFollowsTheNewMaster() throws Exception {
        ApplicationConfig config = config();
        try (RemoteShells shells = RemoteShells.forApplication(config);
                BinlogServers servers = BinlogServers.start(config, shells, Clock.systemUTC(), Duration.ofMillis(200));
                WriteLedger ledger = WriteLedger.builder(() -> cluster.master().endpoint())
                        .writer("binlog")
                        .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                        .build()) {
            SandboxNode master = cluster.node(1);
            String file = master.query("SHOW MASTER STATUS").get(0).get("File");
            assertThat(ledger.write(10)).isEqualTo(10);
            cluster.awaitReplicasCaughtUp(WAIT);
            cluster.node(2).stopReplicaIoThread();
            cluster.node(3).stopReplicaIoThread();
            assertThat(ledger.write(6)).isEqualTo(6);
            long end = masterPosition(master);
            await().atMost(WAIT).until(() -> copied(file) >= end);
            assertThat(servers.following()).containsEntry("binlog1", "127.0.0.1:" + master.port());

            master.kill();
            FailoverReport report =
                    MasterFailover.builder(config).build().run(config.servers().get(0));

            assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.SUCCEEDED);
            assertThat(report.compensation().orElseThrow().source()).contains("binlog server [binlog1]");
            assertThat(report.compensation().orElseThrow().transactions()).isEqualTo(6);
            cluster.awaitReplicasCaughtUp(WAIT);
            LedgerReport verified = ledger.verify(List.of(cluster.node(2), cluster.node(3)));
            assertThat(verified.nothingLostAndAgreed()).as(verified.toString()).isTrue();

            SandboxNode next = cluster.node(2);
            await().atMost(WAIT).until(() -> servers.following().get("binlog1").equals("127.0.0.1:" + next.port()));
            ledger.writeOne();
            assertThat(ledger.write(3)).isEqualTo(3);
            long last = ledger.acknowledged().last();
            String newFile = next.query("SHOW MASTER STATUS").get(0).get("File");
            byte[] marker = ("binlog:" + last).getBytes(StandardCharsets.UTF_8);
            await().atMost(WAIT).until(() -> contains(copies.resolve(newFile), marker));
            try (Stream<Path> archived = Files.list(copies)) {
                assertThat(archived.filter(Files::isDirectory).toList())
                        .singleElement()
                        .satisfies(d -> assertThat(d.getFileName().toString())
                                .startsWith("127.0.0.1_" + master.port())
                                .matches(x -> Files.exists(d.resolve(file))));
            }
        }
    }

    private static boolean contains(Path file, byte[] needle) throws Exception {
        if (!Files.exists(file)) {
            return false;
        }
        byte[] hay = Files.readAllBytes(file);
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void aCopyThatDropsIsRestartedFromTheNewestFileItHas() throws Exception {
        ApplicationConfig config = config();
        try (RemoteShells shells = RemoteShells.forApplication(config);
                BinlogServers servers = BinlogServers.start(config, shells, Clock.systemUTC(), Duration.ofMillis(200));
                WriteLedger ledger = WriteLedger.builder(() -> cluster.master().endpoint())
                        .writer("drop")
                        .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                        .build()) {
            SandboxNode master = cluster.node(1);
            await().atMost(WAIT).until(() -> !servers.following().get("binlog1").isEmpty());
            master.execute("FLUSH BINARY LOGS");
            assertThat(ledger.write(3)).isEqualTo(3);
            String file = master.query("SHOW MASTER STATUS").get(0).get("File");
            await().atMost(WAIT).until(() -> copied(file) >= masterPosition(master));
            long pid = Long.parseLong(
                    Files.readString(copies.resolve(".mha4j-follower.pid")).trim());
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();

            assertThat(ledger.write(4)).isEqualTo(4);
            byte[] marker = ("drop:" + ledger.acknowledged().last()).getBytes(StandardCharsets.UTF_8);
            await().atMost(WAIT).until(() -> contains(copies.resolve(file), marker));
            long restarted = Long.parseLong(
                    Files.readString(copies.resolve(".mha4j-follower.pid")).trim());
            assertThat(restarted).as("a new copy process").isNotEqualTo(pid);
        }
    }
}
