package io.mha4j.samples.cli;

import io.mha4j.cli.Mha4jCommand;
import io.mha4j.config.MhaConfigReader;
import io.mha4j.coordination.Coordination;
import io.mha4j.coordination.FailoverRecord;
import io.mha4j.manager.StatusCheck;
import io.mha4j.testkit.SandboxCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Several {@code mha4j manager} processes of one application, as on several hosts: each a JVM of
 * its own (so that it can be killed with SIGKILL), with its own application file and working
 * directory under {@code dir/host-<i>}, coordinated on a ZooKeeper ensemble under {@code root}.
 * What each says is read from outside, as a DBA reads it: its check_status lines.
 */
final class ManagerFleet implements AutoCloseable {
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private final List<Path> confs = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final int pingInterval;

    /**
     * Writes the managers' files; starts none.
     *
     * @param zookeeper the ensemble's connect string
     * @param root the znode under which this fleet's application lives (one per run: no stale record)
     */
    ManagerFleet(
            SandboxCluster cluster,
            Path dir,
            int managers,
            String zookeeper,
            String root,
            int sessionTimeoutSeconds,
            int pingInterval)
            throws IOException {
        this.pingInterval = pingInterval;
        for (int i = 1; i <= managers; i++) {
            Path host = Files.createDirectories(dir.resolve("host-" + i));
            confs.add(cluster.writeApplicationFile(
                    host.resolve("app1.cnf"),
                    "manager_workdir=" + host,
                    "manager_log=" + host.resolve("manager.log"),
                    "remote_shell=local",
                    "ping_interval=" + pingInterval,
                    "coordination=zookeeper",
                    "zookeeper_connect=" + zookeeper,
                    "zookeeper_root=" + root,
                    "zookeeper_session_timeout=" + sessionTimeoutSeconds));
            processes.add(null);
        }
    }

    int size() {
        return confs.size();
    }

    /** Starts manager {@code i} (1-based) and waits until it monitors: leading or standing by. */
    void start(int i) throws IOException {
        Path conf = confs.get(i - 1);
        Process p = Jvm.start(
                conf.resolveSibling("manager.out"),
                Mha4jCommand.class.getName(),
                "manager",
                "--conf=" + conf,
                "--skip_ssh_check",
                "--global_conf=" + Files.writeString(conf.resolveSibling("global.cnf"), ""));
        processes.set(i - 1, p);
        Awaitility.await("manager " + i + " monitoring")
                .atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("manager " + i + " exited (" + p.exitValue() + "); see "
                                + conf.resolveSibling("manager.log"));
                    }
                    List<String> lines = status(i);
                    return lines.stream().anyMatch(l -> l.contains("is running(0:PING_OK)"))
                            && lines.stream()
                                    .anyMatch(l -> l.startsWith("app1: this manager leads")
                                            || l.startsWith("app1: this manager stands by"));
                });
    }

    Process process(int i) {
        return processes.get(i - 1);
    }

    /** check_status of manager {@code i}, as its lines. */
    List<String> status(int i) {
        return StatusCheck.of(
                        "app1",
                        confs.get(i - 1).getParent(),
                        Duration.ofSeconds(pingInterval),
                        Optional.empty(),
                        Instant.now())
                .lines();
    }

    /** The manager that leads and monitors now, by its own check_status; empty when none does. */
    OptionalInt leader() {
        for (int i = 1; i <= confs.size(); i++) {
            Process p = processes.get(i - 1);
            if (p != null && p.isAlive()) {
                List<String> lines = status(i);
                if (lines.stream().anyMatch(l -> l.contains("is running(0:PING_OK)"))
                        && lines.stream().anyMatch(l -> l.startsWith("app1: this manager leads"))) {
                    return OptionalInt.of(i);
                }
            }
        }
        return OptionalInt.empty();
    }

    /** SIGKILL of manager {@code i}: no goodbye, its ZooKeeper session expires. */
    void kill(int i) throws InterruptedException {
        processes.get(i - 1).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** The shared failover record, read as any tool reads it (without joining the election). */
    Optional<FailoverRecord> record() {
        try (Coordination reader =
                Coordination.of(MhaConfigReader.forFile(confs.get(0)).read())) {
            return reader.lastFailover();
        }
    }

    /** Stops every manager still running (SIGTERM, then SIGKILL after 30 s). */
    @Override
    public void close() {
        for (Process p : processes) {
            if (p != null && p.isAlive()) {
                p.destroy();
            }
        }
        for (Process p : processes) {
            try {
                if (p != null && !p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
