package io.mha4j.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a dead JVM left under the sandbox root: a JVM killed with SIGKILL runs no
 * shutdown hook, so its servers keep running and its directories stay. A directory is stale
 * when its {@link Owner} no longer runs. Its servers (found through the {@value #PID_FILE}
 * files in it or its subdirectories) are killed only if that pid is still a server whose
 * arguments name that very directory, so a recycled pid is never hit. Directories without an
 * owner file are left alone: one may be a neighbour's sandbox in its first milliseconds.
 * Database clusters ({@code cluster-*}, {@code building-*}) and {@link OpenSshServer}s
 * ({@code sshd-*}) share the root and this reaper, each kind with its own test of "our server".
 */
final class StaleSandboxReaper {

    /** The file in each node directory holding the pid of the server last launched there. */
    static final String PID_FILE = "server.pid";

    private static final Logger log = LoggerFactory.getLogger(StaleSandboxReaper.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private StaleSandboxReaper() {}

    /** Reaps every stale {@code cluster-*} and {@code building-*} directory under {@code root}. */
    static void reap(Path root) {
        reap(root, List.of("cluster-", "building-"), StaleSandboxReaper::isSandboxServer);
    }

    /**
     * Reaps every stale directory under {@code root} whose name starts with one of
     * {@code prefixes}, first killing each recorded process that {@code isOurServer} (given
     * the process and the directory) recognises, and that process's children.
     */
    static void reap(Path root, List<String> prefixes, BiPredicate<ProcessHandle, Path> isOurServer) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> children = Files.list(root)) {
            children.filter(d -> prefixes.stream().anyMatch(d.getFileName().toString()::startsWith))
                    .filter(Files::isDirectory)
                    .forEach(d -> reapIfStale(d, isOurServer));
        } catch (IOException e) {
            log.warn("Cannot list {} for stale sandboxes: {}", root, e.toString());
        }
    }

    private static void reapIfStale(Path dir, BiPredicate<ProcessHandle, Path> isOurServer) {
        Optional<Owner> owner = Owner.readFrom(dir);
        if (owner.isEmpty() || owner.get().isAlive()) {
            return;
        }
        log.info(
                "Reaping stale sandbox {} (owner JVM {} is gone)",
                dir,
                owner.get().pid());
        for (Path pidFile : pidFiles(dir)) {
            serverProcess(pidFile, dir, isOurServer).ifPresent(StaleSandboxReaper::kill);
        }
        try {
            DirectoryTree.delete(dir);
        } catch (IOException e) {
            log.warn("Cannot delete stale sandbox {}: {}", dir, e.toString());
        }
    }

    private static List<Path> pidFiles(Path dir) {
        try (Stream<Path> files =
                Files.find(dir, 2, (p, a) -> p.getFileName().toString().equals(PID_FILE))) {
            return files.toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Optional<ProcessHandle> serverProcess(
            Path pidFile, Path dir, BiPredicate<ProcessHandle, Path> isOurServer) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> isOurServer.test(h, dir));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static boolean isSandboxServer(ProcessHandle process, Path dir) {
        ProcessHandle.Info info = process.info();
        boolean server = info.command()
                .map(c -> Path.of(c).getFileName().toString())
                .filter(name -> name.equals("mariadbd") || name.equals("mysqld"))
                .isPresent();
        String datadirPrefix = "--datadir=" + dir + java.io.File.separator;
        boolean ours = info.arguments()
                .map(args -> Stream.of(args).anyMatch(a -> a.startsWith(datadirPrefix)))
                .orElse(true);
        return server && ours;
    }

    private static void kill(ProcessHandle server) {
        log.info("Killing orphaned sandbox server pid {}", server.pid());
        // Children first: once their parent is gone they are reparented and no longer found.
        List<ProcessHandle> children = server.descendants().toList();
        server.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            server.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Orphaned sandbox server pid {} did not exit within {}", server.pid(), KILL_WAIT);
        }
    }
}
