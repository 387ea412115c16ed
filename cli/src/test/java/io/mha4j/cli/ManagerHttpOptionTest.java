package io.mha4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code manager --http} and its parameter as the command line takes them, before any server is touched. */
class ManagerHttpOptionTest {
    @TempDir
    Path dir;

    @Test
    void aBadHttpAddressIsAUsageErrorBeforeAnyFileIsRead() {
        CommandRun run = CommandRun.of("manager", "--conf=" + dir.resolve("absent.cnf"), "--http=localhost:http");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--http wants HOST:PORT, [IPV6]:PORT or PORT (127.0.0.1), not 'localhost:http'");
    }

    @Test
    void theLagLimitIsAParameterOfTheFileWithItsDefaultAndABadValueNamesItsLine() throws Exception {
        Path good = Files.writeString(dir.resolve("app1.cnf"), "[server1]\nhostname=db1\n");
        assertThat(CommandRun.of("show_conf", "--conf=" + good).out()).contains("http_replica_lag_limit");

        Path bad = Files.writeString(
                dir.resolve("app2.cnf"), "[server default]\nhttp_replica_lag_limit=soon\n[server1]\nhostname=db1\n");
        CommandRun run = CommandRun.of("show_conf", "--conf=" + bad);
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains(bad + ":2:").contains("http_replica_lag_limit");
    }
}
