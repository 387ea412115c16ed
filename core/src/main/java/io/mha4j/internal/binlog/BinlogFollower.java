package io.mha4j.internal.binlog;

import io.mha4j.Mha4jException;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.Secret;
import io.mha4j.config.ServerConfig;
import io.mha4j.internal.remote.PrivateDirectory;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShell;
import io.mha4j.remote.RemoteShells;
import io.mha4j.server.ServerConnection;
import io.mha4j.server.ServerState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code [binlogN]} server kept current: on its host, the master's binary logs are copied
 * raw into {@code master_binlog_dir} ({@code mariadb-binlog --read-from-remote-server --raw
 * --stop-never}, the MHA tutorial's command, run as a supervised process). When the copy stops — the
 * master died, the network dropped — it is restarted with a doubling pause, from the newest
 * file it already has. The master is whichever configured server is writable and replicates
 * from nobody, so after a failover the copy follows the new master by itself: the dead
 * master's files (which the failover may just have read) are moved into a subdirectory named
 * after it, and copying starts from the new master's current binary log.
 */
public final class BinlogFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BinlogFollower.class);
    private static final Duration SHORT = Duration.ofSeconds(30);
    private static final Duration FOREVER = Duration.ofDays(365);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(30);
    static final String MASTER_MARKER = ".mha4j-master";
    private static final String PID_FILE = ".mha4j-follower.pid";

    private final ApplicationConfig config;
    private final ServerConfig binlogServer;
    private final RemoteShells shells;
    private final Clock clock;
    private final Duration firstPause;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;
    private volatile String following = "";
    private volatile int starts;

    public BinlogFollower(
            ApplicationConfig config,
            ServerConfig binlogServer,
            RemoteShells shells,
            Clock clock,
            Duration firstPause) {
        this.config = config;
        this.binlogServer = binlogServer;
        this.shells = shells;
        this.clock = clock;
        this.firstPause = firstPause;
        this.thread = new Thread(this::loop, "mha4j-binlog-" + binlogServer.block());
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** The master being copied, {@code host:port}, empty between masters. */
    public String following() {
        return following;
    }

    /** How many times the copy was started. */
    public int starts() {
        return starts;
    }

    private String dir() {
        return binlogServer.masterBinlogDirs().get(0);
    }

    private void loop() {
        Duration pause = firstPause;
        while (stopped.getCount() > 0) {
            try {
                Optional<ServerConfig> master = currentMaster();
                if (master.isPresent()) {
                    follow(master.get());
                    pause = firstPause;
                } else {
                    log.info("[{}] no writable master among the configured servers; waiting", binlogServer.block());
                }
            } catch (RuntimeException e) {
                log.warn("[{}] binlog copy stopped: {}", binlogServer.block(), e.getMessage());
            }
            following = "";
            try {
                if (stopped.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        }
    }

    /** The one configured server that is writable and replicates from nobody. */
    private Optional<ServerConfig> currentMaster() {
        List<ServerConfig> masters = new ArrayList<>();
        for (ServerConfig s : config.servers()) {
            try (ServerConnection c = ServerConnection.open(s, clock)) {
                ServerState st = c.readState();
                if (st.isWritable() && !st.isReplica()) {
                    masters.add(s);
                }
            } catch (RuntimeException e) {
                // a dead or unreachable server is not the master
            }
        }
        return masters.size() == 1 ? Optional.of(masters.get(0)) : Optional.empty();
    }

    /** Copies {@code master}'s binary logs until the copy ends; returns then. */
    private void follow(ServerConfig master) {
        RemoteShell shell = shells.shellFor(binlogServer);
        String dir = dir();
        String marker = master.address() + ":" + master.port();
        archiveIfAnotherMaster(shell, dir, marker);
        String first = newestLocalFile(shell, dir).orElseGet(() -> currentBinlogOf(master));
        String user = master.replUser()
                .orElseThrow(() -> new Mha4jException("repl_user is not set: the binlog server" + " ["
                        + binlogServer.block() + "] logs in as the replication user"));
        Secret password = master.replPassword().orElseThrow(() -> new Mha4jException("repl_password is not set"));
        try (PrivateDirectory tmp = PrivateDirectory.create(shell, binlogServer.remoteWorkdir());
                ServerConnection c = ServerConnection.open(master, clock)) {
            String options = tmp.clientOptions(user, password, null, 0);
            List<String> tool = c.dialect()
                    .binlogFollow(
                            binlogServer.get(Parameter.CLIENT_BINDIR).orElse(""),
                            options,
                            master.address(),
                            master.port(),
                            dir,
                            first);
            // The shell records the copy's pid so that close() can stop it on the binlog host.
            String line = "echo $$ > " + RemoteCommand.quote(dir + "/" + PID_FILE) + "; exec "
                    + String.join(" ", tool.stream().map(RemoteCommand::quote).toList());
            c.close();
            following = marker;
            starts++;
            log.info(
                    "[{}] copying the binary logs of {} from {} into {} on {}",
                    binlogServer.block(),
                    master.displayName(),
                    first,
                    dir,
                    shell.target());
            CommandResult r = shell.run(RemoteCommand.of("sh", "-c", line), FOREVER);
            log.warn(
                    "[{}] the binlog copy of {} ended (exit {}): {}",
                    binlogServer.block(),
                    master.displayName(),
                    r.exitCode(),
                    r.firstErrorLine());
        }
    }

    private void archiveIfAnotherMaster(RemoteShell shell, String dir, String marker) {
        String previous =
                readSmallFile(shell, dir + "/" + MASTER_MARKER).orElse("").trim();
        if (previous.equals(marker)) {
            return;
        }
        List<String> files = listFiles(shell, dir);
        if (!previous.isEmpty() && !files.isEmpty()) {
            String archive = dir + "/" + previous.replace(':', '_') + "-"
                    + clock.instant().toEpochMilli();
            List<String> argv = new ArrayList<>(List.of("mv", "-t", archive, "--"));
            files.forEach(f -> argv.add(dir + "/" + f));
            run(shell, RemoteCommand.of("mkdir", "-p", archive));
            run(shell, RemoteCommand.of(argv));
            log.info(
                    "[{}] the master changed from {} to {}: its {} file(s) moved to {}",
                    binlogServer.block(),
                    previous,
                    marker,
                    files.size(),
                    archive);
        }
        shell.write(
                dir + "/" + MASTER_MARKER, new ByteArrayInputStream((marker + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    /** Binary log files in the directory (not our marker or pid files, not archive directories). */
    private List<String> listFiles(RemoteShell shell, String dir) {
        CommandResult ls = run(
                shell,
                RemoteCommand.of("find", dir, "-maxdepth", "1", "-type", "f", "-name", "*.[0-9]*", "-printf", "%f\\n")
                        .repeatable());
        return Arrays.stream(ls.stdout().split("\n"))
                .map(String::trim)
                .filter(f -> !f.isEmpty())
                .sorted()
                .toList();
    }

    private Optional<String> newestLocalFile(RemoteShell shell, String dir) {
        List<String> files = listFiles(shell, dir);
        return files.isEmpty() ? Optional.empty() : Optional.of(files.get(files.size() - 1));
    }

    private String currentBinlogOf(ServerConfig master) {
        try (ServerConnection c = ServerConnection.open(master, clock)) {
            return c.readState()
                    .binlogPosition()
                    .orElseThrow(() ->
                            new Mha4jException(master.displayName() + " has no binary log to copy (log_bin is off)"))
                    .file();
        }
    }

    private static Optional<String> readSmallFile(RemoteShell shell, String path) {
        if (shell.stat(path).isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = shell.read(path, 0)) {
            return Optional.of(new String(in.readNBytes(4096), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static CommandResult run(RemoteShell shell, RemoteCommand command) {
        CommandResult r = shell.run(command, SHORT);
        if (!r.succeeded()) {
            throw new Mha4jException(command + " failed on " + shell.target() + ": " + r.firstErrorLine());
        }
        return r;
    }

    @Override
    public String toString() {
        return binlogServer.block();
    }

    /** Stops the copy on the binlog host and the supervising thread. */
    @Override
    public void close() {
        stopped.countDown();
        try {
            RemoteShell shell = shells.shellFor(binlogServer);
            String pidFile = dir() + "/" + PID_FILE;
            readSmallFile(shell, pidFile)
                    .map(String::trim)
                    .filter(p -> p.matches("\\d+"))
                    .ifPresent(pid -> shell.run(RemoteCommand.of("kill", pid), SHORT));
        } catch (RuntimeException e) {
            log.warn("[{}] could not stop the binlog copy: {}", binlogServer.block(), e.getMessage());
        }
        try {
            thread.join(SHORT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
