package io.mha4j;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/** A sandbox as an mha4j application: its accounts, the local shell, a work directory, one block per node. */
public final class SandboxConfigs {
    private SandboxConfigs() {}

    /** {@code server<i>} for node i at its host and port; {@code perServer} adds to each block. */
    public static ApplicationConfig.Builder builder(SandboxCluster cluster, Path workdir,
            BiConsumer<SandboxNode, ServerConfig.Builder> perServer) {
        ApplicationConfig.Builder b = ApplicationConfig.builder("app1")
                .user(SandboxCredentials.ADMIN.user()).password(SandboxCredentials.ADMIN.password())
                .replUser(SandboxCredentials.REPLICATION.user()).replPassword(SandboxCredentials.REPLICATION.password())
                .managerWorkdir(workdir)
                .set(Parameter.REMOTE_SHELL, "local")
                .set(Parameter.REMOTE_WORKDIR, workdir.toString());
        for (SandboxNode n : cluster.nodes()) {
            b.server("server" + n.index(), s -> perServer.accept(n, s.hostname(n.host()).port(n.port())));
        }
        return b;
    }
}
