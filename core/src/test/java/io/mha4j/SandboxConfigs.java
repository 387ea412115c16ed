package io.mha4j;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.testkit.OpenSshServer;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/** A sandbox as an mha4j application: its accounts, the local shell, a work directory, one block per node. */
public final class SandboxConfigs {
    private SandboxConfigs() {}

    /** {@code server<i>} for node i at its host and port; {@code perServer} adds to each block. */
    public static ApplicationConfig.Builder builder(
            SandboxCluster cluster, Path workdir, BiConsumer<SandboxNode, ServerConfig.Builder> perServer) {
        ApplicationConfig.Builder b = ApplicationConfig.builder("app1")
                .user(SandboxCredentials.ADMIN.user())
                .password(SandboxCredentials.ADMIN.password())
                .replUser(SandboxCredentials.REPLICATION.user())
                .replPassword(SandboxCredentials.REPLICATION.password())
                .managerWorkdir(workdir)
                .set(Parameter.REMOTE_SHELL, "local")
                .set(Parameter.REMOTE_WORKDIR, workdir.toString());
        for (SandboxNode n : cluster.nodes()) {
            b.server(
                    "server" + n.index(),
                    s -> perServer.accept(n, s.hostname(n.host()).port(n.port())));
        }
        return b;
    }

    /**
     * {@link #builder} with each node's datadir as {@code master_binlog_dir}, {@code ping_interval=1},
     * {@code sql_connect_timeout=1} (a frozen server costs a second, not four) and {@code apply_timeout=20}.
     */
    public static ApplicationConfig.Builder quick(SandboxCluster cluster, Path workdir) {
        return builder(
                        cluster,
                        workdir,
                        (n, s) ->
                                s.masterBinlogDirs(java.util.List.of(n.dataDir().toString())))
                .pingInterval(1)
                .set(Parameter.SQL_CONNECT_TIMEOUT, java.time.Duration.ofSeconds(1))
                .set(Parameter.APPLY_TIMEOUT, java.time.Duration.ofSeconds(20));
    }

    /**
     * {@code app} with every host reached over {@code sshd} ({@code remote_shell=ssh}): its user,
     * port, client key and known_hosts file.
     */
    public static ApplicationConfig.Builder overSsh(ApplicationConfig.Builder app, OpenSshServer sshd) {
        return app.sshUser(sshd.user())
                .set(Parameter.REMOTE_SHELL, "ssh")
                .set(Parameter.SSH_PORT, sshd.port())
                .set(Parameter.SSH_IDENTITY_FILE, sshd.clientKey().toString())
                .set(Parameter.SSH_KNOWN_HOSTS_FILE, sshd.knownHostsFile().toString());
    }
}
