package io.mha4j.cli;

import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import io.mha4j.testkit.SandboxNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A sandbox as a DBA's application file: the sandbox's accounts, {@code serverDefault}'s lines, one block per node. */
final class SandboxCnf {
    private SandboxCnf() {}

    static Path write(Path file, SandboxCluster cluster, String... serverDefault) throws IOException {
        StringBuilder sb = new StringBuilder("[server default]\n")
                .append("user=")
                .append(SandboxCredentials.ADMIN.user())
                .append("\npassword=")
                .append(SandboxCredentials.ADMIN.password())
                .append("\nrepl_user=")
                .append(SandboxCredentials.REPLICATION.user())
                .append("\nrepl_password=")
                .append(SandboxCredentials.REPLICATION.password())
                .append('\n');
        for (String line : serverDefault) {
            sb.append(line).append('\n');
        }
        for (SandboxNode n : cluster.nodes()) {
            sb.append(String.format(
                    "[server%d]%nhostname=127.0.0.1%nport=%d%nmaster_binlog_dir=%s%n",
                    n.index(), n.port(), n.dataDir()));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, sb.toString());
    }
}
