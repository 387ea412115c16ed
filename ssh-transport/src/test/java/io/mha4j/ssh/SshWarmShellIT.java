package io.mha4j.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.remote.CommandResult;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShellException;
import io.mha4j.remote.RemoteShellException.Kind;
import io.mha4j.testkit.OpenSshServer;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm shell over a real sshd whose login shell takes a second to start: once the shell is
 * prepared, commands pay no login shell at all (counted), output streams byte for byte, a
 * timed-out command is killed with the warm shell, and a lost connection is replaced.
 */
class SshWarmShellIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private OpenSshServer sshd;
    private SlowLoginShell login;
    private SshRemoteShell shell;

    @BeforeEach
    void start() {
        sshd = OpenSshServer.builder().start();
        login = SlowLoginShell.on(sshd, dir);
        shell = new SshRemoteShell(TestTargets.of(sshd));
    }

    @AfterEach
    void stop() {
        shell.close();
        sshd.close();
    }

    @Test
    void afterPreparingCommandsPayNoLoginShell() {
        long before = login.starts();
        String prepared = shell.prepare(TIMEOUT);
        assertThat(prepared).contains("connected").contains("started a warm shell");
        assertThat(login.starts()).as("the warm shell's own login").isEqualTo(before + 1);

        long started = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            CommandResult r = shell.run(
                    RemoteCommand.of("sh", "-c", "echo $1; echo e$1 >&2; exit $(($1 % 3))", "sh", String.valueOf(i)),
                    TIMEOUT);
            assertThat(r.stdout()).isEqualTo(i + "\n");
            assertThat(r.stderr()).isEqualTo("e" + i + "\n");
            assertThat(r.exitCode()).isEqualTo(i % 3);
        }
        Duration twenty = Duration.ofNanos(System.nanoTime() - started);

        assertThat(login.starts())
                .as("no login shell for any of the 20 commands")
                .isEqualTo(before + 1);
        assertThat(twenty).as("20 commands, each far below one login shell").isLessThan(Duration.ofSeconds(5));
        assertThat(shell.prepare(TIMEOUT)).startsWith("reused connection #").contains("its warm shell");
        assertThat(login.starts()).isEqualTo(before + 1);
    }

    @Test
    void connectingForAFailoverStartsAWarmShellBesideItsCommandsAndWaitsForNone() {
        long before = login.starts();
        long start = System.nanoTime();
        assertThat(shell.connect(TIMEOUT))
                .startsWith("connected (connection #")
                .endsWith("no warm shell yet (starting one beside the failover's commands)");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("connect waits for no login shell")
                .isLessThan(SlowLoginShell.START);
        assertThat(shell.run(RemoteCommand.of("echo", "cold"), TIMEOUT).stdout())
                .isEqualTo("cold\n");
        // The exec channel's login shell and the warm shell's, paid at the same time.
        Awaitility.await().atMost(TIMEOUT).until(() -> shell.connect(TIMEOUT).contains("its warm shell (pid "));
        assertThat(login.starts()).as("one exec channel and the warm shell").isEqualTo(before + 2);

        assertThat(shell.connect(TIMEOUT)).startsWith("reused connection #").contains("its warm shell (pid ");
        long warm = login.starts();
        assertThat(shell.run(RemoteCommand.of("echo", "warm"), TIMEOUT).stdout())
                .isEqualTo("warm\n");
        assertThat(login.starts()).isEqualTo(warm);
    }

    @Test
    void largeOutputStreamsFromTheWarmShellAndInputThroughAnExecChannelByteForByte() throws Exception {
        shell.prepare(TIMEOUT);
        byte[] data = new byte[20 * 1024 * 1024];
        new Random(5).nextBytes(data);
        Path file = Files.write(dir.resolve("data"), data);
        long before = login.starts();
        MessageDigest digest = MessageDigest.getInstance("SHA-256");

        CommandResult out = shell.run(
                RemoteCommand.of("cat", file.toString()),
                TIMEOUT,
                null,
                new DigestOutputStream(OutputStream.nullOutputStream(), digest));

        assertThat(out.succeeded()).isTrue();
        assertThat(HexFormat.of().formatHex(digest.digest()))
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
        assertThat(login.starts()).as("output without input: in the warm shell").isEqualTo(before);

        Path copy = dir.resolve("copy");
        CommandResult in = shell.run(
                RemoteCommand.of("sh", "-c", "cat > \"$1\"", "sh", copy.toString()),
                TIMEOUT,
                new ByteArrayInputStream(data),
                OutputStream.nullOutputStream());

        assertThat(in.succeeded()).isTrue();
        assertThat(Files.readAllBytes(copy)).isEqualTo(data);
        assertThat(login.starts())
                .as("input needs a channel of its own: one login")
                .isEqualTo(before + 1);
    }

    @Test
    void aCommandThatTimesOutInTheWarmShellIsKilledAndTheNextPreparationWarmsAgain() {
        shell.prepare(TIMEOUT);
        RemoteCommand sleep = RemoteCommand.of("sh", "-c", "sleep 62.0371 & sleep 62.0372; wait");

        assertThatThrownBy(() -> shell.run(sleep, Duration.ofMillis(1500)))
                .isInstanceOfSatisfying(
                        RemoteShellException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT));

        Awaitility.await("the timed-out sleeps are gone")
                .atMost(Duration.ofSeconds(15))
                .until(() -> ProcessHandle.allProcesses()
                        .noneMatch(p -> p.info()
                                .commandLine()
                                .filter(c -> c.contains("62.037"))
                                .isPresent()));
        assertThat(shell.run(RemoteCommand.of("echo", "over exec"), TIMEOUT).stdout())
                .isEqualTo("over exec\n");
        assertThat(shell.prepare(TIMEOUT)).contains("started a warm shell");
        long before = login.starts();
        assertThat(shell.run(RemoteCommand.of("echo", "warm again"), TIMEOUT).stdout())
                .isEqualTo("warm again\n");
        assertThat(login.starts()).isEqualTo(before);
    }

    @Test
    void aLostConnectionIsReplacedWithANewWarmShellAtTheNextPreparation() {
        shell.prepare(TIMEOUT);
        sshd.stop();

        assertThatThrownBy(() -> shell.run(RemoteCommand.of("true"), Duration.ofSeconds(5)))
                .isInstanceOf(RemoteShellException.class);

        sshd.start();
        assertThat(shell.prepare(TIMEOUT)).contains("connected (connection #").contains("started a warm shell");
        long before = login.starts();
        assertThat(shell.run(RemoteCommand.of("echo", "back"), TIMEOUT).stdout())
                .isEqualTo("back\n");
        assertThat(login.starts()).isEqualTo(before);
    }
}
