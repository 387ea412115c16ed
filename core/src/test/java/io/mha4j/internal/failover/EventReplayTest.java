package io.mha4j.internal.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.mha4j.Mha4jException;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.gtid.GtidSet;
import io.mha4j.gtid.MysqlGtidSet;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.LocalShell;
import io.mha4j.remote.RecordingShell;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replaying saved events with the client fed its option file and then the events on one
 * standard input; "the host" is this machine, the client a script that records what it was given
 * (or the real {@code mariadb} client against a port nothing listens on).
 */
class EventReplayTest {
    private static final String PASSWORD = "s3cret \"#1\"";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String REFUSED =
            "echo \"ERROR 2002 (HY000): Can't connect to server on '127.0.0.2' (111)\"" + " >&2; exit 1";

    @TempDir
    Path dir;

    private ServerConfig newMaster(int port) {
        return ApplicationConfig.builder("app1")
                .user("mha")
                .password(PASSWORD)
                .server("server2", s -> s.hostname("127.0.0.2").port(port))
                .build()
                .servers()
                .get(0);
    }

    private ServerConfig newMaster() {
        return newMaster(3307);
    }

    /**
     * A client that keeps the option file it read, what kind of file that was, and its standard
     * input (appended, one copy per run); its {@code n}th run ends with {@code endings[n-1]}.
     */
    private Path recordingClient(String... endings) throws IOException {
        Path client = dir.resolve("client");
        StringBuilder script = new StringBuilder("#!/bin/sh\ncfg=${1#--defaults-extra-file=}\necho \"$cfg\" > "
                + dir + "/option-path\ncat \"$cfg\" > " + dir + "/options\nstat -L -c %F \"$cfg\" > " + dir
                + "/option-kind\necho \"$2 $3\" > " + dir + "/mode-flag\ncat >> " + dir + "/events\necho x >> " + dir
                + "/runs\ncase $(wc -l < " + dir + "/runs) in\n");
        for (int i = 0; i < endings.length; i++) {
            script.append(i + 1).append(") ").append(endings[i]).append(";;\n");
        }
        script.append("esac\n");
        Files.writeString(client, script);
        Files.setPosixFilePermissions(client, PosixFilePermissions.fromString("rwx------"));
        return client;
    }

    private int runs() throws IOException {
        Path runs = dir.resolve("runs");
        return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
    }

    private Path saved(String text) throws IOException {
        return Files.writeString(dir.resolve("saved.sql"), text, StandardCharsets.UTF_8);
    }

    private static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    private static GtidSet gtids(String ranges) {
        return MysqlGtidSet.parse(UUID + ":" + ranges);
    }

    /** The new master's host: this machine, keeping the commands it is given. */
    private static RecordingShell host() {
        return new RecordingShell("newmaster-host", true);
    }

    @Test
    void theOptionsReachTheClientThroughAPipeAndTheEventsFollowOnTheSameStdin() throws IOException {
        byte[] events = new byte[1024 * 1024 + 17];
        new Random(12).nextBytes(events);
        Path saved = Files.write(dir.resolve("saved.sql"), events);
        RecordingShell host = host();

        CommandResult r =
                EventReplay.attempt(host, newMaster(), recordingClient("exit 0").toString(), saved, TIMEOUT);

        assertThat(r.succeeded()).isTrue();
        assertThat(Files.readAllBytes(dir.resolve("events"))).isEqualTo(events);
        assertThat(Files.readString(dir.resolve("options")))
                .isEqualTo("[client]\nuser=mha\npassword=\"s3cret \\\"#1\\\"\"\nhost=127.0.0.2\nport=3307\n");
        assertThat(Files.readString(dir.resolve("option-path")).strip()).isEqualTo("/dev/fd/3");
        assertThat(Files.readString(dir.resolve("option-kind")).strip())
                .as("no file holds the password")
                .isEqualTo("fifo");
        assertThat(Files.readString(dir.resolve("mode-flag")).strip()).isEqualTo("--binary-mode --line-numbers");
        assertThat(host.commands)
                .singleElement()
                .satisfies(c -> assertThat(c.toString()).doesNotContain("s3cret"));
    }

    @Test
    void theRealClientReadsItsOptionsFromThePipeAndItsRefusalCountsAsNeverConnected() throws IOException {
        Optional<Path> mariadb = EventReplay.onThisMachine("mariadb");
        assumeThat(mariadb).as("the mariadb client on PATH").isPresent();

        // Nothing listens on 127.0.0.2:1; the host and port come from the options alone.
        CommandResult r = EventReplay.attempt(
                LocalShell.INSTANCE, newMaster(1), mariadb.get().toString(), saved("SELECT 1;\n"), TIMEOUT);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("'127.0.0.2'").doesNotContain(" at line ");
        assertThat(EventReplay.neverConnected(r)).isTrue();
    }

    @Test
    void onlyAnErrorBeforeAnyInputCountsAsNeverConnected() {
        assertThat(EventReplay.neverConnected(new CommandResult(
                        1,
                        "",
                        "ERROR 1045 (28000): Access denied for user" + " 'mha'@'10.0.0.1' (using password: YES)\n",
                        Duration.ZERO)))
                .isTrue();
        assertThat(EventReplay.neverConnected(new CommandResult(
                        1,
                        "",
                        "mysql: Deprecated program name. It will be"
                                + " removed in a future release, use '/usr/bin/mariadb' instead\nERROR 2026 (HY000): TLS/SSL error:"
                                + " SSL is required, but the server does not support it\n",
                        Duration.ZERO)))
                .isTrue();
        assertThat(EventReplay.neverConnected(new CommandResult(
                        1,
                        "",
                        "ERROR 2013 (HY000) at line 12: Lost connection" + " to server during query\n",
                        Duration.ZERO)))
                .as("lost while replaying")
                .isFalse();
        assertThat(EventReplay.neverConnected(new CommandResult(
                        1, "", "ERROR 1045 (28000) at line 3: Access denied" + " for user\n", Duration.ZERO)))
                .as("a statement's error")
                .isFalse();
        assertThat(EventReplay.neverConnected(new CommandResult(
                        1,
                        "",
                        "ERROR 1062 (23000) at line 1: Duplicate entry" + " '1' for key 'PRIMARY'\n",
                        Duration.ZERO)))
                .isFalse();
        assertThat(EventReplay.neverConnected(new CommandResult(137, "", "", Duration.ZERO)))
                .as("killed")
                .isFalse();
    }

    @Test
    void aManagersClientThatCouldNotConnectHandsTheReplayToTheHostOnce() throws IOException {
        Path client = recordingClient(REFUSED, "exit 0");
        RecordingShell host = host();

        String how = EventReplay.replay(
                newMaster(),
                client.toString(),
                saved("SELECT 1;\n"),
                gtids("5"),
                () -> gtids("1-4"),
                () -> host,
                TIMEOUT);

        assertThat(how).contains("on newmaster-host");
        assertThat(runs()).isEqualTo(2);
        assertThat(host.commands).hasSize(1);
    }

    @Test
    void aStatementThatFailsFromTheManagerIsNeverReplayedAgainOnTheHost() throws IOException {
        Path client = recordingClient("echo 'ERROR 1062 (23000) at line 1: Duplicate entry' >&2; exit 1");
        RecordingShell host = host();

        assertThatThrownBy(() -> EventReplay.replay(
                        newMaster(),
                        client.toString(),
                        saved("SELECT 1;\n"),
                        gtids("5"),
                        () -> gtids("1-4"),
                        () -> host,
                        TIMEOUT))
                .isInstanceOf(Mha4jException.class)
                .hasMessageContaining("exited 1")
                .hasMessageContaining("Duplicate entry");
        assertThat(host.commands).isEmpty();
        assertThat(runs()).isEqualTo(1);
    }

    @Test
    void aRefusalWhileSomeTransactionsAreThereAnywayIsNotReplayedAgain() throws IOException {
        Path client = recordingClient(REFUSED, "exit 0");
        RecordingShell host = host();

        assertThatThrownBy(() -> EventReplay.replay(
                        newMaster(),
                        client.toString(),
                        saved("SELECT 1;\n"),
                        gtids("5-6"),
                        () -> gtids("1-5"),
                        () -> host,
                        TIMEOUT))
                .isInstanceOf(Mha4jException.class)
                .hasMessageContaining("not replaying them again");
        assertThat(host.commands).isEmpty();
    }

    @Test
    void aReplayThatTimesOutIsNotRepeatedAndItsClientHasEndedWhenItFails() throws IOException {
        Path pid = dir.resolve("pid");
        Path client = recordingClient("echo $$ > " + pid + "; exec sleep 30");
        RecordingShell host = host();

        assertThatThrownBy(() -> EventReplay.replay(
                        newMaster(),
                        client.toString(),
                        saved("SELECT 1;\n"),
                        gtids("5"),
                        () -> gtids("1-4"),
                        () -> host,
                        Duration.ofMillis(500)))
                .isInstanceOf(Mha4jException.class)
                .hasMessageContaining("whether some were applied is unknown");
        assertThat(host.commands).isEmpty();
        long clientPid = Long.parseLong(Files.readString(pid).strip());
        assertThat(ProcessHandle.of(clientPid).filter(ProcessHandle::isAlive))
                .as("killed and ended")
                .isEmpty();
    }

    @Test
    void theManagersClientIsFoundByPathOrOnPath() {
        assertThat(EventReplay.onThisMachine("/bin/sh")).contains(Path.of("/bin/sh"));
        assertThat(EventReplay.onThisMachine("/opt/nowhere/bin/sh"))
                .as("a database host's bindir missing here: PATH")
                .hasValueSatisfying(p -> assertThat(p.getFileName()).hasToString("sh"));
        assertThat(EventReplay.onThisMachine("no-such-client-mha4j")).isEmpty();
    }
}
