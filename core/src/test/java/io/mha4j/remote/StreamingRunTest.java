package io.mha4j.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Commands with streamed input and output, on this machine: {@link LocalShell}'s own streaming,
 * and the default that any {@link RemoteShell} gets from running commands and moving files.
 */
class StreamingRunTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** A shell that only runs commands and moves files (here, on this machine): it streams through temporary files. */
    private static final class FilesOnlyShell implements RemoteShell {
        final java.util.List<RemoteCommand> commands = new java.util.ArrayList<>();

        @Override
        public String target() {
            return "files-only";
        }

        @Override
        public CommandResult run(RemoteCommand command, Duration timeout) {
            commands.add(command);
            return LocalShell.INSTANCE.run(command, timeout);
        }

        @Override
        public InputStream read(String path, long offset) {
            return LocalShell.INSTANCE.read(path, offset);
        }

        @Override
        public void write(String path, InputStream content) {
            LocalShell.INSTANCE.write(path, content);
        }

        @Override
        public Optional<RemoteFile> stat(String path) {
            return LocalShell.INSTANCE.stat(path);
        }

        @Override
        public void close() {}
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(7).nextBytes(b);
        return b;
    }

    @Test
    void theLocalShellPipesInputThroughACommandIntoTheCallersStream() {
        byte[] data = random(3 * 1024 * 1024);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        CommandResult r = LocalShell.INSTANCE.run(RemoteCommand.of("cat"), TIMEOUT, new ByteArrayInputStream(data), out);

        assertThat(r.succeeded()).isTrue();
        assertThat(r.stdout()).as("streamed, not kept").isEmpty();
        assertThat(out.toByteArray()).isEqualTo(data);
    }

    @Test
    void withoutInputTheCommandReadsNothingAndItsErrorsAreKept() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        CommandResult r = LocalShell.INSTANCE.run(RemoteCommand.of("sh", "-c", "cat; echo done; echo warn >&2; exit 4"),
                TIMEOUT, null, out);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("done\n");
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.stderr()).isEqualTo("warn\n");
    }

    @Test
    void aCommandThatExitsWithoutReadingItsInputIsNoError() {
        CommandResult r = LocalShell.INSTANCE.run(RemoteCommand.of("true"), TIMEOUT,
                new ByteArrayInputStream(random(1024 * 1024)), OutputStream.nullOutputStream());

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
                .isInstanceOf(RemoteShellException.class).hasMessageContaining("seq")
                .hasMessageContaining("No space left on device");
    }

    @Test
    void aShellThatOnlyMovesFilesStreamsThroughATemporaryDirectoryItRemoves() {
        FilesOnlyShell shell = new FilesOnlyShell();
        byte[] data = random(200_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        CommandResult r = shell.run(RemoteCommand.of("sh", "-c", "cat; echo \"$0\" >&2", "it's $HOME"), TIMEOUT,
                new ByteArrayInputStream(data), out);

        assertThat(out.toByteArray()).isEqualTo(data);
        assertThat(r.stderr()).as("arguments reach the command as they were").isEqualTo("it's $HOME\n");
        assertThat(shell.commands).as("mktemp, the command, rm").hasSize(3);
        String dir = shell.commands.get(2).argv().get(3);
        assertThat(shell.commands.get(2).argv()).containsExactly("rm", "-rf", "--", dir);
        assertThat(java.nio.file.Path.of(dir)).doesNotExist();
    }

    @Test
    void aShellThatOnlyMovesFilesGivesACommandWithoutInputNothingToRead() {
        FilesOnlyShell shell = new FilesOnlyShell();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        CommandResult r = shell.run(RemoteCommand.of("sh", "-c", "cat; echo end; exit 2"), TIMEOUT, null, out);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("end\n");
        assertThat(r.exitCode()).isEqualTo(2);
    }
}
