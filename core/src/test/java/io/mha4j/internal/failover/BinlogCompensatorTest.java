package io.mha4j.internal.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.Compensation;
import io.mha4j.failover.CompensationRequest;
import io.mha4j.failover.ExecutedUpTo;
import io.mha4j.gtid.MariadbGtidSet;
import io.mha4j.internal.sql.SessionConnection;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteFile;
import io.mha4j.remote.RemoteShell;
import io.mha4j.remote.RemoteShellException;
import io.mha4j.remote.RemoteShells;
import io.mha4j.remote.SshTarget;
import io.mha4j.server.BinlogPosition;
import io.mha4j.server.ServerConnection;
import io.mha4j.spi.RemoteShellProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binlog compensator's verdicts on what the dead master's binlog tool printed: the host is a
 * shell answering the listing and the tool with canned text (the tool's own, see
 * {@link SavedEventsTest}); the new master a scripted MariaDB holding {@code 0-1-1..10}. None of
 * these cases reaches the replay.
 */
class BinlogCompensatorTest {
    private static final ApplicationConfig CONFIG = ApplicationConfig.builder("app1")
            .user("mha")
            .password("pw")
            .server("db1", s -> s.hostname("10.0.0.51").port(3306).masterBinlogDirs(List.of("/var/lib/mysql")))
            .server("server3", s -> s.hostname("127.0.0.1").port(3308))
            .build();

    @TempDir
    Path workdir;

    /** The dead master's host: two binary logs, and a binlog tool that prints {@code stdout}, exits {@code exit}. */
    private static final class ToolShell implements RemoteShell {
        /** What one run of the tool prints and how it exits. */
        record Answer(String stdout, int exit, String stderr) {}

        final List<Answer> answers;
        final List<RemoteCommand> tools = new ArrayList<>();

        ToolShell(String stdout, int exit, String stderr) {
            this(List.of(new Answer(stdout, exit, stderr)));
        }

        /** Answers the n-th run with the n-th answer, later ones with the last. */
        ToolShell(List<Answer> answers) {
            this.answers = answers;
        }

        @Override
        public String target() {
            return "root@10.0.0.51";
        }

        @Override
        public CommandResult run(RemoteCommand command, Duration timeout) {
            if (command.argv().get(0).equals("ls")) {
                return new CommandResult(0, "mysql-bin.000001\nmysql-bin.000002\nmysql-bin.index\n", "", Duration.ZERO);
            }
            throw new AssertionError("not expected on the dead master's host: " + command);
        }

        @Override
        public CommandResult run(RemoteCommand command, Duration timeout, InputStream input, OutputStream output) {
            Answer a = answers.get(Math.min(tools.size(), answers.size() - 1));
            tools.add(command);
            try {
                output.write(a.stdout().getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new CommandResult(a.exit(), "", a.stderr(), Duration.ZERO);
        }

        @Override
        public InputStream read(String path, long offset) {
            throw new AssertionError(path);
        }

        @Override
        public void write(String path, InputStream content) {
            throw new AssertionError(path);
        }

        @Override
        public Optional<RemoteFile> stat(String path) {
            throw new AssertionError(path);
        }

        @Override
        public void close() {}
    }

    private Compensation compensate(ToolShell host) {
        Compensation c = compensate(host, new BinlogPosition("mysql-bin.000001", 4), Optional.empty());
        assertThat(host.tools).hasSize(1);
        assertThat(host.tools.get(0).argv())
                .endsWith("/var/lib/mysql/mysql-bin.000001", "/var/lib/mysql/mysql-bin.000002");
        return c;
    }

    private Compensation compensate(ToolShell host, BinlogPosition received, Optional<ExecutedUpTo> executed) {
        ServerConfig dead = CONFIG.server("db1").orElseThrow();
        ServerConnection newMaster = SessionConnection.over(
                CONFIG.server("server3").orElseThrow(), new ScriptedReplica(), Clock.systemUTC());
        RemoteShells noOtherHost = new RemoteShells(new RemoteShellProvider() {
            @Override
            public String name() {
                return "none";
            }

            @Override
            public RemoteShell create(ServerConfig host) {
                SshTarget target = SshTarget.of(host);
                throw new RemoteShellException(target.name(), RemoteShellException.Kind.IO, "no other host", null);
            }
        });
        Compensation c = new BinlogCompensator()
                .compensate(new CompensationRequest(
                        CONFIG,
                        dead,
                        Optional.of(host),
                        Optional.of(received),
                        executed,
                        newMaster,
                        noOtherHost,
                        workdir));
        return c;
    }

    /** The tool's arguments in its {@code n}-th run. */
    private static List<String> tool(ToolShell host, int n) {
        return host.tools.get(n).argv();
    }

    private static String printed(String... pieces) {
        return SavedEventsTest.PREAMBLE + String.join("", pieces);
    }

    private static String transaction(int seq) {
        return SavedEventsTest.TRANS_2.replace("0-1-12", "0-1-" + seq).replace("gtid_seq_no=12", "gtid_seq_no=" + seq);
    }

    @Test
    void aBinaryLogTheToolCannotOpenLeavesTheTailUncheckedThoughItPrintedItsPreamble() {
        Compensation c = compensate(new ToolShell(
                printed(),
                1,
                "mariadb-binlog: File"
                        + " '/var/lib/mysql/mysql-bin.000001' not found (Errcode: 13 \"Permission denied\")\n"));

        assertThat(c.checked()).isFalse();
        assertThat(c.applied()).isEmpty();
        assertThat(c.note())
                .contains(
                        "the dead master 10.0.0.51(10.0.0.51:3306)",
                        "exited 1",
                        "Permission denied",
                        "could not be recovered");
    }

    @Test
    void aToolKilledBySignalLeavesTheTailUnchecked() {
        Compensation c = compensate(new ToolShell(printed(SavedEventsTest.START, SavedEventsTest.START), 143, ""));

        assertThat(c.checked()).isFalse();
        assertThat(c.note()).contains("exited 143 (killed by a signal?)");
    }

    @Test
    void transactionsTheNewMasterAlreadyHoldsAreNeverReplayedAgain() {
        Compensation c = compensate(new ToolShell(
                printed(
                        SavedEventsTest.START,
                        transaction(9),
                        SavedEventsTest.START,
                        transaction(11),
                        SavedEventsTest.END),
                0,
                ""));

        assertThat(c.checked()).isFalse();
        assertThat(c.applied()).isEmpty();
        assertThat(c.note())
                .contains(
                        "1 transaction(s) the new master already holds (0-1-9..9)",
                        "commit them twice",
                        workdir.toString());
    }

    @Test
    void aLastLogCutOffMidTransactionIsReadToTheCutAndTheCutTransactionIsNotRecovered() {
        Compensation c = compensate(new ToolShell(
                printed(
                        SavedEventsTest.START,
                        SavedEventsTest.START,
                        SavedEventsTest.CUT_3.replace("0-1-13", "0-1-11")),
                1,
                SavedEventsTest.MARIADB_TRUNCATED));

        assertThat(c.checked()).isTrue();
        assertThat(c.applied()).isEmpty();
        assertThat(c.note()).startsWith("nothing to recover");
    }

    @Test
    void logsThatHoldNothingNewAreChecked() {
        Compensation c = compensate(new ToolShell(
                printed(SavedEventsTest.START, SavedEventsTest.START, SavedEventsTest.END),
                0,
                "WARNING: Binary logs never reached expected GTID state of 0-1-10\n"));

        assertThat(c.checked()).isTrue();
        assertThat(c.savedEvents()).hasValueSatisfying(f -> assertThat(f).startsWith(workdir.toString()));
    }

    private static final BinlogPosition RECEIVED = new BinlogPosition("mysql-bin.000001", 398909);

    @Test
    void theToolStartsWhereTheReplicaHadExecutedWhenTheNewMasterHoldsAllItHad() {
        ToolShell host =
                new ToolShell(printed(SavedEventsTest.START, SavedEventsTest.START, SavedEventsTest.END), 0, "");

        Compensation c =
                compensate(host, RECEIVED, Optional.of(new ExecutedUpTo(RECEIVED, MariadbGtidSet.parse("0-1-10"))));

        assertThat(c.checked()).isTrue();
        assertThat(host.tools).hasSize(1);
        assertThat(tool(host, 0)).contains("--start-position=398909").doesNotContain("--start-position=0-1-10");
        assertThat(c.source()).contains("from mysql-bin.000001 byte 398909");
    }

    @Test
    void anExecutedPositionIsNotUsedWhenTheNewMasterLacksSomethingTheReplicaHad() {
        ToolShell host =
                new ToolShell(printed(SavedEventsTest.START, SavedEventsTest.START, SavedEventsTest.END), 0, "");

        compensate(host, RECEIVED, Optional.of(new ExecutedUpTo(RECEIVED, MariadbGtidSet.parse("0-1-12"))));

        assertThat(tool(host, 0)).contains("--start-position=0-1-10");
    }

    @Test
    void anExecutedPositionInAnotherFileThanTheReceivedOneIsNotUsed() {
        ToolShell host =
                new ToolShell(printed(SavedEventsTest.START, SavedEventsTest.START, SavedEventsTest.END), 0, "");

        compensate(
                host,
                RECEIVED,
                Optional.of(new ExecutedUpTo(
                        new BinlogPosition("mysql-bin.000000", 398909), MariadbGtidSet.parse("0-1-10"))));

        assertThat(tool(host, 0)).contains("--start-position=0-1-10");
    }

    @Test
    void textReadFromAnExecutedPositionWithAGapAfterTheNewMastersTransactionsIsReadAgainFromTheFileStart() {
        ToolShell host = new ToolShell(List.of(
                new ToolShell.Answer(
                        printed(SavedEventsTest.START, transaction(12), SavedEventsTest.START, SavedEventsTest.END),
                        0,
                        ""),
                new ToolShell.Answer(
                        printed(SavedEventsTest.START, SavedEventsTest.START, SavedEventsTest.END), 0, "")));

        Compensation c =
                compensate(host, RECEIVED, Optional.of(new ExecutedUpTo(RECEIVED, MariadbGtidSet.parse("0-1-10"))));

        assertThat(host.tools)
                .as("0-1-11 is neither on the new master nor printed")
                .hasSize(2);
        assertThat(tool(host, 1)).contains("--start-position=0-1-10");
        assertThat(c.checked()).isTrue();
        assertThat(c.applied()).isEmpty();
    }

    @Test
    void textReadFromAnExecutedPositionThatCannotBeTrustedIsReadAgainFromTheFileStart() {
        ToolShell host = new ToolShell(List.of(
                new ToolShell.Answer(
                        printed(
                                SavedEventsTest.START,
                                SavedEventsTest.DDL_1,
                                SavedEventsTest.START,
                                SavedEventsTest.END),
                        0,
                        ""),
                new ToolShell.Answer(
                        printed(SavedEventsTest.START, SavedEventsTest.START, SavedEventsTest.END), 0, "")));

        Compensation c =
                compensate(host, RECEIVED, Optional.of(new ExecutedUpTo(RECEIVED, MariadbGtidSet.parse("0-1-10"))));

        assertThat(host.tools).hasSize(2);
        assertThat(tool(host, 0)).contains("--start-position=398909");
        assertThat(tool(host, 1)).contains("--start-position=0-1-10");
        assertThat(c.checked()).isTrue();
        assertThat(c.applied()).as("nothing of the misplaced text was replayed").isEmpty();
    }
}
