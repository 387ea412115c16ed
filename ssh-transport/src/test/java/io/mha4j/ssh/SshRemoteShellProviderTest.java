package io.mha4j.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.internal.plugin.PluginLoader;
import io.mha4j.internal.remote.LocalShellProvider;
import io.mha4j.remote.RemoteShell;
import io.mha4j.remote.SshTarget;
import io.mha4j.spi.RemoteShellProvider;
import org.junit.jupiter.api.Test;

class SshRemoteShellProviderTest {

    private final ClassLoader classLoader = getClass().getClassLoader();

    @Test
    void theLoaderFindsSshBesideLocal() {
        assertThat(PluginLoader.all(RemoteShellProvider.class, classLoader).get("ssh"))
                .isInstanceOf(SshRemoteShellProvider.class);
        assertThat(PluginLoader.all(RemoteShellProvider.class, classLoader).get("local"))
                .isInstanceOf(LocalShellProvider.class);
        assertThat(PluginLoader.all(RemoteShellProvider.class, classLoader)).containsOnlyKeys("local", "ssh");
    }

    @Test
    void openingAShellConnectsNothingYet() {
        ServerConfig nowhere = ApplicationConfig.builder("app1")
                .user("mha")
                .password("pw")
                .server(
                        "server1",
                        s -> s.hostname("192.0.2.1")
                                .set(Parameter.SSH_USER, "root")
                                .set(Parameter.SSH_KNOWN_HOSTS_FILE, "/nonexistent/known_hosts"))
                .build()
                .servers()
                .get(0);

        try (RemoteShell shell = new SshRemoteShellProvider().create(nowhere)) {
            assertThat(shell.target()).isEqualTo(SshTarget.of(nowhere).name()).startsWith("root@192.0.2.1");
        }
    }
}
