package io.mha4j.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's entry point, run as a user runs it: samples/bin/mha4j. */
class LauncherScriptIT {
    private static final Path SCRIPT = Path.of("bin/mha4j").toAbsolutePath();
    private static final Path TUTORIAL_CONF = Path.of("../core/src/test/resources/config/tutorial/app1.cnf")
            .toAbsolutePath()
            .normalize();

    @TempDir
    Path dir;

    record Result(int exitCode, String out, String err) {}

    static Result run(String... args) throws IOException, InterruptedException {
        return runAs(SCRIPT, args);
    }

    static Result runAs(Path script, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("mha4j-out", ".txt");
        Path err = Files.createTempFile("mha4j-err", ".txt");
        try {
            List<String> command = new java.util.ArrayList<>(List.of(script.toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("samples/bin/mha4j did not finish in 5 minutes");
            }
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void showConfPrintsTheTutorialFile() throws Exception {
        Result r = run("show_conf", "--conf=" + TUTORIAL_CONF);
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("[server1]  10.0.0.51(10.0.0.51:3306)");
    }

    @Test
    void aBrokenConfigExits1WithoutAStackTrace() throws Exception {
        Path bad =
                Files.writeString(dir.resolve("app1.cnf"), "[server default]\nping_type=PONG\n[server1]\nhostname=a\n");
        Result r = run("show_conf", "--conf=" + bad);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip())
                .isEqualTo("[error] " + bad
                        + ":2: [server default] ping_type: value 'PONG' is not CONNECT, SELECT or INSERT");
    }

    @Test
    void theDemoFailsOverARealClusterUnderLoadAndProvesNothingWasLost() throws Exception {
        Result r = run("demo");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out())
                .contains("check_repl: MySQL Replication Health is OK.")
                .containsPattern("kill -9 of node1's mariadbd \\(pid \\d+\\)")
                .containsPattern("\\+ *\\d+ ms  DEAD: ")
                .containsPattern("\\+ *\\d+ ms  Phase 3: Master Recovery Phase")
                .containsPattern("\\+ *\\d+ ms  the application's writes succeed again")
                .containsPattern("Verification on \\[node2\\(127.0.0.1:\\d+\\), node3\\(127.0.0.1:\\d+\\)\\]: \\d+"
                        + " acknowledged writes, 0 of them missing anywhere; checksums agree")
                .contains("----- Failover Report -----")
                .contains("Demo passed");
    }

    @Test
    void mhasCommandNamesRunTheSameCommandsWithMhasOptionSyntax() throws Exception {
        Path conf = Files.copy(TUTORIAL_CONF, dir.resolve("app1.cnf"));
        Path bin = SCRIPT.getParent();
        Result add = runAs(
                bin.resolve("masterha_conf_host"),
                "--command=add",
                "--conf=" + conf,
                "--hostname=db101",
                "--params=no_master=1");
        assertThat(add.exitCode()).as(add.err()).isZero();
        assertThat(add.out().strip()).isEqualTo("Wrote server_db101 entry to " + conf + " .");

        Result status = runAs(bin.resolve("masterha_check_status"), "--conf=" + conf, "--workdir=" + dir);
        assertThat(status.exitCode()).as(status.err()).isEqualTo(2);
        assertThat(status.out().strip()).isEqualTo("app1 is stopped(2:NOT_RUNNING).");

        for (String name : List.of(
                "masterha_manager",
                "masterha_check_ssh",
                "masterha_check_repl",
                "masterha_master_switch",
                "masterha_master_monitor",
                "masterha_stop")) {
            Result help = runAs(bin.resolve(name), "--help");
            assertThat(help.exitCode()).as(name + ": " + help.err()).isZero();
            assertThat(help.out()).as(name).contains("--conf=FILE");
        }
        Result unknown = runAs(bin.resolve("masterha_check_repl"), "--conf=" + conf, "--no_such_option");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option: '--no_such_option'");
    }
}
