package io.mha4j.internal.failover;

import io.mha4j.config.ServerConfig;
import io.mha4j.gtid.GtidSet;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.LocalShell;
import io.mha4j.server.Dialect;
import io.mha4j.server.ServerConnection;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The merged events replayed on the new master while the binlog tool still prints them
 * ({@code merge_recovered_transactions=1}, the client on the manager's host): the client reads the
 * merged file as it grows, up to the last point released to it: the new master applies the
 * tail while the dead master's host still prints it (docs/measurements.md).
 *
 * <p>Released is only ever text that ends right after a run's {@code COMMIT} ({@link
 * TransactionMerge.Boundary}), of a text that began with the tool's preamble, in which no
 * transaction was cut off and none printed so far is one the new master held when the tool
 * started. Such a prefix is the dead master's own committed history, in its order, from where
 * the new master stands: replaying it is right whatever the rest turns out to be. Whether the
 * rest may follow is decided once the tool's end is judged and every GTID checked: then the
 * input ends at the file's end ({@link #end}); otherwise at the last release, and what the client
 * committed is a partial recovery that the failover reports, with the possible loss after it.
 * Once one point is held back, nothing more is released before that decision.
 */
final class LiveReplay implements TransactionMerge.Boundary, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveReplay.class);
    /** The client starts at the first release, while the tool may print for up to its own 30 minutes. */
    private static final Duration CLIENT_TIMEOUT = EventReplay.TIMEOUT.multipliedBy(2);
    /** How long closing waits for a client left with nothing more than what was released. */
    private static final Duration CLOSE_WAIT = Duration.ofMinutes(1);

    private final ServerConfig target;
    private final String program;
    private final Dialect dialect;
    private final GtidSet have;
    private final BinlogText.Scan scan;
    private final Path merged;
    private final GrowingFile input;
    /** Set at the first release: a client that connected long before its first statement could meet wait_timeout. */
    private CompletableFuture<CommandResult> client;

    private int checked;
    /** What the new master holds, with the transactions checked so far. */
    private GtidSet withChecked;

    private long released;
    private int releases;
    private String held = "";
    /** The tool's end was judged, or the compensation stopped: no more releases. */
    private boolean ended;

    private LiveReplay(
            ServerConfig target, String program, Dialect dialect, GtidSet have, BinlogText.Scan scan, Path merged) {
        this.target = target;
        this.program = program;
        this.dialect = dialect;
        this.have = have;
        this.withChecked = have;
        this.scan = scan;
        this.merged = merged;
        this.input = new GrowingFile(merged);
    }

    /**
     * A replay of {@code merged} by the manager's client, which starts at the first release and
     * reads the file as it is released; empty when the manager's host has no client (the events
     * are then replayed on the new master's host once the tool has ended).
     *
     * @param scan reads the tool's text as it arrives, before the merge does
     * @param have what the new master held when the tool started
     */
    static Optional<LiveReplay> of(ServerConnection newMaster, Path merged, BinlogText.Scan scan, GtidSet have) {
        return of(newMaster.config(), newMaster.dialect(), merged, scan, have);
    }

    /** @param target the new master, whose {@code client_bindir} names the client */
    static Optional<LiveReplay> of(
            ServerConfig target, Dialect dialect, Path merged, BinlogText.Scan scan, GtidSet have) {
        return EventReplay.onThisMachine(EventReplay.client(target, dialect))
                .map(local -> new LiveReplay(target, local.toString(), dialect, have, scan, merged));
    }

    /**
     * Releases the text up to {@code written} when what it holds may be replayed before the tool's
     * end. Called on the thread the tool's text arrives on.
     */
    @Override
    public synchronized void reached(long written) {
        if (ended || !held.isEmpty()) {
            return;
        }
        String why = whyNotYet();
        if (!why.isEmpty()) {
            hold(why);
            return;
        }
        released = written;
        releases++;
        startOnce();
        input.release(written);
    }

    private String whyNotYet() {
        if (!scan.preambleSoFar()) {
            return "the text does not begin with the binlog tool's preamble";
        }
        if (scan.anyCut()) {
            return "a transaction was cut off before its end";
        }
        if (!scan.misplacedSoFar().isEmpty()) {
            return "the text does not start where it was asked to: " + scan.misplacedSoFar();
        }
        List<String> printed = scan.finishedSince(checked);
        GtidSet more = BinlogText.exactly(dialect, printed);
        GtidSet twice = more.intersect(have);
        if (!twice.isEmpty()) {
            return "the new master already holds " + twice;
        }
        if (scan.from() > 0) {
            // Read from a byte: a gap would be transactions before it that the new master lacks.
            String gap = BinlogText.gapAfter(withChecked, more);
            if (!gap.isEmpty()) {
                return gap;
            }
            withChecked = withChecked.union(more);
        }
        checked += printed.size();
        return "";
    }

    /** Releases nothing more before the tool's end is judged. */
    synchronized void hold(String why) {
        if (held.isEmpty()) {
            held = why;
            log.info(
                    "{}: replaying the rest of the merged events once the tool has ended and every transaction is"
                            + " checked: {}",
                    target.displayName(),
                    why);
        }
    }

    private void startOnce() {
        if (client != null) {
            return;
        }
        CompletableFuture<CommandResult> started = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    try {
                        started.complete(EventReplay.attempt(
                                LocalShell.INSTANCE, target, program, input, merged.toString(), CLIENT_TIMEOUT));
                    } catch (RuntimeException | Error e) {
                        started.completeExceptionally(e);
                    }
                },
                "mha4j-live-replay");
        t.setDaemon(true);
        t.start();
        client = started;
    }

    /** The client program, for the report. */
    String program() {
        return program;
    }

    /** How many bytes of the merged file were released before the tool's end was judged, in how many runs. */
    synchronized String releasedSoFar() {
        return releases == 0 ? "nothing" : released + " bytes (" + releases + " run(s))";
    }

    /** The last point released: where the input ends when the rest is not trusted. */
    synchronized long atRelease() {
        return released;
    }

    /**
     * Ends the client's input at {@code upTo} — the merged file's end once everything is trusted,
     * else {@link #atRelease()} — starting the client if nothing was released yet, and waits for
     * it; empty when no client ran and there is nothing to replay.
     *
     * @throws io.mha4j.Mha4jException when the client could not be run to its end
     */
    Optional<CommandResult> end(long upTo) {
        CompletableFuture<CommandResult> waited;
        synchronized (this) {
            ended = true;
            if (client == null && upTo <= released) {
                input.end(released);
                return Optional.empty();
            }
            startOnce();
            input.end(Math.max(upTo, released));
            waited = client;
        }
        try {
            return Optional.of(waited.join());
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * Ends the input at the last release if nothing ended it, and waits (bounded) for a client
     * still applying what was released, so that nothing is still being committed on the new
     * master once the failover goes on.
     */
    @Override
    public void close() {
        CompletableFuture<CommandResult> waited;
        synchronized (this) {
            ended = true;
            input.end(released);
            waited = client;
        }
        if (waited == null || waited.isDone()) {
            return;
        }
        try {
            CommandResult r = waited.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            log.warn(
                    "{}: the client replaying as the tool printed ended with {} after the compensation stopped",
                    target.displayName(),
                    r.exitCode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn(
                    "{}: the client replaying as the tool printed did not end normally after the compensation"
                            + " stopped: {}",
                    target.displayName(),
                    e.toString());
        }
    }

    /**
     * A file read as it is written: a read waits until more is released or the end is set, and
     * never goes past what was released. Read by one thread (the one feeding the client).
     */
    private static final class GrowingFile extends InputStream {
        private final Path file;
        private FileChannel channel;
        private long position;
        private long released;
        private boolean ended;

        GrowingFile(Path file) {
            this.file = file;
        }

        synchronized void release(long upTo) {
            if (!ended) {
                released = Math.max(released, upTo);
                notifyAll();
            }
        }

        synchronized void end(long upTo) {
            if (!ended) {
                released = Math.max(released, upTo);
                ended = true;
                notifyAll();
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            long limit;
            synchronized (this) {
                while (position >= released && !ended) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted waiting for the merged events " + file);
                    }
                }
                if (position >= released) {
                    return -1;
                }
                limit = released;
            }
            if (channel == null) {
                channel = FileChannel.open(file, StandardOpenOption.READ);
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, limit - position)), position);
            if (n < 0) {
                throw new EOFException("the merged events " + file + " end before byte " + limit);
            }
            position += n;
            return n;
        }

        /** What a read returns without waiting: so that its reader knows when to flush what it passed on. */
        @Override
        public synchronized int available() {
            return (int) Math.min(Integer.MAX_VALUE, released - position);
        }

        @Override
        public void close() throws IOException {
            if (channel != null) {
                channel.close();
            }
        }
    }
}
