package io.mha4j.cli;

import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The application file a DBA writes for a sandbox, as MHA's tutorial does. */
final class AppFiles {
    private AppFiles() {}

    /**
     * Writes {@code dir/app1.cnf}: the sandbox's servers (with their binary logs' directory), its credentials, {@code manager_workdir} and
     * {@code manager_log} in {@code dir}, {@code ping_interval=1}, then {@code extraDefaults} (lines of
     * {@code [server default]}).
     */
    static Path write(SandboxCluster cluster, Path dir, String extraDefaults) throws IOException {
        StringBuilder sb = new StringBuilder("[server default]\n")
                .append("user=")
                .append(SandboxCredentials.ADMIN.user())
                .append('\n')
                .append("password=")
                .append(SandboxCredentials.ADMIN.password())
                .append('\n')
                .append("repl_user=")
                .append(SandboxCredentials.REPLICATION.user())
                .append('\n')
                .append("repl_password=")
                .append(SandboxCredentials.REPLICATION.password())
                .append('\n')
                .append("manager_workdir=")
                .append(dir)
                .append('\n')
                .append("manager_log=")
                .append(dir.resolve("manager.log"))
                .append('\n')
                .append("ping_interval=1\n")
                .append(extraDefaults);
        for (SandboxNode n : cluster.nodes()) {
            sb.append("[server")
                    .append(n.index())
                    .append("]\nhostname=127.0.0.1\nport=")
                    .append(n.port())
                    .append("\nmaster_binlog_dir=")
                    .append(n.dataDir())
                    .append('\n');
        }
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("app1.cnf"), sb.toString());
    }
}
