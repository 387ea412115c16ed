package io.mha4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.config.MhaConfigReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conf_host on the MHA tutorial's app1.cnf: MHA's block names and messages, every other line kept. */
class ConfHostCommandTest {
    @TempDir
    Path dir;

    private Path seedCopy() throws Exception {
        return Files.copy(ShowConfCommandTest.TUTORIAL_CONF, dir.resolve("app1.cnf"));
    }

    @Test
    void addThenDeleteGivesBackTheTutorialsFileByteForByte() throws Exception {
        Path conf = seedCopy();
        String before = Files.readString(conf);

        CommandRun add = CommandRun.of(
                "conf_host",
                "--command=add",
                "--conf=" + conf,
                "--hostname=10.0.0.54",
                "--block=4",
                "--params=no_master=1;ignore_fail=1");
        assertThat(add.exitCode()).as(add.err()).isZero();
        assertThat(add.out().strip()).isEqualTo("Wrote server4 entry to " + conf + " .");
        assertThat(Files.readString(conf))
                .startsWith(before)
                .endsWith("\n[server4]\nhostname=10.0.0.54\nno_master=1\n" + "ignore_fail=1\n");
        assertThat(MhaConfigReader.read(conf).server("server4").orElseThrow().noMaster())
                .isTrue();

        CommandRun delete = CommandRun.of("conf_host", "--command=delete", "--conf=" + conf, "--block=server4");
        assertThat(delete.exitCode()).as(delete.err()).isZero();
        assertThat(delete.out().strip()).isEqualTo("Deleted server4 entry from " + conf + " .");
        // The tutorial file's last line has no line ending; the appended block gave it one, and that stays.
        assertThat(Files.readString(conf)).isEqualTo(before.endsWith("\n") ? before : before + "\n");
    }

    @Test
    void withoutABlockTheNameIsServerUnderscoreHostnameAsInMha() throws Exception {
        Path conf = seedCopy();
        assertThat(CommandRun.of("conf_host", "--command=add", "--conf=" + conf, "--hostname=db101")
                        .exitCode())
                .isZero();
        assertThat(Files.readString(conf)).contains("[server_db101]\nhostname=db101\n");
        assertThat(CommandRun.of("conf_host", "--command=remove", "--conf=" + conf, "--hostname=db101")
                        .exitCode())
                .isZero();
        assertThat(Files.readString(conf)).doesNotContain("db101");
    }

    @Test
    void deletingAServerInTheMiddleKeepsEveryOtherLineAndComment() throws Exception {
        Path conf = seedCopy();
        String before = Files.readString(conf);
        CommandRun run = CommandRun.of("conf_host", "--command=delete", "--conf=" + conf, "--block=server2");
        assertThat(run.exitCode()).as(run.err()).isZero();
        String server2 = before.substring(before.indexOf("[server2]"), before.indexOf("[server3]"));
        assertThat(server2.lines()).hasSize(3);
        assertThat(Files.readString(conf)).isEqualTo(before.replace(server2, ""));
        assertThat(MhaConfigReader.read(conf).servers())
                .extracting(s -> s.block())
                .doesNotContain("server2")
                .contains("server1", "server3");
    }

    @Test
    void addingABlockThatIsThereWithTheSameValuesChangesNothingAndSucceeds() throws Exception {
        // The manager puts a rejoined old master's block back itself; the runbook's add comes after.
        Path conf = seedCopy();
        String before = Files.readString(conf);
        CommandRun again = CommandRun.of(
                "conf_host",
                "--command=add",
                "--conf=" + conf,
                "--hostname=10.0.0.51",
                "--block=server1",
                "--params=port=3306");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out())
                .contains("Entry server1 is already in " + conf + " with these values; nothing to write.");
        assertThat(Files.readString(conf)).isEqualTo(before);
    }

    @Test
    void aDuplicateAMissingBlockAndBadParametersAreRefusedAndChangeNothing() throws Exception {
        Path conf = seedCopy();
        String before = Files.readString(conf);

        CommandRun duplicate =
                CommandRun.of("conf_host", "--command=add", "--conf=" + conf, "--hostname=x", "--block=server1");
        assertThat(duplicate.exitCode()).isEqualTo(1);
        assertThat(duplicate.err()).contains("entry server1 already exists").contains(conf.toString());

        CommandRun missing = CommandRun.of("conf_host", "--command=delete", "--conf=" + conf, "--block=server9");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("has no entry server9").contains("server1");

        CommandRun unknown =
                CommandRun.of("conf_host", "--command=add", "--conf=" + conf, "--hostname=x", "--params=no_mastr=1");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no_mastr").contains("unknown parameter");

        CommandRun badValue =
                CommandRun.of("conf_host", "--command=add", "--conf=" + conf, "--hostname=x", "--params=port=70000");
        assertThat(badValue.exitCode()).isEqualTo(1);
        assertThat(badValue.err()).contains("port").contains("70000");

        CommandRun appLevel = CommandRun.of(
                "conf_host", "--command=add", "--conf=" + conf, "--hostname=x", "--params=ping_interval=1");
        assertThat(appLevel.exitCode()).isEqualTo(1);
        assertThat(appLevel.err()).contains("[server default]");

        CommandRun noConf =
                CommandRun.of("conf_host", "--command=add", "--conf=" + dir.resolve("none.cnf"), "--hostname=x");
        assertThat(noConf.exitCode()).isEqualTo(1);
        assertThat(noConf.err()).contains("none.cnf").contains("does not exist");

        assertThat(Files.readString(conf)).isEqualTo(before);
    }
}
