package io.mha4j.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.MasterFailover;
import io.mha4j.failover.ReplicaOutcome;
import io.mha4j.testkit.OpenSshServer;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxNode;
import io.mha4j.testkit.WriteLedger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No quiet loss over a real sshd: the dead master's host answers and lists its binary logs, but
 * the binlog tool cannot open them (mode 000). The tool still prints its preamble and exits 1;
 * that must not read as "nothing to recover": the failover promotes, ends PARTIAL (exit 10) and
 * says what may be lost, and the ledger finds exactly those writes missing.
 *
 * <p>sshd runs as root here (the JVM's user), and root reads any file whatever its mode. It is
 * started without {@code CAP_DAC_OVERRIDE} and {@code CAP_DAC_READ_SEARCH} (util-linux
 * {@code setpriv}, for sshd and every session it starts), so that the mode binds its sessions
 * as it binds the {@code mysql} user on a production host.
 */
class UnreadableBinlogOverSshIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> WITHOUT_FILE_OVERRIDE = List.of(
            "setpriv",
            "--bounding-set=-dac_override,-dac_read_search",
            "--inh-caps=-dac_override,-dac_read_search",
            "--");

    @TempDir
    Path dir;

    private SandboxCluster cluster;
    private OpenSshServer sshd;
    private final Map<Path, Set<PosixFilePermission>> modes = new HashMap<>();

    @BeforeEach
    void start() {
        cluster = SandboxCluster.builder().nodes(3).start();
        sshd = OpenSshServer.builder()
                .listen("127.0.0.1", freePort(), WITHOUT_FILE_OVERRIDE)
                .start();
    }

    @AfterEach
    void stop() throws IOException {
        for (Map.Entry<Path, Set<PosixFilePermission>> m : modes.entrySet()) {
            Files.setPosixFilePermissions(m.getKey(), m.getValue());
        }
        sshd.close();
        cluster.close();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mode 000 on every binary log of {@code node}, restored after the test. */
    private List<Path> makeBinlogsUnreadable(SandboxNode node) throws IOException {
        List<Path> logs;
        try (Stream<Path> files = Files.list(node.dataDir())) {
            logs = files.filter(f -> f.getFileName().toString().matches("mysql-bin\\.\\d+"))
                    .sorted()
                    .toList();
        }
        assertThat(logs).isNotEmpty();
        for (Path log : logs) {
            modes.put(log, Files.getPosixFilePermissions(log));
            Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("---------"));
        }
        return logs;
    }

    @Test
    void binaryLogsTheToolCannotOpenAreAPossibleLossNotNothingToRecover() throws Exception {
        try (WriteLedger ledger = WriteLedger.builder(() -> cluster.master().endpoint())
                .writer("unreadable")
                .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .build()) {
            assertThat(ledger.write(10)).isEqualTo(10);
            cluster.awaitReplicasCaughtUp(WAIT);
            String replicasHad = cluster.node(1).queryForString("SELECT @@GLOBAL.gtid_binlog_pos");
            cluster.node(2).stopReplicaIoThread();
            cluster.node(3).stopReplicaIoThread();
            assertThat(ledger.write(7)).isEqualTo(7);
            SortedSet<Long> tail = new TreeSet<>(ledger.acknowledged().tailSet(11L));
            cluster.node(1).kill();
            List<Path> logs = makeBinlogsUnreadable(cluster.node(1));
            ApplicationConfig config = FailoverOverSshIT.config(cluster, sshd, dir, sshd.port());

            FailoverReport report =
                    MasterFailover.builder(config).build().run(config.servers().get(0));

            assertThat(report.outcome()).as(report.toText()).isEqualTo(FailoverReport.Outcome.PARTIAL);
            assertThat(report.outcome().exitCode()).isEqualTo(10);
            assertThat(report.newMaster()).isPresent();
            assertThat(report.replicas()).allMatch(ReplicaOutcome::recovered);
            assertThat(report.compensation().orElseThrow().checked()).isFalse();
            assertThat(report.compensation().orElseThrow().applied()).isEmpty();
            assertThat(report.compensation().orElseThrow().note())
                    .contains(
                            "exited 1",
                            "Permission denied",
                            logs.get(logs.size() - 1).getFileName().toString());
            FailoverOverSshIT.saysMayBeLostAfterAndLosesExactly(cluster, report, replicasHad, ledger, tail);
        }
    }
}
