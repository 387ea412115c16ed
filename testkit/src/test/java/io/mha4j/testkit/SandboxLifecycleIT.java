package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
        Callable<Path> build = () -> TemplateDataDir.obtain(binaries, flavor, SandboxCredentials.DEFAULT, root);
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
    void aServerThatCannotStartFailsWithItsErrorLogAndLeavesNothingBehind() throws Exception {
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "mha4j-sandbox");
        List<Path> before = clusterDirectories(root);

        assertThatThrownBy(() -> SandboxCluster.builder().nodes(2).serverOptions("--no-such-option=1").start())
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining("no-such-option");

        assertThat(clusterDirectories(root)).containsExactlyInAnyOrderElementsOf(before);
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
            return children.filter(p -> p.getFileName().toString().startsWith(mine)).toList();
        }
    }

    @Test
    void theNextSandboxReapsServersAndDirectoriesOfAJvmKilledWithSigkill() throws Exception {
        // The child must use this JVM's sandbox root, or the next sandbox reaps somewhere else.
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"), OrphanMaker.class.getName())
                .redirectErrorStream(true).start();
        String[] sandbox;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("SANDBOX "));
            assertThat(line).as("child JVM's sandbox line").isNotNull();
            sandbox = line.split(" ");
            jvm.destroyForcibly();
            assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        Path orphanDirectory = Path.of(sandbox[1]);
        long orphanServer = Long.parseLong(sandbox[2]);
        assertThat(ProcessHandle.of(orphanServer)).as("server outlives its SIGKILLed JVM").isPresent();
        assertThat(orphanDirectory).isDirectory();

        try (SandboxCluster next = SandboxCluster.builder().nodes(1).start()) {
            assertThat(ProcessHandle.of(orphanServer)).isEmpty();
            assertThat(orphanDirectory).doesNotExist();
            assertThat(next.directory()).isDirectory();
        }
    }
}
