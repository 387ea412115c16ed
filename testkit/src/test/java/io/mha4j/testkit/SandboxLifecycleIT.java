package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxLifecycleIT {

    @Test
    void theServerIsFoundOnThePathAndIsMariadb() {
        ServerBinaries binaries = ServerBinaries.locate();

        assertThat(binaries.isMariadb()).isTrue();
        assertThat(binaries.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(binaries.installDb().getFileName().toString()).isIn("mariadb-install-db", "mysql_install_db");
    }

    @Test
    void debiansServerIsFoundEvenWhenSbinIsNotOnPath() {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mariadbd")), "Debian's mariadb-server is installed");

        ServerBinaries binaries = ServerBinaries.locate(Map.of("PATH", "/usr/bin"), List.of(Path.of("/usr/sbin")));

        assertThat(binaries.server()).isEqualTo(Path.of("/usr/sbin/mariadbd"));
    }

    @Test
    void twoBuildersRacingForTheTemplateBothGetTheOneThatWonTheRename(@TempDir Path root) throws Exception {
        ServerBinaries binaries = ServerBinaries.locate();
        Flavor flavor = binaries.flavor();
        Callable<Path> build =
                () -> TemplateDataDir.obtain(binaries, flavor, SandboxCredentials.DEFAULT, List.of(), root);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Path>> racers = pool.invokeAll(List.of(build, build));

            assertThat(racers.get(0).get()).isEqualTo(racers.get(1).get()).isDirectory();
            assertThat(racers.get(0).get().resolve("mysql")).isDirectory();
            try (Stream<Path> left = Files.list(root)) {
                assertThat(left).containsExactly(racers.get(0).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeLeavesNoProcessAndNoDirectory() {
        SandboxCluster cluster = SandboxCluster.builder().nodes(2).start();
        Path directory = cluster.directory();
        List<Long> pids = cluster.nodes().stream().map(SandboxNode::pid).toList();
        TcpProxy proxy = cluster.proxyTo(cluster.node(1));
        assertThat(directory).isDirectory();

        cluster.close();
        cluster.close();

        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isEmpty());
        assertThat(directory).doesNotExist();
        assertThat(proxy.connectionCount()).isZero();
        assertThat(cluster.nodes()).noneMatch(SandboxNode::isRunning);
    }

    @Test
    void aServerThatCannotStartFailsWithItsErrorLogAndLeavesNothingBehind(@TempDir Path root) throws Exception {
        // Its own base directory: other clusters of this JVM come and go in the shared one.
        assertThatThrownBy(() -> SandboxCluster.builder()
                        .baseDir(root)
                        .nodes(2)
                        .serverOptions("--no-such-option=1")
                        .start())
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining("no-such-option");

        assertThat(clusterDirectories(root)).isEmpty();
    }

    @Test
    void aClusterThatDoesNotStartReadOnlyHasReadOnlyReplicasButARestartedServerComesUpWritable() {
        try (SandboxCluster cluster =
                SandboxCluster.builder().nodes(2).startsReadOnly(false).start()) {
            assertThat(cluster.master()).isSameAs(cluster.node(1));
            assertThat(cluster.node(2).isReadOnly()).isTrue();

            cluster.node(1).kill();
            cluster.node(1).start();

            assertThat(cluster.node(1).isReadOnly())
                    .as("no read_only in its configuration")
                    .isFalse();
            cluster.node(2).kill();
            cluster.node(2).start();
            assertThat(cluster.node(2).isReadOnly())
                    .as("a replica restarted without read_only")
                    .isFalse();
            assertThat(cluster.node(2).replicaStatus())
                    .as("it resumes replicating")
                    .isPresent();
        }
    }

    /**
     * This JVM's cluster directories: other builds on the machine share the root, and on a
     * fresh machine the root does not exist before the first cluster.
     */
    private static List<Path> clusterDirectories(Path root) throws Exception {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        String mine = "cluster-" + ProcessHandle.current().pid() + "-";
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(p -> p.getFileName().toString().startsWith(mine))
                    .toList();
        }
    }

    @Test
    void theNextSandboxReapsServersAndDirectoriesOfAJvmKilledWithSigkill() throws Exception {
        OrphanMaker.Orphan orphan = OrphanMaker.orphan();
        Path orphanDirectory = orphan.directory();
        long orphanServer = orphan.serverPid();
        assertThat(ProcessHandle.of(orphanServer))
                .as("server outlives its SIGKILLed JVM")
                .isPresent();
        assertThat(orphanDirectory).isDirectory();

        try (SandboxCluster next = SandboxCluster.builder().nodes(1).start()) {
            assertThat(ProcessHandle.of(orphanServer)).isEmpty();
            assertThat(orphanDirectory).doesNotExist();
            assertThat(next.directory()).isDirectory();
        }
    }
}
