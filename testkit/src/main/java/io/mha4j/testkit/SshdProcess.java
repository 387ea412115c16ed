package io.mha4j.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of an {@link OpenSshServer}'s sshd: launched with {@code -D -e} (no daemon, log to
 * stderr, which goes to the server's log file), awaited until it greets, and killed together
 * with the session processes it forked.
 */
final class SshdProcess {

    private static final Logger log = LoggerFactory.getLogger(SshdProcess.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final ServerProcess process;

    private SshdProcess(String name, ServerProcess process) {
        this.name = name;
        this.process = process;
    }

    /**
     * Launches {@code sshd} on the configuration in {@code files} and waits until 127.0.0.1:{@code port}
     * answers with an SSH banner.
     *
     * @return empty if the port was taken meanwhile ("Address already in use")
     * @throws SandboxException if sshd exits for another reason or does not greet in time, with its log's tail
     */
    static Optional<SshdProcess> launch(
            String name, Path sshd, SshdDirectory files, String host, int port, List<String> prefix, Duration timeout) {
        long logOffset = DirectoryTree.size(files.log());
        long started = System.nanoTime();
        List<String> command = new java.util.ArrayList<>(prefix);
        command.addAll(List.of(sshd.toString(), "-D", "-e", "-f", files.config().toString()));
        ServerProcess p = ServerProcess.launch(name, command, files.log());
        recordPid(name, files.dir(), p.pid());
        try {
            Awaitility.await(name + " greeting")
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10))
                    .pollInSameThread()
                    .ignoreExceptions()
                    .failFast(name + " exited", () -> !p.isAlive())
                    .until(() -> greets(host, port));
        } catch (TerminalFailureException e) {
            if (DirectoryTree.readFrom(files.log(), logOffset).contains("Address already in use")) {
                log.info("{}: port was taken meanwhile", name);
                return Optional.empty();
            }
            throw new SandboxException(name + ": sshd exited with code " + p.exitCode() + " during startup; "
                    + files.log() + " ends:\n" + DirectoryTree.tail(files.log(), 25));
        } catch (ConditionTimeoutException e) {
            p.kill();
            throw new SandboxException(name + ": no SSH banner within " + timeout + "; " + files.log() + " ends:\n"
                    + DirectoryTree.tail(files.log(), 25));
        }
        log.info(
                "{}: up (pid {}) in {} ms, directory {}",
                name,
                p.pid(),
                (System.nanoTime() - started) / 1_000_000,
                files.dir());
        return Optional.of(new SshdProcess(name, p));
    }

    /** sshd refuses to start without it; Debian's package creates it only when systemd starts sshd. */
    static void ensurePrivilegeSeparationDirectory() {
        Path privsep = Path.of("/run/sshd");
        if (Files.isDirectory(privsep)) {
            return;
        }
        try {
            Files.createDirectories(privsep);
            log.info("Created sshd's privilege separation directory {}", privsep);
        } catch (IOException e) {
            // Not root: sshd will say in its log whether it needs the directory.
            log.debug("Cannot create {}: {}", privsep, e.toString());
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGKILLs sshd and every session process it forked, and waits for them.
     *
     * @return how many sessions were killed
     */
    int kill() {
        // The sessions are sshd's children: once it is gone they are reparented and no longer found.
        List<ProcessHandle> sessions = ProcessHandle.of(process.pid())
                .map(h -> h.descendants().toList())
                .orElse(List.of());
        process.kill();
        sessions.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle session : sessions) {
            try {
                session.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SandboxException(name + ": interrupted while stopping", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new SandboxException(name + ": session pid " + session.pid() + " outlived SIGKILL", e);
            }
        }
        return sessions.size();
    }

    /**
     * Whether {@code process} is an sshd started for {@code dir}, for the reaper. sshd rewrites
     * its command line ("sshd: /usr/sbin/sshd -D -e -f DIR/sshd_config [listener] ..."), so the
     * raw {@code /proc/<pid>/cmdline} is searched for the configuration's path.
     */
    static boolean isServerOf(ProcessHandle process, Path dir) {
        boolean sshd = process.info()
                .command()
                .map(c -> Path.of(c).getFileName().toString().equals("sshd"))
                .orElse(false);
        try {
            String commandLine =
                    Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"), StandardCharsets.UTF_8);
            return sshd && commandLine.contains(dir.resolve("sshd_config").toString());
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the port answers with an SSH banner: a port merely open might be someone else's. */
    private static boolean greets(String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1_000);
            socket.setSoTimeout(1_000);
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(4), StandardCharsets.US_ASCII).equals("SSH-");
        }
    }

    /** For the reaper, before sshd writes its own pid file: a JVM killed meanwhile leaves no orphan. */
    private static void recordPid(String name, Path dir, long pid) {
        try {
            Files.writeString(dir.resolve(StaleSandboxReaper.PID_FILE), Long.toString(pid));
        } catch (IOException e) {
            throw new SandboxException(name + ": cannot record pid " + pid + " in " + dir, e);
        }
    }
}
