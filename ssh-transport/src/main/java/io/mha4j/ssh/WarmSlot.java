package io.mha4j.ssh;

import io.mha4j.remote.CommandResult;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShellException;
import io.mha4j.remote.RemoteShellException.Kind;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.ObjLongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link WarmShell} of one {@link SshRemoteShell}: started when the shell is prepared (by the
 * monitor, while the master is healthy), used by commands while it is open and free, started again
 * at a later preparation once it has ended (a timeout, a lost connection). Without one, commands
 * use exec channels.
 *
 * <p>A failover that finds no warm shell (the master died before the monitor's start ended, or the
 * last one ended) {@linkplain #startBeside starts one beside} its commands without waiting for it:
 * its first command (phase 2's SSH probe) pays a login shell over an exec channel while the warm
 * shell pays its own, and the later ones find it open. A command finding a start under way waits
 * for it at most as long as the caller says a login shell takes there (the fastest exec command
 * on the connection), never longer: with a slow but working shell it costs nothing, with one
 * that never answers it costs one login shell's time before the exec channel.
 *
 * <p>A preparation finding another one under way returns at once. A start that failed (a login
 * shell that swallows its input or never answers) is remembered: nothing tries again before
 * {@link #RETRY_AFTER_FAILURE}, so that such a host does not cost a start's whole timeout at every
 * ping.
 */
final class WarmSlot implements AutoCloseable {
    /** How long a failed start keeps preparations from trying again. */
    static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(WarmSlot.class);

    private final String name;
    private final Function<Duration, WarmShell> starter;
    private final ObjLongConsumer<RemoteCommand> killer;
    private final LongSupplier nanoTime;
    private final AtomicBoolean starting = new AtomicBoolean();
    /** Completes when the start under way (if any) has ended, successfully or not. */
    private volatile CompletableFuture<Void> underWay = CompletableFuture.completedFuture(null);
    /** The start a command already waited for in vain: later commands do not wait for it again. */
    private volatile CompletableFuture<Void> waitedInVain;

    private volatile WarmShell warm;
    private volatile Failure failure;
    private volatile boolean closed;

    /** Why the last start failed, and when (System.nanoTime). */
    private record Failure(String why, long atNanos) {}

    /**
     * @param starter starts a warm shell on the live connection within a timeout
     * @param killer kills the process group of a warm shell whose command timed out (pid), naming the command
     */
    WarmSlot(String name, Function<Duration, WarmShell> starter, ObjLongConsumer<RemoteCommand> killer) {
        this(name, starter, killer, System::nanoTime);
    }

    /** @param nanoTime the clock that ages a failed start */
    WarmSlot(
            String name,
            Function<Duration, WarmShell> starter,
            ObjLongConsumer<RemoteCommand> killer,
            LongSupplier nanoTime) {
        this.name = name;
        this.starter = starter;
        this.killer = killer;
        this.nanoTime = nanoTime;
    }

    /**
     * Starts a warm shell unless one is open, another thread is starting one, or the last start
     * failed less than {@link #RETRY_AFTER_FAILURE} ago; says what it found or did. Never fails:
     * exec channels remain.
     */
    String prepare(Duration timeout) {
        String found = describe();
        if (!mayStart()) {
            return found;
        }
        CompletableFuture<Void> ended = beginStart();
        try {
            return start(timeout);
        } finally {
            endStart(ended);
        }
    }

    /**
     * What a failover calls: like {@link #prepare} but returns at once, the start going on in the
     * background; commands use the warm shell once it is open (see {@link #tryRun}). Says what there
     * is now, and whether a start was begun.
     */
    String startBeside(Duration timeout) {
        String found = describe();
        if (!mayStart()) {
            return found;
        }
        CompletableFuture<Void> ended = beginStart();
        try {
            WarmShell.READERS.execute(() -> {
                try {
                    start(timeout);
                } catch (RuntimeException e) {
                    log.warn("{}: starting a warm shell failed: {}", name, e.toString());
                } finally {
                    endStart(ended);
                }
            });
        } catch (RejectedExecutionException e) {
            endStart(ended);
            return found;
        }
        return "no warm shell yet (starting one beside the failover's commands)";
    }

    /**
     * Nothing open, not closed, no recent failure, and no other start under way: then this caller
     * starts one. The flag is taken first and the state checked after, so that a start ending
     * between the check and the flag cannot have its fresh shell closed as "ended" by the next.
     */
    private boolean mayStart() {
        if (!starting.compareAndSet(false, true)) {
            return false;
        }
        if (isOpen() || closed || failedRecently()) {
            starting.set(false);
            return false;
        }
        return true;
    }

    private CompletableFuture<Void> beginStart() {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        underWay = ended;
        WarmShell before = warm;
        if (before != null) {
            log.info("{}: the {} has ended; closing it and starting another", name, before);
            warm = null;
            before.close();
        }
        return ended;
    }

    private void endStart(CompletableFuture<Void> ended) {
        starting.set(false);
        ended.complete(null);
    }

    private String start(Duration timeout) {
        long start = nanoTime.getAsLong();
        try {
            WarmShell started = starter.apply(timeout);
            started.onTimeout(killer);
            warm = started;
            failure = null;
            if (closed) {
                // Closed while it started: close() may not have seen it.
                warm = null;
                started.close();
                return "no warm shell (closed)";
            }
            long took = Duration.ofNanos(nanoTime.getAsLong() - start).toMillis();
            log.info("{}: {} started in {} ms: commands no longer pay the login shell", name, started, took);
            return "started a " + started + " in " + took + " ms";
        } catch (RemoteShellException e) {
            if (Thread.currentThread().isInterrupted() || closed) {
                // The monitor stopping or the shell closed, not the host failing: nothing to hold against a start.
                return "no warm shell (interrupted while starting one)";
            }
            failure = new Failure(e.getMessage(), nanoTime.getAsLong());
            log.warn(
                    "{}: cannot start a warm shell ({}); commands run over exec channels, next try in {} s at the"
                            + " earliest",
                    name,
                    e.getMessage(),
                    RETRY_AFTER_FAILURE.toSeconds());
            return "no warm shell (" + e.getMessage() + ")";
        }
    }

    /** What there is now, starting nothing: for a failover, which must not wait for a login shell. */
    String describe() {
        WarmShell w = warm;
        if (w != null && w.isOpen()) {
            return "its " + w;
        }
        if (closed) {
            return "no warm shell (closed)";
        }
        Failure f = failure;
        if (f != null) {
            return "no warm shell (its last start failed "
                    + Duration.ofNanos(nanoTime.getAsLong() - f.atNanos()).toSeconds() + " s ago: " + f.why() + ")";
        }
        if (starting.get()) {
            return "no warm shell (one is starting)";
        }
        return w == null ? "no warm shell (none started)" : "no warm shell (the " + w + " has ended)";
    }

    private boolean isOpen() {
        WarmShell w = warm;
        return w != null && w.isOpen();
    }

    private boolean failedRecently() {
        Failure f = failure;
        return f != null && nanoTime.getAsLong() - f.atNanos() < RETRY_AFTER_FAILURE.toNanos();
    }

    /**
     * Runs {@code command} in the warm shell; empty when there is none, or another command holds
     * it. When a start is under way, waits for it at most {@code startWait} (what a login shell
     * costs there, so that waiting is never slower than an exec channel would be).
     */
    Optional<CommandResult> tryRun(RemoteCommand command, Duration timeout, OutputStream output, Duration startWait) {
        long begun = nanoTime.getAsLong();
        WarmShell found = warm;
        if ((found == null || !found.isOpen()) && starting.get() && !startWait.isZero()) {
            found = awaitStart(startWait.compareTo(timeout) < 0 ? startWait : timeout);
        }
        WarmShell w = found;
        if (w == null) {
            return Optional.empty();
        }
        // One timeout for the wait and the command together.
        Duration left = timeout.minusNanos(nanoTime.getAsLong() - begun);
        if (left.isNegative() || left.isZero()) {
            return Optional.empty();
        }
        return w.tryRun(command, left, output); // a timeout kills its process group (WarmShell.onTimeout)
    }

    /**
     * Waits for the start under way at most {@code bound}. A start one command already waited for in vain (a login shell that
     * never answers) is not waited for again: each later command would pay the wait and then the
     * exec channel.
     */
    private WarmShell awaitStart(Duration bound) {
        CompletableFuture<Void> start = underWay;
        if (start == waitedInVain) {
            return warm;
        }
        try {
            start.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            waitedInVain = start;
            log.debug(
                    "{}: the warm shell's start did not end within {} ms; not waiting for it again",
                    name,
                    bound.toMillis());
        } catch (ExecutionException e) {
            log.debug("{}: the warm shell's start failed: {}", name, e.getMessage());
        } catch (InterruptedException e) {
            // The caller gives up: nothing is to run, over the warm shell or an exec channel.
            Thread.currentThread().interrupt();
            throw new RemoteShellException(name, Kind.IO, "interrupted while waiting for the warm shell's start", e);
        }
        return warm;
    }

    /** Closes the warm shell, at once even while one starts (that one is closed when its start ends). */
    @Override
    public void close() {
        closed = true;
        WarmShell w = warm;
        warm = null;
        if (w != null) {
            w.close();
        }
    }
}
