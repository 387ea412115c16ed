package io.mha4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A misnamed plugin stops every command that acts on the servers before it acts, with one line
 * naming file, line and the names that exist; the commands that only read the file still work.
 * The servers named here do not exist: a command that got as far as asking them would time out.
 */
class PluginNamesCommandTest {
    @TempDir
    Path dir;

    private Path conf(String extra) throws IOException {
        return Files.writeString(
                dir.resolve("app1.cnf"),
                "[server default]\nuser=mha\npassword=secret\n"
                        + "manager_workdir=" + dir.resolve("work") + "\n" + extra
                        + "\n[server1]\nhostname=10.255.0.1\n\n"
                        + "[server2]\nhostname=10.255.0.2\n");
    }

    private Path global() throws IOException {
        return Files.writeString(dir.resolve("global.cnf"), "");
    }

    @Test
    void checkReplManagerAndCheckSshRefuseATypoBeforeAnything() throws IOException {
        Path conf = conf("master_elector=last-eligble");
        String line = "[error] " + conf + ":5: [server default] master_elector: no MasterElector named 'last-eligble';"
                + " available: ";
        for (String command : new String[] {"check_repl", "manager", "check_ssh"}) {
            CommandRun run = CommandRun.of(command, "--conf=" + conf, "--global_conf=" + global());

            assertThat(run.exitCode()).as(command + ": " + run.err()).isEqualTo(1);
            assertThat(run.err()).as(command).startsWith(line).contains("mha");
        }
        assertThat(dir.resolve("work")).as("the manager made nothing").doesNotExist();
    }

    @Test
    void aKnownPluginNamesItsArtifactAndShowConfStillShowsTheFile() throws IOException {
        Path conf = conf("failover_hooks=vip,sms");

        CommandRun check = CommandRun.of("check_repl", "--conf=" + conf, "--global_conf=" + global());
        CommandRun show = CommandRun.of("show_conf", "--conf=" + conf, "--global_conf=" + global());

        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.err()).contains(":5: [server default] failover_hooks: no FailoverHook named 'sms'");
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains("failover_hooks").contains("sms");
    }
}
