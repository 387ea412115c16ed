package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionEnvironmentTest {
    @TempDir
    Path dir;

    @Test
    void aLeanShellIsANestedOneWithTheServersEmptyHome() {
        SshdDirectory files = new SshdDirectory(dir);

        Map<String, String> env = SessionEnvironment.of(files, Map.of("PERL5LIB", "/x"), false, LoginShell.LEAN);

        assertThat(env)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("PERL5LIB", "/x", "HOME", dir.resolve("home").toString(), "SHLVL", "1"));
    }

    @Test
    void aSlowShellSourcesAScriptThatSleepsOnceAndUnsetsItself() throws Exception {
        SshdDirectory files = new SshdDirectory(dir);

        Map<String, String> env = SessionEnvironment.of(files, Map.of(), true, LoginShell.SLOW);

        assertThat(env).containsOnlyKeys("SHLVL", "BASH_ENV");
        assertThat(Files.readAllLines(Path.of(env.get("BASH_ENV")))).contains("unset BASH_ENV", "sleep 1");
    }

    @Test
    void asIsWithTheUsersHomeSetsNothing() {
        assertThat(SessionEnvironment.of(new SshdDirectory(dir), Map.of(), true, LoginShell.AS_IS))
                .isEmpty();
    }

    @Test
    void theConfigurationHasOneSetEnvLineForEveryVariableQuotingValuesWithSpaces() throws Exception {
        SshdDirectory files = new SshdDirectory(dir);

        files.writeConfig(
                "127.0.0.1",
                2222,
                Path.of("/usr/lib/openssh/sftp-server"),
                SessionEnvironment.of(files, Map.of("A", "one two", "B", "/b"), false, LoginShell.LEAN));

        List<String> setEnv = Files.readAllLines(files.config()).stream()
                .filter(l -> l.startsWith("SetEnv"))
                .toList();
        assertThat(setEnv).containsExactly("SetEnv \"A=one two\" B=/b HOME=" + dir.resolve("home") + " SHLVL=1");
    }

    @Test
    void variablesTheServerSetsOrSetEnvCannotCarryAreRefused() {
        assertThatThrownBy(() -> OpenSshServer.builder().environment("HOME", "/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HOME")
                .hasMessageContaining("userHome");
        assertThatThrownBy(() -> OpenSshServer.builder().environment("A B", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'A B'");
        assertThatThrownBy(() -> OpenSshServer.builder().environment("A", "say \"hi\""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("double quote");
    }

    @Test
    void theLoginShellIsTheLastPasswdField() {
        List<String> passwd =
                List.of("root:x:0:0:root:/root:/bin/bash", "app:x:1000:1000::/home/app:/bin/zsh", "broken:x:1");

        assertThat(SessionEnvironment.loginShellOf("app", passwd)).contains("/bin/zsh");
        assertThat(SessionEnvironment.loginShellOf("nobody", passwd)).isEmpty();
        assertThat(SessionEnvironment.loginShellOf("broken", passwd)).isEmpty();
    }
}
