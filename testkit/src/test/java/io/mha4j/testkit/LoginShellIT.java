package io.mha4j.testkit;

import static io.mha4j.testkit.OpenSshServerIT.sftpPwd;
import static io.mha4j.testkit.OpenSshServerIT.ssh;
import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.testkit.OpenSshServerIT.Ssh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a command ({@code ssh host true}) and an SFTP session pay for the user's shell start on a
 * real sshd, per {@link LoginShell}. The session's HOME gets a {@code .bashrc} that leaves a mark
 * per run, so whether the shell read it is seen, not guessed from a time. Times are logged.
 */
class LoginShellIT {
    private static final Logger log = LoggerFactory.getLogger(LoginShellIT.class);
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @Test
    void asIsTheShellSourcesTheSessionsRcFileForEveryCommandAndEverySftpSession() throws Exception {
        try (OpenSshServer server = OpenSshServer.builder().start()) {
            Path marks = rcFileLeavingMarks(server);

            Ssh command = ssh(server, server.knownHostsFile(), "true");
            Ssh sftp = sftpPwd(server);

            log.info(
                    "LoginShell.AS_IS, an empty HOME with a .bashrc: `ssh true` {} ms, an SFTP session {} ms",
                    command.took().toMillis(),
                    sftp.took().toMillis());
            assertThat(server.loginShell()).isEqualTo(LoginShell.AS_IS);
            assertThat(command.exitCode()).as(command.output()).isZero();
            assertThat(sftp.exitCode()).as(sftp.output()).isZero();
            assertThat(Files.readAllLines(marks))
                    .hasSize(2)
                    .anyMatch(l -> l.endsWith(" true"))
                    .anyMatch(l -> l.endsWith("sftp-server"));
        }
    }

    @Test
    void aLeanShellSourcesNoRcFileForACommandOrAnSftpSession() throws Exception {
        try (OpenSshServer server =
                OpenSshServer.builder().loginShell(LoginShell.LEAN).start()) {
            Path marks = rcFileLeavingMarks(server);

            Ssh command = ssh(server, server.knownHostsFile(), "true");
            Ssh sftp = sftpPwd(server);

            log.info(
                    "LoginShell.LEAN: `ssh true` {} ms, an SFTP session {} ms",
                    command.took().toMillis(),
                    sftp.took().toMillis());
            assertThat(command.exitCode()).as(command.output()).isZero();
            assertThat(sftp.exitCode()).as(sftp.output()).isZero();
            assertThat(marks).doesNotExist();
        }
    }

    @Test
    void aLeanShellIgnoresTheUsersOwnRcFilesToo() throws Exception {
        try (OpenSshServer server = OpenSshServer.builder()
                .userHome(true)
                .loginShell(LoginShell.LEAN)
                .start()) {
            Ssh command = ssh(server, server.knownHostsFile(), "echo $HOME; echo ${SHLVL}");

            log.info(
                    "LoginShell.LEAN with the user's HOME: `ssh echo` {} ms",
                    command.took().toMillis());
            assertThat(command.output()).isEqualTo(System.getProperty("user.home") + "\n2\n");
        }
    }

    @Test
    void aSlowShellTakesOneSecondOncePerCommandAndPerSftpSession() throws Exception {
        try (OpenSshServer server =
                OpenSshServer.builder().loginShell(LoginShell.SLOW).start()) {
            Path marks = rcFileLeavingMarks(server);

            Ssh command = ssh(server, server.knownHostsFile(), "true");
            Ssh sftp = sftpPwd(server);
            Ssh nested = ssh(server, server.knownHostsFile(), "echo ${BASH_ENV-none}; bash -c 'echo ${BASH_ENV-none}'");

            log.info(
                    "LoginShell.SLOW: `ssh true` {} ms, an SFTP session {} ms",
                    command.took().toMillis(),
                    sftp.took().toMillis());
            assertThat(command.exitCode()).as(command.output()).isZero();
            assertThat(command.took()).isGreaterThanOrEqualTo(ONE_SECOND);
            assertThat(sftp.exitCode()).as(sftp.output()).isZero();
            assertThat(sftp.took()).isGreaterThanOrEqualTo(ONE_SECOND);
            // The start script is gone from the command's environment: a shell the command starts does not pay again.
            assertThat(nested.output()).isEqualTo("none\nnone\n");
            assertThat(marks)
                    .as("no rc file is read: the second is the start's only cost")
                    .doesNotExist();
        }
    }

    /** A {@code .bashrc} in the session's HOME appending a line per run: the shell's pid and its command. */
    private static Path rcFileLeavingMarks(OpenSshServer server) throws IOException {
        Path marks = server.directory().resolve("rc-marks");
        Files.write(
                server.directory().resolve("home/.bashrc"), List.of("echo \"$$ $BASH_EXECUTION_STRING\" >> " + marks));
        return marks;
    }
}
