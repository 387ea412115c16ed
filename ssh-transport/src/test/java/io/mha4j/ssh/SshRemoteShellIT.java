package io.mha4j.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.remote.CommandResult;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteFile;
import io.mha4j.remote.RemoteShellException;
import io.mha4j.remote.RemoteShellException.Kind;
import io.mha4j.testkit.OpenSshServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Commands and files through a real OpenSSH server, over one connection for the whole class. */
class SshRemoteShellIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static OpenSshServer server;
    private static SshRemoteShell shell;
    private static Path files;

    @BeforeAll
    static void start() throws Exception {
        server = OpenSshServer.builder().start();
        shell = new SshRemoteShell(TestTargets.of(server));
        // The server is on this machine: the test prepares and checks remote files locally.
        files = Files.createDirectory(server.directory().resolve("files"));
    }

    @AfterAll
    static void stop() {
        shell.close();
        server.close();
    }

    @Test
    void aCommandReturnsItsExitCodeStdoutAndStderr() {
        CommandResult result = shell.run(RemoteCommand.of("sh", "-c", "echo out; echo err >&2; exit 3"), TIMEOUT);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(result.took()).isPositive();
    }

    @Test
    void argumentsArriveLiterallyWhateverTheyHoldForAShell() {
        List<String> args = List.of(
                "two words",
                "it's",
                "$HOME",
                "${PATH}",
                "a;b",
                "`id`",
                "$(id)",
                "\"q\"",
                "*",
                "",
                "back\\slash",
                "new\nline",
                "> /dev/null",
                "|",
                "&&",
                "#comment");

        CommandResult result = shell.run(
                RemoteCommand.builder("printf").arg("%s\\0").args(args).build(), TIMEOUT);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout().split("\0", -1))
                .containsExactlyElementsOf(
                        Stream.concat(args.stream(), Stream.of("")).toList());
    }

    @Test
    void aCommandThatOutlivesItsTimeoutFailsAndIsKilledWithWhatItStarted() {
        // Odd durations name the processes among the machine's others; one runs in the background.
        RemoteCommand sleep = RemoteCommand.of("sh", "-c", "sleep 61.0371 & sleep 61.0372; wait");
        long started = System.nanoTime();

        assertThatThrownBy(() -> shell.run(sleep, Duration.ofMillis(1500)))
                .isInstanceOfSatisfying(
                        RemoteShellException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT))
                .hasMessageContaining(server.user() + "@127.0.0.1")
                .hasMessageContaining("1500 ms");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        Awaitility.await("the timed-out sleeps are gone")
                .atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.allProcesses()
                        .noneMatch(p -> p.info()
                                .commandLine()
                                .filter(c -> c.contains("61.037"))
                                .isPresent()));
        assertThat(shell.run(RemoteCommand.of("true"), TIMEOUT).exitCode()).isZero();
    }

    @Test
    void a50MegabyteFileStreamsFromAnOffsetByteForByte() throws Exception {
        Path file = files.resolve("binlog.000001");
        long size = 50L << 20;
        long offset = 12_345_678;
        byte[] expected = writeRandomFile(file, size, offset);

        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long read;
        try (InputStream in = new DigestInputStream(shell.read(file.toString(), offset), digest)) {
            read = in.transferTo(OutputStream.nullOutputStream());
        }

        assertThat(read).isEqualTo(size - offset);
        assertThat(HexFormat.of().formatHex(digest.digest()))
                .isEqualTo(HexFormat.of().formatHex(expected));
    }

    /** Writes {@code size} seeded random bytes, 1 MiB at a time; returns the SHA-256 of those from {@code offset}. */
    private static byte[] writeRandomFile(Path file, long size, long offset) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Random random = new Random(42);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long at = 0; at < size; at += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk);
                int from = (int) Math.max(0, Math.min(chunk.length, offset - at));
                digest.update(chunk, from, chunk.length - from);
            }
        }
        return digest.digest();
    }

    @Test
    void aReadStreamThatIsClosedEarlyLeavesTheShellUsable() throws Exception {
        Path file = Files.write(files.resolve("early"), new byte[1 << 20]);
        try (InputStream in = shell.read(file.toString(), 0)) {
            assertThat(in.readNBytes(10)).hasSize(10);
        }

        assertThat(shell.stat(file.toString())).isPresent();
    }

    @Test
    void aWrittenFileHasTheBytesAndStatDescribesIt() throws Exception {
        Path file = files.resolve("written");
        byte[] content = new byte[3 << 20];
        new Random(7).nextBytes(content);
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        shell.write(file.toString(), new ByteArrayInputStream(content));
        Optional<RemoteFile> stat = shell.stat(file.toString());

        assertThat(file).hasBinaryContent(content);
        assertThat(stat).get().satisfies(f -> {
            assertThat(f.size()).isEqualTo(content.length);
            assertThat(f.directory()).isFalse();
            assertThat(f.isExecutable()).isFalse();
            assertThat(f.modified()).isBetween(before, Instant.now().plusSeconds(1));
        });
    }

    @Test
    void writingReplacesAnExistingFile() throws Exception {
        Path file = Files.writeString(files.resolve("replaced"), "a much longer old content");

        shell.write(file.toString(), new ByteArrayInputStream("new".getBytes(StandardCharsets.UTF_8)));

        assertThat(file).hasContent("new");
    }

    @Test
    void statTellsDirectoriesAndPermissionBits() throws Exception {
        Path script = Files.writeString(files.resolve("hook.sh"), "#!/bin/sh\n");
        shell.run(RemoteCommand.of("chmod", "0750", script.toString()), TIMEOUT);

        assertThat(shell.stat(script.toString())).get().satisfies(f -> {
            assertThat(f.permissions()).isEqualTo(0750);
            assertThat(f.isExecutable()).isTrue();
        });
        assertThat(shell.stat(files.toString()))
                .get()
                .extracting(RemoteFile::directory)
                .isEqualTo(true);
    }

    @Test
    void statOfAMissingFileIsEmptyAndReadingItIsNoSuchFile() {
        String missing = files.resolve("missing").toString();

        assertThat(shell.stat(missing)).isEmpty();
        assertThatThrownBy(() -> shell.read(missing, 0))
                .isInstanceOfSatisfying(
                        RemoteShellException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NO_SUCH_FILE))
                .hasMessageContaining(missing);
    }
}
