package io.mha4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplicationFilesTest {
    @TempDir
    Path dir;

    @Test
    void aDirectoryStandsForItsCnfFilesSortedByNameAfterTheFilesNamedBeforeIt() throws Exception {
        Path apps = Files.createDirectories(dir.resolve("apps"));
        Path b = Files.writeString(apps.resolve("b.cnf"), "");
        Path a = Files.writeString(apps.resolve("a.cnf"), "");
        Files.writeString(apps.resolve("notes.txt"), "");
        Files.createDirectories(apps.resolve("old.cnf"));
        Files.writeString(Files.createDirectories(apps.resolve("sub")).resolve("c.cnf"), "");
        Path first = dir.resolve("z.cnf");

        assertThat(ApplicationFiles.expand(List.of(first, apps))).containsExactly(first, a, b);
    }

    @Test
    void aDirectoryWithoutACnfFileIsAnErrorNamingIt() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> ApplicationFiles.expand(List.of(empty)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(empty.toString())
                .hasMessageContaining("no .cnf file");
    }

    @Test
    void twoFilesOfOneApplicationAreRefusedNamingBoth() {
        Path one = dir.resolve("x/app1.cnf");
        Path other = dir.resolve("y/app1.cnf");
        assertThatThrownBy(() -> ApplicationFiles.requireDistinct(List.of(one, dir.resolve("app2.cnf"), other)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(one.toString())
                .hasMessageContaining(other.toString())
                .hasMessageContaining("application app1");
    }

    @Test
    void aFileNamedTwiceIsRefused() {
        Path one = dir.resolve("app1.cnf");
        assertThatThrownBy(() -> ApplicationFiles.requireDistinct(List.of(one, one)))
                .hasMessageContaining("application app1 is named by " + one);
    }

    @Test
    void theManagerRefusesTwoFilesOfOneApplicationBeforeStartingAnything() throws Exception {
        Path x = Files.writeString(
                Files.createDirectories(dir.resolve("x")).resolve("app1.cnf"), "[server1]\nhostname=a\n");
        Path y = Files.writeString(
                Files.createDirectories(dir.resolve("y")).resolve("app1.cnf"), "[server1]\nhostname=a\n");
        CommandRun run = CommandRun.of("manager", "--conf=" + x, "--conf=" + y);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(x.toString()).contains(y.toString()).contains("nothing started");
    }

    @Test
    void theManagerNamesEveryBadFileWithItsLineAndExits1WhenNoneIsGood() throws Exception {
        Path one = Files.writeString(dir.resolve("app1.cnf"), "[server1]\nhostname=a\nport=70000\n");
        Path two = Files.writeString(dir.resolve("app2.cnf"), "[server default]\nping_interval=x\n");
        CommandRun run = CommandRun.of("manager", "--conf=" + dir);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains("[error] " + one + ":3: [server1] port: value '70000' is not a port (1-65535)"
                        + " (application app1 not started; the others are)")
                .contains("[error] " + two + ":2: ");
    }

    @Test
    void theOtherCommandsTakeOneConfOnly() {
        CommandRun run = CommandRun.of("check_status", "--conf=a.cnf", "--conf=b.cnf");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--conf");
    }
}
