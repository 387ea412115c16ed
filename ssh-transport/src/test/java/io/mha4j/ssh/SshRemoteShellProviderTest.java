package io.mha4j.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.internal.plugin.PluginLoader;
import io.mha4j.remote.HostKeyPolicy;
import io.mha4j.remote.LocalShellProvider;
import io.mha4j.remote.RemoteShell;
import io.mha4j.remote.SshTarget;
import io.mha4j.spi.RemoteShellProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        SshTarget nowhere = new SshTarget("root@nowhere(192.0.2.1:22)", "192.0.2.1", 22, "root", List.of(),
                Path.of("/nonexistent/known_hosts"), HostKeyPolicy.STRICT, Duration.ofSeconds(5),
                Duration.ofSeconds(10), List.of());

        try (RemoteShell shell = new SshRemoteShellProvider().open(nowhere)) {
            assertThat(shell.target()).isEqualTo("root@nowhere(192.0.2.1:22)");
        }
    }
}
