package io.mha4j.samples.recipes;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.util.List;

/**
 * What the recipes that run a whole manager configure, said once: an application over a sandbox on
 * this machine ({@code remote_shell=local}), pinged every second, its servers {@code db1}, {@code
 * db2} … with their binary logs where the sandbox keeps them — the {@code app1.cnf} of the MHA
 * tutorial, built in Java.
 */
final class SandboxApplication {
    private SandboxApplication() {}

    static ApplicationConfig.Builder of(String name, SandboxCluster cluster) {
        ApplicationConfig.Builder config = ApplicationConfig.builder(name)
                .user(SandboxCredentials.ADMIN.user())
                .password(SandboxCredentials.ADMIN.password())
                .replUser(SandboxCredentials.REPLICATION.user())
                .replPassword(SandboxCredentials.REPLICATION.password())
                .pingInterval(1)
                .set(Parameter.REMOTE_SHELL, "local");
        for (SandboxNode n : cluster.nodes()) {
            config.server(
                    "db" + n.index(),
                    s -> s.hostname(n.host())
                            .port(n.port())
                            .masterBinlogDirs(List.of(n.dataDir().toString())));
        }
        return config;
    }
}
