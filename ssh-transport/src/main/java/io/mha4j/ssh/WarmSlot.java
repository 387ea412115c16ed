package io.mha4j.ssh;

import io.mha4j.remote.CommandResult;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShellException;
import io.mha4j.remote.RemoteShellException.Kind;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link WarmShell} of one {@link SshRemoteShell}: started when the shell is prepared, used by
 * commands while it is open and free, started again at the next preparation once it has ended
 * (a timeout, a lost connection). Without one, commands use exec channels.
 */
final class WarmSlot implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WarmSlot.class);
    private static final ExecutorService KILLERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mha4j-warm-shell-killer");
        t.setDaemon(true);
        return t;
    });

    private final String name;
    private final Function<Duration, WarmShell> starter;
    private final ObjLongConsumer<RemoteCommand> killer;
    private volatile WarmShell warm;
    private boolean closed;

    /**
     * @param starter starts a warm shell on the live connection within a timeout
     * @param killer kills the process group of a warm shell whose command timed out (pid), naming the command
     */
    WarmSlot(String name, Function<Duration, WarmShell> starter, ObjLongConsumer<RemoteCommand> killer) {
        this.name = name;
        this.starter = starter;
        this.killer = killer;
    }

    /** Starts a warm shell unless one is open; says what it found or did. Never fails: exec channels remain. */
    synchronized String prepare(Duration timeout) {
        WarmShell w = warm;
        if (w != null && w.isOpen()) {
            return "its " + w;
        }
        if (closed) {
            return "no warm shell (closed)";
        }
        if (w != null) {
            log.info("{}: the {} has ended; starting another", name, w);
        }
        long start = System.nanoTime();
        try {
            warm = starter.apply(timeout);
            long took = (System.nanoTime() - start) / 1_000_000;
            log.info("{}: {} started in {} ms: commands no longer pay the login shell", name, warm, took);
            return "started a " + warm + " in " + took + " ms";
        } catch (RemoteShellException e) {
            warm = null;
            log.warn("{}: cannot start a warm shell ({}); commands run over exec channels", name, e.getMessage());
            return "no warm shell (" + e.getMessage() + ")";
        }
    }

    /** Runs {@code command} in the warm shell; empty when there is none, or another command holds it. */
    Optional<CommandResult> tryRun(RemoteCommand command, Duration timeout, OutputStream output) {
        WarmShell w = warm;
        if (w == null) {
            return Optional.empty();
        }
        try {
            return w.tryRun(command, timeout, output);
        } catch (RemoteShellException e) {
            if (e.kind() == Kind.TIMEOUT) {
                // The command runs in the warm shell's process group: end both, off the caller's path.
                CompletableFuture.runAsync(() -> killer.accept(command, w.pid()), KILLERS);
            }
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (warm != null) {
            warm.close();
            warm = null;
        }
    }
}
