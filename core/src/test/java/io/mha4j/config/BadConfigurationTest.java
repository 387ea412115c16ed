package io.mha4j.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad input is one clear error naming file, line and parameter, and no secret. */
class BadConfigurationTest {
    private static final String SECRET = "s3cr3t-value";

    @TempDir
    Path dir;

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of(
                        "unknown parameter",
                        """
                        [server default]
                        password=%s
                        pasword=%s
                        [server1]
                        hostname=a
                        """,
                        3,
                        "[server default] pasword: unknown parameter (did you mean 'password'?)"),
                Arguments.of(
                        "unknown parameter far from any",
                        """
                        [server1]
                        hostname=a
                        heartbeat_interval=3
                        """,
                        3,
                        "[server1] heartbeat_interval: unknown parameter; MHA 0.58 rejects parameters it"
                                + " does not know"),
                Arguments.of(
                        "malformed line",
                        """
                        [server1]
                        hostname=a
                        this is not a parameter
                        """,
                        3,
                        "[server1] malformed line (expected [section], name=value or a # comment):"
                                + " 'this is not a parameter'"),
                Arguments.of(
                        "malformed line holding a password",
                        """
                        [server default]
                        password %s
                        [server1]
                        hostname=a
                        """,
                        2,
                        "[server default] malformed line (expected [section], name=value or a # comment):"
                                + " (not shown: it may hold a password)"),
                Arguments.of(
                        "duplicate section", """
                        [server1]
                        hostname=a
                        [server2]
                        hostname=b
                        [server1]
                        hostname=c
                        """, 5, "[server1] section [server1] is defined twice (first at line 1)"),
                Arguments.of(
                        "duplicate parameter", """
                        [server1]
                        hostname=a
                        port=3306
                        port=3307
                        """, 4, "[server1] port: set twice in this section (first at line 3)"),
                Arguments.of(
                        "missing hostname", """
                        [server default]
                        user=x
                        [server1]
                        hostname=a
                        [server2]
                        port=3307
                        """, 5, "[server2] hostname: missing; every server block needs hostname="),
                Arguments.of("port out of range", """
                        [server1]
                        hostname=a
                        port=70000
                        """, 3, "[server1] port: value '70000' is not a port (1-65535)"),
                Arguments.of("port zero", """
                        [server1]
                        hostname=a
                        port=0
                        """, 3, "[server1] port: value '0' is not a port (1-65535)"),
                Arguments.of(
                        "non-numeric interval",
                        """
                        [server default]
                        ping_interval=3s
                        [server1]
                        hostname=a
                        """,
                        2,
                        "[server default] ping_interval: value '3s' is not a positive integer"),
                Arguments.of(
                        "zero interval", """
                        [server default]
                        ping_interval=0
                        [server1]
                        hostname=a
                        """, 2, "[server default] ping_interval: value '0' is not a positive integer"),
                Arguments.of(
                        "unknown ping_type",
                        """
                        [server default]
                        ping_type=PONG
                        [server1]
                        hostname=a
                        """,
                        2,
                        "[server default] ping_type: value 'PONG' is not CONNECT, SELECT or INSERT"),
                Arguments.of("flag that is not 0 or 1", """
                        [server1]
                        hostname=a
                        no_master=yes
                        """, 3, "[server1] no_master: value 'yes' is not 0 or 1"),
                Arguments.of(
                        "invalid block name",
                        """
                        [server1]
                        hostname=a
                        [database2]
                        hostname=b
                        """,
                        3,
                        "[database2] block name is invalid: it must be [server default], or start with"
                                + " 'server' or 'binlog' followed by non-space characters, such as [server1] or [binlog1]"),
                Arguments.of(
                        "parameter outside any section",
                        """
                        hostname=a
                        [server1]
                        hostname=b
                        """,
                        1,
                        "hostname: parameter outside any section; put it under [server default] or a"
                                + " [serverN] block"),
                Arguments.of("duplicate address", """
                        [server1]
                        hostname=a
                        [server2]
                        hostname=a
                        port=3306
                        """, 3, "[server2] has the same address a:3306 as [server1]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void eachBadFileIsOneClearError(String name, String text, int line, String problem) throws Exception {
        Path file = Files.writeString(dir.resolve("app1.cnf"), text.replace("%s", SECRET));
        Path global = Files.writeString(dir.resolve("global.cnf"), "");

        assertThatThrownBy(
                        () -> MhaConfigReader.forFile(file).globalFile(global).read())
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":" + line + ": " + problem)
                .satisfies(e -> assertThat(((ConfigException) e).line()).isEqualTo(line))
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void aFileWithoutServersIsAnErrorNamingTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("app1.cnf"), "[server default]\nuser=a\n");
        assertThatThrownBy(() -> MhaConfigReader.forFile(file)
                        .globalFile(Files.writeString(dir.resolve("g"), ""))
                        .read())
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": no server is defined; add [server1] hostname=…");
    }

    @Test
    void aMissingFileIsAnErrorNamingIt() {
        Path file = dir.resolve("nope.cnf");
        assertThatThrownBy(() -> MhaConfigReader.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": cannot be read: no such file");
    }

    @Test
    void aDirectoryIsAnErrorNamingIt() {
        assertThatThrownBy(() -> MhaConfigReader.read(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir + ": cannot be read: ");
    }

    @Test
    void anExplicitGlobalFileThatIsMissingIsAnError() throws Exception {
        Path app = Files.writeString(dir.resolve("app1.cnf"), "[server1]\nhostname=a\n");
        Path global = dir.resolve("masterha_default.cnf");
        assertThatThrownBy(() -> MhaConfigReader.forFile(app).globalFile(global).read())
                .isInstanceOf(ConfigException.class)
                .hasMessage(global + ": cannot be read: no such file");
    }

    @Test
    void anErrorInTheGlobalFileNamesTheGlobalFile() throws Exception {
        Path app = Files.writeString(dir.resolve("app1.cnf"), "[server1]\nhostname=a\n");
        Path global = Files.writeString(dir.resolve("masterha_default.cnf"), "[server default]\n\nssh_port=abc\n");
        assertThatThrownBy(() -> MhaConfigReader.forFile(app).globalFile(global).read())
                .isInstanceOf(ConfigException.class)
                .hasMessage(global + ":3: [server default] ssh_port: value 'abc' is not a port (1-65535)");
    }

    @Test
    void aFailingInitConfLoadScriptIsAnErrorNamingIt() throws Exception {
        Path script = Files.writeString(dir.resolve("secrets.sh"), "#!/bin/sh\necho oops >&2\nexit 3\n");
        script.toFile().setExecutable(true);
        Path app = Files.writeString(
                dir.resolve("app1.cnf"),
                "[server default]\ninit_conf_load_script=" + script + "\n[server1]\nhostname=a\n");
        assertThatThrownBy(() -> MhaConfigReader.forFile(app)
                        .globalFile(Files.writeString(dir.resolve("g"), ""))
                        .read())
                .isInstanceOf(ConfigException.class)
                .hasMessage("[server default] init_conf_load_script: '" + script + "' exited with status 3: oops");
    }
}
