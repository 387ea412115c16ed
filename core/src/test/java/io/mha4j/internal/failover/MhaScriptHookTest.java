package io.mha4j.internal.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.Mha4jException;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.failover.FailoverContext;
import io.mha4j.failover.FailoverPhase;
import io.mha4j.failover.FailoverReport;
import io.mha4j.failover.PhaseTiming;
import io.mha4j.failover.ReplicaOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MHA's scripts run for real (small shell scripts recording their arguments), with MHA's exact arguments. */
class MhaScriptHookTest {
    private static final String PASSWORD = "s3cret-pw";

    @TempDir
    Path dir;

    /** A script that writes each argument on its own line to {@code <name>.args} and exits {@code exit}. */
    private Path script(String name, int exit) throws Exception {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '" + dir.resolve(name + ".args") + "'\n"
                + "echo 'something went wrong' >&2\nexit " + exit + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private List<String> args(String name) throws Exception {
        return Files.readAllLines(dir.resolve(name + ".args"));
    }

    private ApplicationConfig config(UnaryOperator<ApplicationConfig.Builder> scripts) {
        ApplicationConfig.Builder b = ApplicationConfig.builder("app1").user("mha").password(PASSWORD)
                .sshUser("root")
                .server("server1", s -> s.hostname("127.0.0.1").port(3306))
                .server("server2", s -> s.hostname("127.0.0.2").port(3307).sshPort(2222))
                .server("server3", s -> s.hostname("127.0.0.3").port(3308));
        return scripts.apply(b).build();
    }

    private static FailoverContext context(ApplicationConfig c, boolean elected) {
        FailoverContext ctx = new FailoverContext(c, c.servers().get(0), Optional.empty(), null, Path.of("/tmp"));
        return elected ? ctx.withNewMaster(c.servers().get(1)) : ctx;
    }

    @Test
    void fencingCallsTheIpScriptThenTheShutdownScriptWithMhasArguments() throws Exception {
        Path ip = script("ip", 0);
        Path shutdown = script("shutdown", 0);
        ApplicationConfig c = config(b -> b.set(Parameter.MASTER_IP_FAILOVER_SCRIPT, ip + " --vip=10.0.0.100")
                .set(Parameter.SHUTDOWN_SCRIPT, shutdown.toString()));
        MhaScriptHook hook = new MhaScriptHook(c);

        hook.isolate(context(c, false), true);
        hook.isolate(context(c, false), false);

        assertThat(args("ip")).containsExactly(
                "--vip=10.0.0.100", "--command=stopssh", "--ssh_user=root", "--orig_master_host=127.0.0.1",
                "--orig_master_ip=127.0.0.1", "--orig_master_port=3306",
                "--vip=10.0.0.100", "--command=stop", "--ssh_user=root", "--orig_master_host=127.0.0.1",
                "--orig_master_ip=127.0.0.1", "--orig_master_port=3306");
        assertThat(args("shutdown")).containsExactly(
                "--command=stopssh", "--ssh_user=root", "--host=127.0.0.1", "--ip=127.0.0.1", "--port=3306",
                "--command=stop", "--ssh_user=root", "--host=127.0.0.1", "--ip=127.0.0.1", "--port=3306");
    }

    @Test
    void theShutdownScriptGetsThePidFileAndItsExitCode10MeansGoOn() throws Exception {
        Path shutdown = script("shutdown", 10);
        ApplicationConfig c = config(b -> b.set(Parameter.SHUTDOWN_SCRIPT, shutdown.toString())
                .set(Parameter.MASTER_PID_FILE, "/var/run/mysqld/mysqld.pid"));

        new MhaScriptHook(c).isolate(context(c, false), true);

        assertThat(args("shutdown")).contains("--pid_file=/var/run/mysqld/mysqld.pid");
    }

    @Test
    void aFailingFencingScriptStopsTheFailoverAndNamesTheScriptAndExitCode() throws Exception {
        Path ip = script("ip", 1);
        ApplicationConfig c = config(b -> b.set(Parameter.MASTER_IP_FAILOVER_SCRIPT, ip.toString()));

        assertThatThrownBy(() -> new MhaScriptHook(c).isolate(context(c, false), true))
                .isInstanceOf(Mha4jException.class)
                .hasMessageContaining("master_ip_failover_script failed while deactivating the master IP with exit"
                        + " code 1: something went wrong");
    }

    @Test
    void activationPassesTheNewMasterAndItsPasswordWhichNeverReachesAMessage() throws Exception {
        Path ip = script("ip", 3);
        ApplicationConfig c = config(b -> b.set(Parameter.MASTER_IP_FAILOVER_SCRIPT, ip.toString()));

        assertThatThrownBy(() -> new MhaScriptHook(c).activate(context(c, true)))
                .hasMessageContaining("exit code 3")
                .hasMessageContaining("--new_master_password=xxx")
                .hasMessageNotContaining(PASSWORD);
        assertThat(args("ip")).containsExactly("--command=start", "--ssh_user=root", "--orig_master_host=127.0.0.1",
                "--orig_master_ip=127.0.0.1", "--orig_master_port=3306", "--new_master_host=127.0.0.2",
                "--new_master_ip=127.0.0.2", "--new_master_port=3307", "--new_master_user=mha",
                "--new_master_password=" + PASSWORD, "--new_master_ssh_port=2222");
    }

    @Test
    void theReportScriptGetsTheHostsSubjectAndBodyAndItsFailureIsOnlyLogged() throws Exception {
        Path report = script("report", 1);
        ApplicationConfig c = config(b -> b.set(Parameter.REPORT_SCRIPT, report.toString()));
        MhaScriptHook hook = new MhaScriptHook(c);
        Instant t = Instant.parse("2026-11-25T04:00:00Z");
        FailoverReport r = new FailoverReport("app1", FailoverReport.Outcome.SUCCEEDED, "127.0.0.1(127.0.0.1:3306)",
                Optional.of("127.0.0.2(127.0.0.2:3307)"), "has the latest transactions", Map.of(), Optional.empty(),
                List.of(new PhaseTiming(FailoverPhase.CHECK, Duration.ofMillis(5), "ok")),
                List.of(new ReplicaOutcome("127.0.0.3(127.0.0.3:3308)", "127.0.0.3", true, "Slave started")),
                Optional.empty(), List.of(), t, t.plusMillis(300));

        hook.report(context(c, true), r);

        List<String> a = args("report");
        assertThat(a.subList(0, 4)).containsExactly("--orig_master_host=127.0.0.1", "--new_master_host=127.0.0.2",
                "--new_slave_hosts=127.0.0.3",
                "--subject=app1: MySQL Master failover 127.0.0.1(127.0.0.1:3306) to 127.0.0.2(127.0.0.2:3307) succeeded");
        assertThat(a.get(4)).isEqualTo("--body=----- Failover Report -----");
        assertThat(String.join("\n", a)).contains("Selected 127.0.0.2(127.0.0.2:3307) as a new master");
    }

    @Test
    void withoutScriptsNothingRuns() {
        ApplicationConfig c = config(b -> b);
        MhaScriptHook hook = new MhaScriptHook(c);
        hook.isolate(context(c, false), true);
        hook.activate(context(c, true));
        assertThat(dir).isEmptyDirectory();
    }
}
