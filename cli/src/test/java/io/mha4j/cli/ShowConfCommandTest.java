package io.mha4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShowConfCommandTest {
    static final Path TUTORIAL_CONF = Path.of("../core/src/test/resources/config/tutorial/app1.cnf")
            .toAbsolutePath()
            .normalize();

    @TempDir
    Path dir;

    @Test
    void printsTheSeedConfigurationCleanly() {
        CommandRun run = CommandRun.of("show_conf", "--conf=" + TUTORIAL_CONF);
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out())
                .contains("# Effective configuration of application app1")
                .containsPattern("(?m)^hostname += 10\\.0\\.0\\.53 +# \\[server3] ")
                .containsPattern("(?m)^manager_workdir += /var/log/mha/app1 +# \\[server default] ")
                .containsPattern("(?m)^password += xxx ")
                .doesNotContainPattern("(?m)= +123 ");
        assertThat(run.out().lines()).allSatisfy(line -> assertThat(line).doesNotEndWith(" "));
    }

    @Test
    void takesAGlobalFile() throws Exception {
        Path global = Files.writeString(dir.resolve("masterha_default.cnf"), "[server default]\nssh_port=2222\n");
        CommandRun run = CommandRun.of("show_conf", "--conf=" + TUTORIAL_CONF, "--global_conf=" + global);
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).containsPattern("(?m)^ssh_port += 2222 +# global file " + global + ":2$");
    }

    @Test
    void aBadFileIsOneLineOnStderrAndExitCode1() throws Exception {
        Path bad = Files.writeString(dir.resolve("app1.cnf"), "[server1]\nhostname=a\nport=70000\n");
        CommandRun run = CommandRun.of("show_conf", "--conf=" + bad);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .isEqualTo("[error] " + bad + ":3: [server1] port: value '70000' is not a port (1-65535)"
                        + System.lineSeparator());
    }

    @Test
    void aMissingFileIsOneLineOnStderrAndExitCode1() {
        CommandRun run = CommandRun.of("show_conf", "--conf=" + dir.resolve("missing.cnf"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .startsWith("[error] ")
                .contains("missing.cnf: cannot be read: no such file")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    @Test
    void aMissingOptionIsAUsageError() {
        CommandRun run = CommandRun.of("show_conf");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--conf=FILE'");
    }
}
