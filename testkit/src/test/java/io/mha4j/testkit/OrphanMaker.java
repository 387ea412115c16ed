package io.mha4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Run in a child JVM by {@link #orphan(String...)}: starts a sandbox (or, with the argument
 * {@code sshd}, an {@link OpenSshServer}), prints its directory and server pid, and waits to be
 * killed with SIGKILL, leaving an orphaned server behind.
 */
public final class OrphanMaker {

    /** What a SIGKILLed JVM left behind. */
    record Orphan(Path directory, long serverPid) {}

    private OrphanMaker() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("sshd")) {
            OpenSshServer server = OpenSshServer.builder().start();
            System.out.println("SANDBOX " + server.directory() + " " + server.pid());
        } else {
            SandboxCluster cluster = SandboxCluster.builder().nodes(1).start();
            System.out.println(
                    "SANDBOX " + cluster.directory() + " " + cluster.node(1).pid());
        }
        System.out.flush();
        System.in.read();
    }

    /** Runs this class in a child JVM with {@code args} and kills that JVM with SIGKILL once its server runs. */
    static Orphan orphan(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The child must use this JVM's sandbox root, or the next sandbox reaps somewhere else.
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp",
                System.getProperty("java.class.path"),
                OrphanMaker.class.getName()));
        command.addAll(List.of(args));
        Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("SANDBOX "));
            assertThat(line).as("child JVM's sandbox line").isNotNull();
            jvm.destroyForcibly();
            assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String[] sandbox = line.split(" ");
            return new Orphan(Path.of(sandbox[1]), Long.parseLong(sandbox[2]));
        }
    }
}
