package io.mha4j.internal.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.Mha4jException;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.remote.LocalShell;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replaying saved events on the new master's host in one command whose standard input carries
 * the client's option file and then the events; "the host" is this machine, the client a script
 * that records what it was given.
 */
class EventReplayTest {
    private static final String PASSWORD = "s3cret \"#1\"";

    @TempDir
    Path dir;

    private ServerConfig newMaster(Path workdir) {
        return ApplicationConfig.builder("app1").user("mha").password(PASSWORD)
                .set(Parameter.REMOTE_WORKDIR, workdir.toString())
                .server("server2", s -> s.hostname("127.0.0.2").port(3307))
                .build().servers().get(0);
    }

    /** A client that keeps its option file, the mode it had, and its standard input. */
    private Path recordingClient(String exitWith) throws IOException {
        Path client = dir.resolve("client");
        Files.writeString(client, "#!/bin/sh\ncfg=${1#--defaults-extra-file=}\ncp \"$cfg\" " + dir + "/options\n"
                + "stat -c %a \"$cfg\" > " + dir + "/mode\necho \"$2\" > " + dir + "/mode-flag\n"
                + "cat > " + dir + "/events\n" + exitWith + "\n");
        Files.setPosixFilePermissions(client, PosixFilePermissions.fromString("rwx------"));
        return client;
    }

    @Test
    void theOptionFileAndTheEventsTravelOnOneStdinAndNothingIsLeftBehind() throws IOException {
        Path workdir = dir.resolve("remote_workdir");
        byte[] events = new byte[1024 * 1024 + 17];
        new Random(12).nextBytes(events);
        Path saved = Files.write(dir.resolve("saved.sql"), events);

        String how = EventReplay.onNewMasterHost(newMaster(workdir), recordingClient("exit 0").toString(), saved,
                LocalShell.INSTANCE);

        assertThat(how).contains("on localhost");
        assertThat(Files.readAllBytes(dir.resolve("events"))).isEqualTo(events);
        assertThat(Files.readString(dir.resolve("options"))).isEqualTo("[client]\nuser=mha\npassword=\"s3cret \\\"#1\\\"\"\n"
                + "host=127.0.0.2\nport=3307\n");
        assertThat(Files.readString(dir.resolve("mode")).strip()).as("only its owner reads the password").isEqualTo("600");
        assertThat(Files.readString(dir.resolve("mode-flag")).strip()).isEqualTo("--binary-mode");
        try (Stream<Path> left = Files.list(workdir)) {
            assertThat(left).as("the option file is removed").isEmpty();
        }
    }

    @Test
    void aClientThatFailsFailsTheReplayWithItsError() throws IOException {
        Path saved = Files.writeString(dir.resolve("saved.sql"), "SELECT 1;\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> EventReplay.onNewMasterHost(newMaster(dir.resolve("w")),
                recordingClient("echo 'ERROR 1062 (23000) at line 1: Duplicate entry' >&2; exit 1").toString(),
                saved, LocalShell.INSTANCE))
                .isInstanceOf(Mha4jException.class)
                .hasMessageContaining("exited 1")
                .hasMessageContaining("Duplicate entry");
    }

    @Test
    void theManagersClientIsFoundByPathOrOnPath() {
        assertThat(EventReplay.onThisMachine("/bin/sh")).contains(Path.of("/bin/sh"));
        assertThat(EventReplay.onThisMachine("/opt/nowhere/bin/sh")).as("a database host's bindir missing here: PATH")
                .hasValueSatisfying(p -> assertThat(p.getFileName()).hasToString("sh"));
        assertThat(EventReplay.onThisMachine("no-such-client-mha4j")).isEmpty();
    }
}
