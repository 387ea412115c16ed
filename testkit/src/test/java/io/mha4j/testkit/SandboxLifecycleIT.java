package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SandboxLifecycleIT {

    @Test
    void theServerIsFoundOnThePathAndIsMariadb() {
        ServerBinaries binaries = ServerBinaries.locate();

        assertThat(binaries.isMariadb()).isTrue();
        assertThat(binaries.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(binaries.installDb().getFileName().toString()).isIn("mariadb-install-db", "mysql_install_db");
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
    void theNextSandboxReapsServersAndDirectoriesOfAJvmKilledWithSigkill() throws Exception {
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OrphanMaker.class.getName())
                .redirectErrorStream(true).start();
        String[] sandbox;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
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
