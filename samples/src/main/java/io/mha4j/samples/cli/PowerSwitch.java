package io.mha4j.samples.cli;

import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The chaos bench's out-of-band fence: a {@code shutdown_script} taking MHA's arguments that
 * "powers off" a sandbox node by killing its mariadbd from this machine, whatever the network
 * between the node and the manager — what IPMI or a cloud provider's API does for a real host.
 * Powering off a node that is already down succeeds, as it does for a host that is off.
 */
final class PowerSwitch {
    private PowerSwitch() {}

    /** Writes the script for {@code cluster}'s nodes into {@code dir}; answers its path. */
    static Path write(SandboxCluster cluster, Path dir) throws IOException {
        StringBuilder nodes = new StringBuilder();
        for (SandboxNode n : cluster.nodes()) {
            Path pidFile = n.dataDir().getParent().resolve("mariadbd.pid");
            nodes.append("  ")
                    .append(n.port())
                    .append(") pidfile='")
                    .append(pidFile)
                    .append("' ;;\n");
        }
        String script = "#!/bin/sh\n"
                + "# mha4j bench chaos: a power switch (shutdown_script with MHA's arguments)\n"
                + "command=; port=\n"
                + "for a; do case \"$a\" in --command=*) command=${a#--command=} ;; --port=*) port=${a#--port=} ;; esac;"
                + " done\n"
                + "case \"$command\" in status) exit 0 ;; stop|stopssh) ;; *) echo \"unknown --command=$command\" >&2;"
                + " exit 1 ;; esac\n"
                + "case \"$port\" in\n" + nodes
                + "  *) echo \"no sandbox node on port $port\" >&2; exit 1 ;;\n"
                + "esac\n"
                + "[ -f \"$pidfile\" ] && kill -9 \"$(cat \"$pidfile\")\" 2>/dev/null\n"
                + "exit 0\n";
        Path file = dir.resolve("power_switch");
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
