package io.mha4j.internal.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mha4j.Mha4jException;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverContext;
import io.mha4j.failover.FailoverReport;
import io.mha4j.remote.LocalShell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** MHA's scripts run for real (small shell scripts recording their arguments) with MHA 0.58's exact arguments. */
class MhaScriptHookTest {
    private static final String PASSWORD = "s3cret-pw";
    private static final String SSH_OPTIONS = "-o UserKnownHostsFile=/etc/mha/known_hosts";
    /** MHA's options for a host that answers over SSH, with mha4j's host-key policy, then ssh_options. */
    private static final String ALIVE = "--ssh_options=-o ServerAliveInterval=60 -o ServerAliveCountMax=20"
            + " -o StrictHostKeyChecking=yes -o ConnectionAttempts=5 -o PasswordAuthentication=no -o BatchMode=yes "
            + SSH_OPTIONS;
    /** MHA's options for a host being checked, ssh_connection_timeout (default 5 s) filled in. */
    private static final String CHECK = "--ssh_options=-o StrictHostKeyChecking=yes -o PasswordAuthentication=no"
            + " -o BatchMode=yes -o ConnectTimeout=5 " + SSH_OPTIONS;

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void captureLogs() {
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        root.detachAppender(logs);
    }

    /** A script that appends each argument on its own line to {@code <name>.args}, complains on stderr, exits {@code exit}. */
    private Path script(String name, int exit) throws Exception {
        return script(name, "echo 'vip is still up' >&2\nexit " + exit);
    }

    private Path script(String name, String body) throws Exception {
        Path script = dir.resolve(name);
        Files.writeString(
                script, "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '" + dir.resolve(name + ".args") + "'\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private List<String> args(String name) throws Exception {
        return Files.readAllLines(dir.resolve(name + ".args"));
    }

    /**
     * server1 (the dead master) on 127.0.0.1:3306, server2 (the new master) on 127.0.0.2:3307 with
     * SSH on port 2222, server3 on 127.0.0.3:3308; {@code dead} adjusts server1.
     */
    private static ApplicationConfig config(
            Consumer<ServerConfig.Builder> dead, UnaryOperator<ApplicationConfig.Builder> scripts) {
        ApplicationConfig.Builder b = ApplicationConfig.builder("app1")
                .user("mha")
                .password(PASSWORD)
                .sshUser("root")
                .server("server1", s -> dead.accept(s.hostname("127.0.0.1").port(3306)))
                .server("server2", s -> s.hostname("127.0.0.2").port(3307).sshPort(2222))
                .server("server3", s -> s.hostname("127.0.0.3").port(3308));
        return scripts.apply(b).build();
    }

    private static ApplicationConfig config(UnaryOperator<ApplicationConfig.Builder> scripts) {
        return config(s -> {}, scripts);
    }

    private static FailoverContext context(ApplicationConfig c, boolean elected) {
        FailoverContext ctx = new FailoverContext(c, c.servers().get(0), Optional.empty(), null, Path.of("/tmp"));
        return elected ? ctx.withNewMaster(c.servers().get(1)) : ctx;
    }

    private static MhaScriptHook hook(ApplicationConfig c) {
        return new MhaScriptHook(c, LocalShell.INSTANCE, Duration.ofSeconds(10));
    }

    private String logText() {
        return String.join(
                "\n", logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }

    @Test
    void fencingOverSshPassesStopsshAndTheSshUserAfterTheMasterAndStopPassesNoSshUser() throws Exception {
        Path ip = script("ip", 0);
        ApplicationConfig c = config(b -> b.set(Parameter.MASTER_IP_FAILOVER_SCRIPT, ip + " --vip=10.0.0.100"));

        hook(c).isolate(context(c, false), true);
        hook(c).isolate(context(c, false), false);

        assertThat(args("ip"))
                .containsExactly(
                        "--vip=10.0.0.100",
                        "--orig_master_host=127.0.0.1",
                        "--orig_master_ip=127.0.0.1",
                        "--orig_master_port=3306",
                        "--command=stopssh",
                        "--ssh_user=root",
                        "--vip=10.0.0.100",
                        "--orig_master_host=127.0.0.1",
                        "--orig_master_ip=127.0.0.1",
                        "--orig_master_port=3306",
                        "--command=stop");
    }

    @Test
    void fencingAMasterWithItsOwnSshPortAndOptionsPassesMhasSshArguments() throws Exception {
        Path ip = script("ip", 0);
        ApplicationConfig c = config(
                s -> s.sshPort(2200),
                b -> b.set(Parameter.MASTER_IP_FAILOVER_SCRIPT, ip.toString()).set(Parameter.SSH_OPTIONS, SSH_OPTIONS));

        hook(c).isolate(context(c, false), true);
        hook(c).isolate(context(c, false), false);

        assertThat(args("ip"))
                .containsExactly(
                        "--orig_master_host=127.0.0.1",
                        "--orig_master_ip=127.0.0.1",
                        "--orig_master_port=3306",
                        "--command=stopssh",
                        "--ssh_user=root",
                        "--orig_master_ssh_port=2200",
                        ALIVE,
                        "--orig_master_host=127.0.0.1",
                        "--orig_master_ip=127.0.0.1",
                        "--orig_master_port=3306",
                        "--command=stop",
                        "--orig_master_ssh_port=2200",
                        CHECK);
    }

    @Test
    void theShutdownScriptGetsHostIpPortAndSshArgumentsWithoutAPidFileWhenNoneIsSet() throws Exception {
        Path shutdown = script("shutdown", 0);
        ApplicationConfig c = config(s -> s.sshPort(2200), b -> b.set(Parameter.SHUTDOWN_SCRIPT, shutdown.toString()));

        assertThat(hook(c).fence(context(c, false), true))
                .as("exit 0: powered off")
                .isTrue();
        assertThat(hook(c).fence(context(c, false), false)).isTrue();

        assertThat(args("shutdown"))
                .containsExactly(
                        "--command=stopssh",
                        "--ssh_user=root",
                        "--host=127.0.0.1",
                        "--ip=127.0.0.1",
                        "--port=3306",
                        "--ssh_port=2200",
                        "--command=stop",
                        "--host=127.0.0.1",
                        "--ip=127.0.0.1",
                        "--port=3306",
                        "--ssh_port=2200");
    }

    @Test
    void theShutdownScriptGetsThePidFileAndItsExitCode10MeansMysqldStoppedGoOn() throws Exception {
        Path shutdown = script("shutdown", 10);
        ApplicationConfig c = config(b -> b.set(Parameter.SHUTDOWN_SCRIPT, shutdown.toString())
                .set(Parameter.MASTER_PID_FILE, "/var/run/mysqld/mysqld.pid"));

        assertThat(hook(c).fence(context(c, false), true))
                .as("exit 10: mysqld killed over SSH")
                .isTrue();

        assertThat(args("shutdown"))
                .containsExactly(
                        "--command=stopssh",
                        "--ssh_user=root",
                        "--host=127.0.0.1",
                        "--ip=127.0.0.1",
                        "--port=3306",
                        "--pid_file=/var/run/mysqld/mysqld.pid");
        assertThat(logText()).contains("answers over SSH and its mysqld was shut down");
    }

    @Test
    void aShutdownScriptExitingOtherwiseStopsTheFailover() throws Exception {
        Path shutdown = script("shutdown", 2);
        ApplicationConfig c = config(b -> b.set(Parameter.SHUTDOWN_SCRIPT, shutdown.toString()));

        assertThatThrownBy(() -> hook(c).fence(context(c, false), false))
                .isInstanceOf(Mha4jException.class)
                .hasMessage("shutdown_script " + shutdown + " exited 2 while shutting down the dead master:"
                        + " vip is still up");
    }

    @Test
    void aFailingIpFailoverScriptStopsTheFailoverNamingTheScriptAndItsExitCode() throws Exception {
        Path ip = script("ip", 1);
        Path shutdown = script("shutdown", 0);
        ApplicationConfig c = config(b -> b.set(Parameter.MASTER_IP_FAILOVER_SCRIPT, ip.toString())
                .set(Parameter.SHUTDOWN_SCRIPT, shutdown.toString()));

        assertThatThrownBy(() -> hook(c).isolate(context(c, false), true))
                .isInstanceOf(Mha4jException.class)
                .hasMessage("master_ip_failover_script " + ip + " exited 1 while deactivating the master IP:"
                        + " vip is still up");
        assertThat(dir.resolve("shutdown.args")).doesNotExist();
    }

    @Test
    void anIpFailoverScriptExiting10AsksToGoOnAsInMha() throws Exception {
        Path ip = script("ip", 10);
        ApplicationConfig c = config(b -> b.set(Parameter.MASTER_IP_FAILOVER_SCRIPT, ip.toString()));

        assertThatCode(() -> hook(c).isolate(context(c, false), false)).doesNotThrowAnyException();
        assertThatCode(() -> hook(c).activate(context(c, true))).doesNotThrowAnyException();
        assertThat(logText())
                .contains("exited 10 while deactivating the master IP: going on")
                .contains("exited 10 while activating the master IP: going on");
    }

    @Test
    void activationPassesBothMastersTheirSshArgumentsAndThePasswordLast() throws Exception {
        Path ip = script("ip", 0);
        ApplicationConfig c = config(b -> b.set(Parameter.MASTER_IP_FAILOVER_SCRIPT, ip.toString()));

        hook(c).activate(context(c, true));

        assertThat(args("ip"))
                .containsExactly(
                        "--command=start",
                        "--ssh_user=root",
                        "--orig_master_host=127.0.0.1",
                        "--orig_master_ip=127.0.0.1",
                        "--orig_master_port=3306",
                        "--new_master_host=127.0.0.2",
                        "--new_master_ip=127.0.0.2",
                        "--new_master_port=3307",
                        "--new_master_user=mha",
                        "--new_master_ssh_port=2222",
                        "--new_master_password=" + PASSWORD);
        assertThat(logText()).contains("--new_master_password=xxx").doesNotContain(PASSWORD);
    }

    @Test
    void afterAPowerOffActivationPassesTheDeadMastersSshOptionsForAnUnreachableHost() throws Exception {
        Path ip = script("ip", 0);
        Path shutdown = script("shutdown", 0);
        ApplicationConfig c = config(b -> b.set(Parameter.MASTER_IP_FAILOVER_SCRIPT, ip.toString())
                .set(Parameter.SHUTDOWN_SCRIPT, shutdown.toString())
                .set(Parameter.SSH_OPTIONS, SSH_OPTIONS));
        MhaScriptHook hook = hook(c);

        hook.isolate(context(c, false), true);
        assertThat(hook.fence(context(c, false), true)).isTrue();
        hook.activate(context(c, true));

        List<String> start = args("ip")
                .subList(args("ip").indexOf("--command=start"), args("ip").size());
        // The new master's SSH arguments never carry --ssh_options (MHA passes them for the first server only).
        assertThat(start.subList(9, start.size()))
                .containsExactly(CHECK, "--new_master_ssh_port=2222", "--new_master_password=" + PASSWORD);
    }

    @Test
    void aFailedActivationStopsTheFailoverAndItsMessageAndLogsNeverHoldThePassword() throws Exception {
        Path ip = script("ip", 3);
        ApplicationConfig c = config(b -> b.set(Parameter.MASTER_IP_FAILOVER_SCRIPT, ip.toString()));

        assertThatThrownBy(() -> hook(c).activate(context(c, true)))
                .isInstanceOf(Mha4jException.class)
                .hasMessageContaining("master_ip_failover_script " + ip + " exited 3 while activating the master IP")
                .hasMessageNotContaining(PASSWORD);
        assertThat(args("ip")).contains("--new_master_password=" + PASSWORD);
        assertThat(logText()).contains("--new_master_password=xxx").doesNotContain(PASSWORD);
    }

    @Test
    void aHungScriptIsKilledAndStopsTheFailover() throws Exception {
        Path ip = script("ip", "sleep 30");
        ApplicationConfig c = config(b -> b.set(Parameter.MASTER_IP_FAILOVER_SCRIPT, ip.toString()));
        MhaScriptHook hook = new MhaScriptHook(c, LocalShell.INSTANCE, Duration.ofMillis(300));

        assertThatThrownBy(() -> hook.activate(context(c, true)))
                .isInstanceOf(Mha4jException.class)
                .hasMessageContaining("master_ip_failover_script " + ip + " failed while activating the master IP")
                .hasMessageContaining("did not finish within 300 ms")
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void theReportScriptGetsTheHostsTheConfFileTheSubjectAndTheBody() throws Exception {
        Path report = script("report", 0);
        Path conf = dir.resolve("app1.cnf");
        ApplicationConfig c = config(b -> b.set(Parameter.REPORT_SCRIPT, report.toString())
                .files(new ApplicationConfig.ConfigFiles(conf, Path.of("/etc/masterha_default.cnf"), false)));
        FailoverReport r = FailoverReports.succeeded();

        hook(c).report(context(c, true), r);

        List<String> a = args("report");
        assertThat(a.subList(0, 5))
                .containsExactly(
                        "--orig_master_host=127.0.0.1",
                        "--new_master_host=127.0.0.2",
                        "--new_slave_hosts=127.0.0.1",
                        "--conf=" + conf,
                        "--subject=" + r.subject());
        assertThat(String.join("\n", a.subList(5, a.size()))).isEqualTo("--body=" + r.toText());
    }

    @Test
    void aPossibleLossReachesTheReportScriptInItsSubjectAndBodyWithMhasArguments() throws Exception {
        Path report = script("report", 0);
        ApplicationConfig c = config(b -> b.set(Parameter.REPORT_SCRIPT, report.toString()));
        FailoverReport r = FailoverReports.uncheckedTail();

        hook(c).report(context(c, true), r);

        List<String> a = args("report");
        assertThat(a)
                .filteredOn(s -> s.startsWith("--subject="))
                .singleElement()
                .asString()
                .endsWith("done, but transactions after GTID 0-1-57 may be lost");
        assertThat(String.join("\n", a))
                .contains(
                        "--body=----- Failover Report -----",
                        "POSSIBLE DATA LOSS: transactions after GTID 0-1-57 could not be checked and may be lost");
        assertThat(a)
                .allMatch(
                        s -> !s.startsWith("--")
                                || s.startsWith("--orig_master_host=")
                                || s.startsWith("--new_master_host=")
                                || s.startsWith("--new_slave_hosts=")
                                || s.startsWith("--subject=")
                                || s.startsWith("--body="),
                        "only MHA's arguments");
    }

    @Test
    void aRefusalIsReportedWithoutANewMasterAndWithoutConfWhenNoFileWasRead() throws Exception {
        Path report = script("report", 0);
        ApplicationConfig c = config(b -> b.set(Parameter.REPORT_SCRIPT, report.toString()));
        FailoverReport r = FailoverReports.refused();

        hook(c).report(context(c, false), r);

        List<String> a = args("report");
        assertThat(a.subList(0, 3))
                .containsExactly(
                        "--orig_master_host=127.0.0.1",
                        "--subject=" + r.subject(),
                        "--body=----- Failover Report -----");
        assertThat(a).noneMatch(s -> s.startsWith("--new_master_host") || s.startsWith("--conf"));
    }

    @Test
    void aFailingOrHungReportScriptIsOnlyLogged() throws Exception {
        Path failing = script("report", 1);
        ApplicationConfig c = config(b -> b.set(Parameter.REPORT_SCRIPT, failing.toString()));
        assertThatCode(() -> hook(c).report(context(c, true), FailoverReports.succeeded()))
                .doesNotThrowAnyException();
        assertThat(logText())
                .contains("report_script " + failing + " exited 1; the report was not sent: vip is" + " still up");

        Path hung = script("hung-report", "sleep 30");
        ApplicationConfig h = config(b -> b.set(Parameter.REPORT_SCRIPT, hung.toString()));
        assertThatCode(() -> new MhaScriptHook(h, LocalShell.INSTANCE, Duration.ofMillis(300))
                        .report(context(h, true), FailoverReports.succeeded()))
                .doesNotThrowAnyException();
        assertThat(logText()).contains("did not finish within 300 ms");
    }

    @Test
    void theIpDeactivationRunsAtIsolationAndTheShutdownScriptOnlyAtFencing() throws Exception {
        Path ip = script("ip", 0);
        Path shutdown = script("shutdown", 0);
        ApplicationConfig c = config(b -> b.set(Parameter.MASTER_IP_FAILOVER_SCRIPT, ip.toString())
                .set(Parameter.SHUTDOWN_SCRIPT, shutdown.toString()));

        hook(c).isolate(context(c, false), true);

        assertThat(dir.resolve("ip.args")).exists();
        assertThat(dir.resolve("shutdown.args")).doesNotExist();
    }

    @Test
    void withoutScriptsNothingRunsAndNothingIsFenced() {
        ApplicationConfig c = config(b -> b);
        MhaScriptHook hook = hook(c);
        assertThat(hook.fence(context(c, false), true)).isFalse();
        assertThat(logText())
                .contains("shutdown_script is not set. Skipping explicit shutting down of the dead master.");
        hook.isolate(context(c, false), true);
        hook.activate(context(c, true));
        hook.report(context(c, true), FailoverReports.succeeded());
        assertThat(dir).isEmptyDirectory();
    }
}
