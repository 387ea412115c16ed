package io.mha4j.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Commands with streamed input and output, on this machine: {@link LocalShell}'s own streaming,
 * and the default that any {@link RemoteShell} gets from running commands and moving files.
 */
class StreamingRunTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(7).nextBytes(b);
        return b;
    }

    @Test
    void theLocalShellPipesInputThroughACommandIntoTheCallersStream() {
        byte[] data = random(3 * 1024 * 1024);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        CommandResult r =
                LocalShell.INSTANCE.run(RemoteCommand.of("cat"), TIMEOUT, new ByteArrayInputStream(data), out);

        assertThat(r.succeeded()).isTrue();
        assertThat(r.stdout()).as("streamed, not kept").isEmpty();
        assertThat(out.toByteArray()).isEqualTo(data);
    }

    /** An input whose source grows: what it has passed on reaches the command before it ends. */
    @Test
    void inputThatPausesIsPassedOnWithoutWaitingForMore() throws Exception {
        CountDownLatch more = new CountDownLatch(1);
        InputStream growing = new SequenceInputStream(
                new ByteArrayInputStream("first line\n".getBytes(StandardCharsets.US_ASCII)), new InputStream() {
                    @Override
                    public int read() throws IOException {
                        try {
                            more.await();
                        } catch (InterruptedException e) {
                            throw new InterruptedIOException();
                        }
                        return -1;
                    }
                });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.util.concurrent.CompletableFuture<CommandResult> run = CompletableFuture.supplyAsync(
                () -> LocalShell.INSTANCE.run(RemoteCommand.of("cat"), TIMEOUT, growing, out));

        await().atMost(TIMEOUT)
                .until(() -> out.toString(StandardCharsets.US_ASCII).equals("first line\n"));
        assertThat(run).isNotDone();
        more.countDown();

        assertThat(run.get().succeeded()).isTrue();
    }

    @Test
    void withoutInputTheCommandReadsNothingAndItsErrorsAreKept() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        CommandResult r = LocalShell.INSTANCE.run(
                RemoteCommand.of("sh", "-c", "cat; echo done; echo warn >&2; exit 4"), TIMEOUT, null, out);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("done\n");
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.stderr()).isEqualTo("warn\n");
    }

    @Test
    void aCommandThatExitsWithoutReadingItsInputIsNoError() {
        CommandResult r = LocalShell.INSTANCE.run(
                RemoteCommand.of("true"),
                TIMEOUT,
                new ByteArrayInputStream(random(1024 * 1024)),
                OutputStream.nullOutputStream());

        assertThat(r.succeeded()).isTrue();
    }

    @Test
    void anOutputThatFailsIsAnErrorNamingTheCommand() {
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };

        assertThatThrownBy(() -> LocalShell.INSTANCE.run(RemoteCommand.of("seq", "1", "100000"), TIMEOUT, null, full))
                .isInstanceOf(RemoteShellException.class)
                .hasMessageContaining("seq")
                .hasMessageContaining("No space left on device");
    }

    @Test
    void aShellThatOnlyMovesFilesStreamsThroughATemporaryDirectoryItRemoves() {
        RecordingShell shell = new RecordingShell("files-only", false);
        byte[] data = random(200_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        CommandResult r = shell.run(
                RemoteCommand.of("sh", "-c", "cat; echo \"$0\" >&2", "it's $HOME"),
                TIMEOUT,
                new ByteArrayInputStream(data),
                out);

        assertThat(out.toByteArray()).isEqualTo(data);
        assertThat(r.stderr()).as("arguments reach the command as they were").isEqualTo("it's $HOME\n");
        assertThat(shell.commands).as("mktemp, the command, rm").hasSize(3);
        String dir = shell.commands.get(2).argv().get(3);
        assertThat(shell.commands.get(2).argv()).containsExactly("rm", "-rf", "--", dir);
        assertThat(Path.of(dir)).doesNotExist();
    }

    @Test
    void aShellThatOnlyMovesFilesUnlinksTheInputBeforeTheCommandRuns() {
        RecordingShell shell = new RecordingShell("files-only", false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        CommandResult r = shell.run(
                RemoteCommand.of(
                        "sh",
                        "-c",
                        "readlink /proc/$$/fd/0; ls \"$(dirname \"$(readlink" + " /proc/$$/fd/0)\")\"; cat"),
                TIMEOUT,
                new ByteArrayInputStream("[client]\npassword=x\n".getBytes(StandardCharsets.UTF_8)),
                out);

        assertThat(r.succeeded()).isTrue();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[0])
                .as("the input has no name left once the command runs")
                .endsWith("/in (deleted)");
        assertThat(lines[1]).as("the directory holds only the output").isEqualTo("out");
        assertThat(lines[2]).as("yet the command reads it").isEqualTo("[client]");
    }

    @Test
    void aLocalCommandThatTimesOutHasEndedWithWhatItStartedWhenRunReturns() throws IOException {
        Path pids = Files.createTempFile("mha4j-pids", "");
        try {
            assertThatThrownBy(() -> LocalShell.INSTANCE.run(
                            RemoteCommand.of("sh", "-c", "sleep 30 & echo $$ $! > \"$1\"; wait", "sh", pids.toString()),
                            Duration.ofMillis(500)))
                    .isInstanceOfSatisfying(
                            RemoteShellException.class,
                            e -> assertThat(e.kind()).isEqualTo(RemoteShellException.Kind.TIMEOUT))
                    .hasMessageContaining("they have ended");

            for (String pid : Files.readString(pids).strip().split(" ")) {
                assertThat(ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive))
                        .as(pid)
                        .isEmpty();
            }
        } finally {
            Files.delete(pids);
        }
    }

    @Test
    void anInterruptedLocalCommandHasEndedWhenRunReturnsAndTheInterruptIsKept() throws Exception {
        Path pid = Files.createTempFile("mha4j-pid", "");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread runner = new Thread(() -> {
            try {
                LocalShell.INSTANCE.run(
                        RemoteCommand.of("sh", "-c", "echo $$ > \"$1\"; exec sleep 30", "sh", pid.toString()), TIMEOUT);
            } catch (RuntimeException e) {
                thrown.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        try {
            runner.start();
            await().atMost(TIMEOUT).until(() -> Files.size(pid) > 0);
            runner.interrupt();
            runner.join(TIMEOUT.toMillis());

            assertThat(thrown.get())
                    .isInstanceOf(RemoteShellException.class)
                    .hasMessageContaining("interrupted")
                    .hasMessageContaining("they have ended");
            assertThat(stillInterrupted).isTrue();
            long sh = Long.parseLong(Files.readString(pid).strip());
            assertThat(ProcessHandle.of(sh).filter(ProcessHandle::isAlive)).isEmpty();
        } finally {
            Files.delete(pid);
        }
    }

    @Test
    void aShellThatOnlyMovesFilesGivesACommandWithoutInputNothingToRead() {
        RecordingShell shell = new RecordingShell("files-only", false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        CommandResult r = shell.run(RemoteCommand.of("sh", "-c", "cat; echo end; exit 2"), TIMEOUT, null, out);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("end\n");
        assertThat(r.exitCode()).isEqualTo(2);
    }
}
