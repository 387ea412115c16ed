package io.mha4j.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mha4j.remote.CommandResult;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShellException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm shell's protocol against a real {@code sh} on this machine standing in for the SSH
 * exec channel: the same bytes flow, without an sshd.
 */
class WarmShellTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Process process;

    @AfterEach
    void stop() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private WarmShell.Channel channel(String login) throws IOException {
        return channel(login, false);
    }

    /** @param seemsOpen the channel claims to be open whatever happened, as one whose end is not noticed yet */
    private WarmShell.Channel channel(String login, boolean seemsOpen) throws IOException {
        LocalShChannel channel = LocalShChannel.start(login);
        channel.seemsOpen = seemsOpen;
        process = channel.process;
        return channel;
    }

    private WarmShell started() throws IOException {
        return WarmShell.start(channel("true"), "test", TIMEOUT);
    }

    private static CommandResult run(WarmShell shell, String... argv) {
        return shell.tryRun(RemoteCommand.of(java.util.List.of(argv)), TIMEOUT, null)
                .orElseThrow();
    }

    @Test
    void whatTheLoginShellPrintsIsDroppedAndTheShellsPidIsKnown() throws IOException {
        WarmShell shell = WarmShell.start(
                channel("echo 'Welcome!'; echo 'pyenv: noise' >&2; printf 'no newline'"), "test", TIMEOUT);

        assertThat(shell.pid()).isEqualTo(process.pid());
        CommandResult r = run(shell, "echo", "first");
        assertThat(r.stdout()).isEqualTo("first\n");
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void eachCommandGetsItsOwnOutputErrorsAndExitStatus() throws IOException {
        WarmShell shell = started();

        CommandResult a = run(shell, "sh", "-c", "echo out; echo err >&2; exit 3");
        CommandResult b = run(shell, "printf", "%s", "no newline at the end");
        CommandResult c = run(shell, "true");

        assertThat(a.exitCode()).isEqualTo(3);
        assertThat(a.stdout()).isEqualTo("out\n");
        assertThat(a.stderr()).isEqualTo("err\n");
        assertThat(b.stdout()).isEqualTo("no newline at the end");
        assertThat(b.succeeded()).isTrue();
        assertThat(c.stdout()).isEmpty();
        assertThat(c.exitCode()).isZero();
    }

    @Test
    void argumentsReachTheCommandUninterpreted() throws IOException {
        WarmShell shell = started();

        CommandResult r = run(shell, "printf", "%s|", "$HOME", "it's", "a; b", "line\nbreak", "");

        assertThat(r.stdout()).isEqualTo("$HOME|it's|a; b|line\nbreak||");
    }

    @Test
    void aCommandCannotChangeTheShellNorReadTheCommandsThatFollow() throws IOException {
        WarmShell shell = started();

        assertThat(run(shell, "exit", "5").exitCode())
                .as("a builtin without a program fails as over exec")
                .isEqualTo(127);
        assertThat(run(shell, "cat").stdout())
                .as("stdin is /dev/null, not the command stream")
                .isEmpty();
        assertThat(run(shell, "echo", "still here").stdout()).isEqualTo("still here\n");
    }

    @Test
    void largeOutputIsStreamedToTheCallerExactly() throws IOException {
        WarmShell shell = started();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        CommandResult r = shell.tryRun(RemoteCommand.of("seq", "1", "300000"), TIMEOUT, out)
                .orElseThrow();

        String expected = IntStream.rangeClosed(1, 300_000)
                .mapToObj(Integer::toString)
                .collect(Collectors.joining("\n", "", "\n"));
        assertThat(r.stdout()).as("streamed, not kept").isEmpty();
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(expected);
        assertThat(run(shell, "echo", "next").stdout()).isEqualTo("next\n");
    }

    @Test
    void anOutputThatFailsIsReportedAndTheShellStaysInStep() throws IOException {
        WarmShell shell = started();
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };

        assertThatThrownBy(() -> shell.tryRun(RemoteCommand.of("seq", "1", "100000"), TIMEOUT, full))
                .isInstanceOf(RemoteShellException.class)
                .hasMessageContaining("No space left on device");
        assertThat(run(shell, "echo", "next").stdout()).isEqualTo("next\n");
    }

    @Test
    void aCommandThatTimesOutClosesTheShell() throws IOException {
        WarmShell shell = started();

        assertThatThrownBy(() -> shell.tryRun(RemoteCommand.of("sleep", "30"), Duration.ofMillis(300), null))
                .isInstanceOfSatisfying(
                        RemoteShellException.class,
                        e -> assertThat(e.kind()).isEqualTo(RemoteShellException.Kind.TIMEOUT));
        assertThat(shell.isOpen()).isFalse();
        assertThat(shell.tryRun(RemoteCommand.of("true"), TIMEOUT, null))
                .as("nothing runs in a closed shell")
                .isEmpty();
    }

    @Test
    void aCallerInterruptedWhileItsCommandRunsLeavesTheShellUsable() throws Exception {
        WarmShell shell = started();
        Path go = dir.resolve("go");
        Throwable failure = interruptedWhileRunning(
                shell,
                RemoteCommand.of("sh", "-c", "while [ ! -e \"$1\" ]; do sleep 0.01; done", "sh", go.toString()),
                null);

        assertThat(failure)
                .isInstanceOfSatisfying(
                        RemoteShellException.class,
                        e -> assertThat(e.getMessage()).contains("interrupted"));
        assertThat(shell.isOpen()).as("the caller gave up, not the shell").isTrue();
        assertThat(shell.isBusy()).as("its command still runs").isTrue();

        Files.createFile(go);
        await().atMost(TIMEOUT).until(() -> !shell.isBusy());
        assertThat(run(shell, "echo", "still warm").stdout()).isEqualTo("still warm\n");
    }

    @Test
    void aCallerInterruptedWhileItsOutputStreamsClosesTheShell() throws Exception {
        WarmShell shell = started();
        Throwable failure =
                interruptedWhileRunning(shell, RemoteCommand.of("sleep", "30"), OutputStream.nullOutputStream());

        assertThat(failure).isInstanceOf(RemoteShellException.class);
        assertThat(shell.isOpen())
                .as("its output's stream may be closed: the shell cannot finish it")
                .isFalse();
    }

    /** Runs {@code command} on a thread of its own, interrupts that thread while the command runs: what it threw. */
    private static Throwable interruptedWhileRunning(WarmShell shell, RemoteCommand command, OutputStream output)
            throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                shell.tryRun(command, TIMEOUT, output);
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        caller.start();
        await().atMost(TIMEOUT).until(shell::isBusy);
        caller.interrupt();
        caller.join(TIMEOUT.toMillis());
        return failure.get();
    }

    @Test
    void aBusyShellLetsAnotherCommandGoElsewhere() throws Exception {
        WarmShell shell = started();
        Path go = dir.resolve("go");
        CompletableFuture<Optional<CommandResult>> first = CompletableFuture.supplyAsync(() -> shell.tryRun(
                RemoteCommand.of(
                        "sh", "-c", "while [ ! -e \"$1\" ]; do sleep 0.01; done; echo done", "sh", go.toString()),
                TIMEOUT,
                null));
        await().atMost(TIMEOUT).until(shell::isBusy);

        assertThat(shell.tryRun(RemoteCommand.of("true"), TIMEOUT, null)).isEmpty();

        Files.createFile(go);
        assertThat(first.get().orElseThrow().stdout()).isEqualTo("done\n");
        assertThat(run(shell, "echo", "free again").stdout()).isEqualTo("free again\n");
    }

    @Test
    void aShellThatDiesWhileACommandRunsFailsItAsBroken() throws IOException {
        WarmShell shell = started();

        assertThatThrownBy(() -> run(shell, "sh", "-c", "kill -KILL $PPID; exec sleep 5 >/dev/null 2>&1"))
                .isInstanceOfSatisfying(
                        RemoteShellException.class, e -> assertThat(e.kind()).isEqualTo(RemoteShellException.Kind.IO));
        assertThat(shell.isOpen()).isFalse();
    }

    @Test
    void aShellThatHasGoneUnnoticedHandsARepeatableCommandBackToGoElsewhere() throws Exception {
        WarmShell shell = WarmShell.start(channel("true", true), "test", TIMEOUT);
        process.destroyForcibly().waitFor();

        assertThat(shell.tryRun(RemoteCommand.of("echo", "x").repeatable(), TIMEOUT, null))
                .isEmpty();
        assertThat(shell.isOpen()).isFalse();
    }

    @Test
    void aCommandNotToRepeatWhoseSendFailedIsAnUnknownOutcomeNotASecondRun() throws Exception {
        WarmShell shell = WarmShell.start(channel("true", true), "test", TIMEOUT);
        process.destroyForcibly().waitFor();

        assertThatThrownBy(() -> shell.tryRun(RemoteCommand.of("ip", "addr", "add", "10.0.0.9/32"), TIMEOUT, null))
                .isInstanceOfSatisfying(
                        RemoteShellException.class, e -> assertThat(e.kind()).isEqualTo(RemoteShellException.Kind.IO))
                .hasMessageContaining("ip addr add 10.0.0.9/32")
                .hasMessageContaining("whether it ran is unknown");
        assertThat(shell.isOpen()).isFalse();
    }

    /**
     * The line reaches {@code sh}, then the stream breaks before the send returns: the command
     * runs although the send failed, which is what a shell that reran it elsewhere would repeat.
     */
    @Test
    void aCommandThatRanAlthoughItsSendFailedIsNeverRunAgain() throws Exception {
        Path ran = dir.resolve("ran");
        WarmShell shell = WarmShell.start(deliveredThenBroken(ran), "test", TIMEOUT);

        assertThatThrownBy(() -> shell.tryRun(RemoteCommand.of("touch", ran.toString()), TIMEOUT, null))
                .isInstanceOf(RemoteShellException.class)
                .hasMessageContaining("whether it ran is unknown")
                .hasMessageContaining("not run again");
        assertThat(ran).as("it did run").exists();
    }

    @Test
    void aRepeatableCommandThatPrintedIntoTheCallersStreamIsNotRunAgain() throws Exception {
        Path ran = dir.resolve("ran");
        WarmShell shell = WarmShell.start(deliveredThenBroken(ran), "test", TIMEOUT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThatThrownBy(() -> shell.tryRun(
                        RemoteCommand.of("sh", "-c", "echo partial; touch \"$1\"; exec sleep 30", "sh", ran.toString())
                                .repeatable(),
                        TIMEOUT,
                        out))
                .isInstanceOf(RemoteShellException.class)
                .hasMessageContaining("whether it ran is unknown")
                .hasMessageContaining("part of its output reached the caller");
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("partial\n");
    }

    /**
     * A channel to a real {@code sh} whose input, once the shell has started, passes a command's
     * line on and fails the send only when the command has made {@code ran}.
     */
    private WarmShell.Channel deliveredThenBroken(Path ran) throws IOException {
        WarmShell.Channel real = channel("true");
        java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
        OutputStream breaking = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                real.input().write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                real.input().write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                real.input().flush();
                if (started.getAndSet(true)) {
                    await().atMost(TIMEOUT).until(() -> Files.exists(ran));
                    throw new IOException("Broken pipe");
                }
            }
        };
        return new WarmShell.Channel() {
            @Override
            public OutputStream input() {
                return breaking;
            }

            @Override
            public InputStream output() {
                return real.output();
            }

            @Override
            public InputStream errors() {
                return real.errors();
            }

            @Override
            public boolean isOpen() {
                return real.isOpen();
            }

            @Override
            public void close() {
                real.close();
            }
        };
    }

    @Test
    void aLoginShellThatNeverHandsOverTimesOut() throws IOException {
        WarmShell.Channel hung = channel("sleep 30");

        assertThatThrownBy(() -> WarmShell.start(hung, "test", Duration.ofMillis(300)))
                .isInstanceOfSatisfying(
                        RemoteShellException.class,
                        e -> assertThat(e.kind()).isEqualTo(RemoteShellException.Kind.TIMEOUT));
        await().atMost(TIMEOUT).until(() -> !hung.isOpen());
    }

    @Test
    void aLoginShellThatExitsSaysWhatItPrinted() throws IOException {
        WarmShell.Channel refusing = channel("echo 'This account is currently not available.'; exit 1");

        assertThatThrownBy(() -> WarmShell.start(refusing, "test", TIMEOUT))
                .isInstanceOf(RemoteShellException.class)
                .hasMessageContaining("ended before it answered")
                .hasMessageContaining("This account is currently not available.");
    }
}
