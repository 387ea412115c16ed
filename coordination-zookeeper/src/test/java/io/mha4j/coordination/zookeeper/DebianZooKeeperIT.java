package io.mha4j.coordination.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ZooKeeperContract} on the ZooKeeper a user installs: Debian's package (3.8), three servers
 * on loopback started by {@code samples/bin/zookeeper-ensemble}, the script docs/coordination.md
 * gives. bin/prerequisites installs the package.
 */
class DebianZooKeeperIT extends ZooKeeperContract {
    private static final Path SCRIPT =
            Path.of("../samples/bin/zookeeper-ensemble").toAbsolutePath().normalize();

    @TempDir
    static Path dir;

    private static String connect;

    @BeforeAll
    static void startEnsemble() throws Exception {
        // three client ports in a row, their peer and election ports 10000 and 20000 above
        int first = freePortRange();
        String out = run("start", dir.toString(), Integer.toString(first));
        assertThat(out).contains("zookeeper_connect=");
        connect = out.substring(out.indexOf("zookeeper_connect=") + "zookeeper_connect=".length())
                .strip();
    }

    @AfterAll
    static void stopEnsemble() throws Exception {
        run("stop", dir.toString());
    }

    @Override
    String connect() {
        return connect;
    }

    @Override
    void loseQuorum() throws Exception {
        run("stop", dir.toString(), "1");
        run("stop", dir.toString(), "2");
    }

    @Override
    void restoreQuorum() throws Exception {
        run("restart", dir.toString(), "1");
        run("restart", dir.toString(), "2");
    }

    private static String run(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = SCRIPT.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }

    /** A port whose next two, and the same three 10000 and 20000 above, are free now. */
    private static int freePortRange() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first;
            try (ServerSocket s = new ServerSocket(0)) {
                first = s.getLocalPort();
            }
            if (first > 40000) {
                continue;
            }
            if (allFree(first)) {
                return first;
            }
        }
        throw new IllegalStateException("no free range of ports for three ZooKeeper servers");
    }

    private static boolean allFree(int first) {
        for (int offset : new int[] {0, 10000, 20000}) {
            for (int i = 0; i < 3; i++) {
                try (ServerSocket s = new ServerSocket(first + offset + i)) {
                    // free
                } catch (IOException e) {
                    return false;
                }
            }
        }
        return true;
    }
}
