package io.mha4j.internal.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.remote.CommandResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SavedEvents#IN_BLOCKS} under the real {@code sh} and {@code dd}: the tool's output, its
 * errors and its exit status come through as if it ran alone, with or without a {@code dd} that
 * can reblock.
 */
class InBlocksTest {
    /** 20,000 lines, one {@code write} each: the shape of the tools' output. */
    private static final String MANY_SMALL_WRITES =
            "i=0; while [ $i -lt 20000 ]; do echo \"line $i of the tool's text\"; i=$((i+1)); done";

    @TempDir
    Path dir;

    private record Ran(int exit, String stdout, String stderr) {}

    private Ran run(Map<String, String> env, String... tool) throws Exception {
        List<String> line = new ArrayList<>(List.of("sh", "-c", SavedEvents.IN_BLOCKS, "sh"));
        line.addAll(List.of(tool));
        ProcessBuilder pb = new ProcessBuilder(line)
                .redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Ran(
                p.exitValue(),
                Files.readString(dir.resolve("out"), StandardCharsets.ISO_8859_1),
                Files.readString(dir.resolve("err"), StandardCharsets.ISO_8859_1));
    }

    /** An environment whose PATH finds a {@code dd} that runs {@code script} first. */
    private Map<String, String> withDd(String script) throws IOException {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path dd = Files.writeString(bin.resolve("dd"), "#!/bin/sh\n" + script);
        Files.setPosixFilePermissions(dd, PosixFilePermissions.fromString("rwxr-xr-x"));
        return Map.of("PATH", bin + ":" + System.getenv("PATH"));
    }

    private Ran alone(String script) throws Exception {
        return run(Map.of(), "sh", "-c", script);
    }

    @Test
    void theToolsOutputErrorsAndStatusComeThroughAsIfItRanAlone() throws Exception {
        assertThat(alone("dd bs=1 count=0 iflag=fullblock status=none </dev/null")
                        .exit())
                .as("this machine's dd reblocks: the pipeline is the path under test")
                .isZero();
        Ran ran = alone(MANY_SMALL_WRITES + "; echo 'ERROR: read error' >&2; exit 7");

        assertThat(ran.exit()).isEqualTo(7);
        assertThat(ran.stdout().lines()).hasSize(20_000).startsWith("line 0 of the tool's text");
        assertThat(ran.stdout()).endsWith("line 19999 of the tool's text\n");
        assertThat(ran.stderr()).isEqualTo("ERROR: read error\n");
        assertThat(alone("printf 'no newline at the end'").stdout()).isEqualTo("no newline at the end");
        assertThat(alone("true")).isEqualTo(new Ran(0, "", ""));
    }

    @Test
    void aToolKilledBySignalExitsAsKilled() throws Exception {
        assertThat(alone("echo partial; kill -KILL $$").exit()).isEqualTo(128 + 9);
    }

    @Test
    void whereDdCannotReblockTheToolRunsAsItIs() throws Exception {
        Ran ran = run(
                withDd("echo \"dd: invalid input flag: 'fullblock'\" >&2\nexit 1\n"),
                "sh",
                "-c",
                MANY_SMALL_WRITES + "; exit 3");

        assertThat(ran.exit()).isEqualTo(3);
        assertThat(ran.stdout().lines()).hasSize(20_000);
        assertThat(ran.stderr()).as("the probe's error is not the tool's").isEmpty();
    }

    @Test
    void aDdThatDiesCutsTheTextAndIsNeverTakenForTheToolsOwnTruncation() throws Exception {
        Ran ran = run(
                // Passes the probe, then passes on 1,000 bytes and is killed: an OOM kill, an admin's kill.
                withDd("case \"$*\" in *count=0*) exit 0;; esac\nhead -c 1000\nkill -KILL $$\n"),
                "sh",
                "-c",
                // The tool read every event but a cut-off last one: its own truncation error, exit 1.
                MANY_SMALL_WRITES
                        + "; echo \"ERROR: Error in Log_event::read_log_event(): 'Event truncated'\" >&2; exit 1");

        assertThat(ran.exit()).isEqualTo(1);
        assertThat(ran.stdout()).hasSize(1000);
        assertThat(ran.stderr().lines())
                .as("a line that is not the tool's truncation: SavedEvents.judge refuses the text")
                .contains("dd exited 137: the output of the binlog tool was cut");
        assertThat(SavedEvents.judge(
                        new CommandResult(ran.exit(), "", ran.stderr(), Duration.ZERO),
                        BinlogText.read(Files.writeString(dir.resolve("cut.sql"), ran.stdout())),
                        1))
                .isNotEmpty();
    }

    @Test
    void theToolsArgumentsArePassedUnsplit() throws Exception {
        assertThat(run(Map.of(), "printf", "%s|", "two words", "$HOME", "*").stdout())
                .isEqualTo("two words|$HOME|*|");
    }
}
