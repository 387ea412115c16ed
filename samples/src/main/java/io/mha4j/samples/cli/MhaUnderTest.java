package io.mha4j.samples.cli;

import io.mha4j.testkit.OpenSshServer;
import io.mha4j.testkit.SandboxCluster;
import io.mha4j.testkit.SandboxCredentials;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * MHA 0.58's {@code masterha_manager} on the trial's sandbox, as the research harness ran it
 * ({@code docs/research/mha-0.58-failover.md}): every server {@code hostname=127.0.0.1}, its port,
 * its datadir as {@code master_binlog_dir}, {@code ssh_options} naming the trial sshd's key and
 * known_hosts, MHA's default options; it exits after the failover. MHA runs {@code ssh} and
 * {@code scp} in places without its {@code ssh_options} (its scp of a saved binlog, the node tools'
 * own hops), so {@code ssh} and {@code scp} wrappers adding the key come first on the PATH of the
 * manager and of the sshd's sessions; nothing in the user's {@code ~/.ssh} is touched.
 */
final class MhaUnderTest implements ManagerUnderTest {
    static final String MONITORING = "Ping(SELECT) succeeded, waiting until MySQL doesn't respond";
    static final String DOWN = "Master is down!";

    /** One server's block of {@code app1.cnf}. */
    record Server(String name, String host, int port, Path binlogDir) {}

    private final Path dir;
    private final Map<String, String> environment;
    private final ScheduledExecutorService logWatch = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mha4j-bench-mha-log");
        t.setDaemon(true);
        return t;
    });
    private Process process;
    private long logOffset;
    private volatile long down;

    /**
     * Writes {@code app1.cnf} and the ssh/scp wrappers into {@code dir}; {@code sshd} must have been
     * started with {@link #sessionEnvironment}.
     */
    MhaUnderTest(MhaInstallation mha, SandboxCluster cluster, OpenSshServer sshd, Path dir, int pingInterval) {
        this.dir = dir;
        this.environment = sessionEnvironment(mha, dir);
        List<Server> servers = cluster.nodes().stream()
                .map(n -> new Server("server" + n.index(), n.host(), n.port(), n.dataDir()))
                .toList();
        try {
            Files.createDirectories(dir.resolve("manager"));
            Files.createDirectories(dir.resolve("remote"));
            writeWrappers(dir.resolve("bin"), sshd);
            Path conf = Files.createFile(
                    dir.resolve("app1.cnf"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(
                    conf,
                    config(
                            dir,
                            servers,
                            sshd.user(),
                            sshd.port(),
                            sshd.clientKey(),
                            sshd.knownHostsFile(),
                            pingInterval));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare MHA's files in " + dir, e);
        }
    }

    /** The variables MHA's processes need, on the manager's host and, through the sshd, on every "remote" one. */
    static Map<String, String> sessionEnvironment(MhaInstallation mha, Path dir) {
        return mha.environment(dir.resolve("bin"));
    }

    /** MHA's configuration for the sandbox (its passwords are the sandbox's fixed ones; the file is the owner's only). */
    static String config(
            Path dir, List<Server> servers, String sshUser, int sshPort, Path key, Path knownHosts, int pingInterval) {
        StringBuilder cnf = new StringBuilder(String.join(
                "\n",
                "[server default]",
                "manager_workdir=" + dir.resolve("manager"),
                "manager_log=" + dir.resolve("manager/app1.log"),
                "remote_workdir=" + dir.resolve("remote"),
                "user=" + SandboxCredentials.ADMIN.user(),
                "password=" + SandboxCredentials.ADMIN.password(),
                "repl_user=" + SandboxCredentials.REPLICATION.user(),
                "repl_password=" + SandboxCredentials.REPLICATION.password(),
                "ssh_user=" + sshUser,
                "ssh_port=" + sshPort,
                "ssh_options=-i " + key + " -o UserKnownHostsFile=" + knownHosts,
                "ping_interval=" + pingInterval,
                ""));
        for (Server s : servers) {
            // hostname=127.0.0.1, not a name: MHA resolves names during the failover (a DNS query off this machine).
            cnf.append(String.join(
                    "\n",
                    "",
                    "[" + s.name() + "]",
                    "hostname=" + s.host(),
                    "ip=" + s.host(),
                    "port=" + s.port(),
                    "master_binlog_dir=" + s.binlogDir(),
                    ""));
        }
        return cnf.toString();
    }

    private static void writeWrappers(Path bin, OpenSshServer sshd) throws IOException {
        Files.createDirectories(bin);
        String options = "-i '" + sshd.clientKey() + "' -o 'UserKnownHostsFile=" + sshd.knownHostsFile() + "'"
                + " -o IdentitiesOnly=yes";
        for (String tool : List.of("ssh", "scp")) {
            Path wrapper = bin.resolve(tool);
            Files.writeString(
                    wrapper,
                    "#!/bin/sh\n# mha4j bench failover: the sandbox sshd's key and known_hosts,"
                            + " which MHA leaves out in places\nexec /usr/bin/" + tool + " " + options + " \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Override
    public void start() {
        ProcessBuilder pb = new ProcessBuilder("masterha_manager", "--conf=" + dir.resolve("app1.cnf"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("masterha_manager.out").toFile());
        pb.environment().putAll(environment);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start masterha_manager", e);
        }
        logWatch.scheduleWithFixedDelay(this::readLog, 0, 20, TimeUnit.MILLISECONDS);
    }

    @Override
    public void awaitMonitoring(Duration limit) {
        try {
            Awaitility.await("MHA monitoring the master")
                    .atMost(limit)
                    .pollInterval(Duration.ofMillis(50))
                    .failFast("masterha_manager exited", () -> !process.isAlive())
                    .until(() -> log().contains(MONITORING));
        } catch (ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            throw new IllegalStateException(
                    "MHA did not start monitoring ("
                            + (process.isAlive()
                                    ? "still checking after " + limit.toSeconds() + " s"
                                    : "exit " + process.exitValue())
                            + "); its log ends:\n" + tail(),
                    e);
        }
    }

    @Override
    public OptionalLong declaredDead() {
        long at = down;
        return at == 0 ? OptionalLong.empty() : OptionalLong.of(at);
    }

    @Override
    public String finish(Duration limit) {
        try {
            if (process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                return "masterha_manager exit " + process.exitValue() + outcome();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        return "masterha_manager STILL RUNNING " + limit.toSeconds() + " s after the promotion: killed" + outcome();
    }

    /** MHA's last word on the failover, from its log. */
    private String outcome() {
        return log().lines()
                .filter(l -> l.contains("Master failover to "))
                .reduce((a, b) -> b)
                .map(l -> ": " + l.substring(l.indexOf("Master failover to ")))
                .orElse("");
    }

    /** Notes the first "Master is down!" as it is written, every 20 ms: the log's times are in whole seconds. */
    private void readLog() {
        Path file = dir.resolve("manager/app1.log");
        if (down != 0 || !Files.exists(file)) {
            return;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            if (f.length() <= logOffset) {
                return;
            }
            f.seek(logOffset);
            byte[] fresh = new byte[(int) (f.length() - logOffset)];
            f.readFully(fresh);
            String text = new String(fresh, StandardCharsets.UTF_8);
            int lastLine = text.lastIndexOf('\n');
            if (lastLine < 0) {
                return;
            }
            logOffset += text.substring(0, lastLine + 1).getBytes(StandardCharsets.UTF_8).length;
            if (text.substring(0, lastLine + 1).contains(DOWN)) {
                down = System.nanoTime();
            }
        } catch (IOException e) {
            // the next round reads it again
        }
    }

    private String log() {
        try {
            Path file = dir.resolve("manager/app1.log");
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private String tail() {
        List<String> lines = new ArrayList<>(log().lines().toList());
        try {
            lines.addAll(Files.readAllLines(dir.resolve("masterha_manager.out")));
        } catch (IOException e) {
            // only the log then
        }
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    }

    @Override
    public void close() {
        logWatch.shutdownNow();
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
