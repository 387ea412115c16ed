package io.mha4j.failover;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MHA's anti-flapping rule, with its flag files in {@code manager_workdir}:
 * {@code <app>.failover.error} blocks every automatic failover until removed, and
 * {@code <app>.failover.complete} younger than {@code last_failover_minute} (480) blocks the
 * next one — unless {@code --ignore_last_failover}, which (as in MHA) removes both. mha4j adds
 * {@link #acknowledge}: clear the block on purpose, with a reason that is logged and kept in
 * {@code <app>.failover.ack}.
 */
public final class FailoverGuard {
    private static final Logger log = LoggerFactory.getLogger(FailoverGuard.class);
    private static final DateTimeFormatter MHA_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");

    /**
     * Whom a refusal speaks to, so that it names what that reader can do: a command line's options,
     * or the Java methods of an embedding host.
     */
    public enum Wording {
        /** {@code mha4j manager} and the other commands: MHA's words. */
        COMMAND_LINE(
                "run acknowledge with a reason",
                "use --ignore_last_failover",
                "restart this script",
                "run this script again"),
        /** A host embedding {@link io.mha4j.manager.MhaManager}. */
        MANAGER_API(
                "call MhaManager.acknowledgeFailover(who, reason)",
                "build the manager with MhaManager.Builder.ignoreLastFailover(true)",
                "start the manager again",
                "start the manager again"),
        /** A host running {@link MasterFailover} itself. */
        FAILOVER_API(
                "call FailoverGuard.acknowledge(now, who, reason)",
                "build the failover with MasterFailover.Builder.ignoreLastFailover(true)",
                "run the failover again",
                "run the failover again");

        private final String acknowledge;
        private final String ignore;
        private final String restartAfterError;
        private final String retryLater;

        Wording(String acknowledge, String ignore, String restartAfterError, String retryLater) {
            this.acknowledge = acknowledge;
            this.ignore = ignore;
            this.restartAfterError = restartAfterError;
            this.retryLater = retryLater;
        }

        /** How this reader lifts a block on purpose, e.g. {@code run acknowledge with a reason}. */
        public String howToAcknowledge() {
            return acknowledge;
        }

        /** The option as this reader sets it: the command line's {@code cli}, else the Java {@code java}. */
        public String option(String cli, String java) {
            return this == COMMAND_LINE ? cli : java;
        }
    }

    private final Path complete;
    private final Path error;
    private final Path acknowledgments;
    private final Wording wording;

    /** A guard whose refusals use the command line's words. */
    public FailoverGuard(Path workdir, String application) {
        this(workdir, application, Wording.COMMAND_LINE);
    }

    public FailoverGuard(Path workdir, String application, Wording wording) {
        this.complete = workdir.resolve(application + ".failover.complete");
        this.error = workdir.resolve(application + ".failover.error");
        this.acknowledgments = workdir.resolve(application + ".failover.ack");
        this.wording = wording;
    }

    public Path completeFile() {
        return complete;
    }

    public Path errorFile() {
        return error;
    }

    /**
     * Why the anti-flap rule refuses a failover now.
     *
     * @param kind which flag refuses it
     * @param flag the flag file that refuses it
     * @param lastFailover when the last failover was recorded ({@link Kind#TOO_EARLY} only)
     * @param message the refusal in words, naming what its reader can do (see {@link Wording})
     */
    public record Block(Kind kind, Path flag, Optional<Instant> lastFailover, String message) {
        /** Which rule refused. */
        public enum Kind {
            /** {@code failover.error}: the last failover failed; a human must look first. */
            LAST_FAILOVER_FAILED,
            /** {@code failover.complete} younger than {@code last_failover_minute}. */
            TOO_EARLY
        }
    }

    /**
     * Why a failover may not start now, or empty when it may. With {@code ignoreLastFailover}
     * the flag files are removed first, as MHA does; a stale complete file is removed too.
     */
    public Optional<Block> block(Instant now, Duration lastFailoverMinute, boolean ignoreLastFailover) {
        return block(now, lastFailoverMinute, ignoreLastFailover, Optional.empty());
    }

    /**
     * {@link #block(Instant, Duration, boolean)}, where a recent {@code failover.complete}
     * does not block when {@code waiver} says why (a manager that stayed up after its own
     * successful failover, facing a different failure); {@code failover.error} always blocks.
     */
    public Optional<Block> block(
            Instant now, Duration lastFailoverMinute, boolean ignoreLastFailover, Optional<String> waiver) {
        if (ignoreLastFailover) {
            deleteIfExists(error);
            deleteIfExists(complete);
        }
        if (Files.exists(error)) {
            return Optional.of(new Block(
                    Block.Kind.LAST_FAILOVER_FAILED,
                    error,
                    Optional.empty(),
                    "Failover error flag file " + error + " exists. This means the last failover failed."
                            + " Check error logs for detail, fix problems, remove " + error
                            + " (or " + wording.acknowledge + "), and " + wording.restartAfterError + "."));
        }
        Optional<Instant> last = modified(complete);
        if (last.isPresent()) {
            boolean recent = Duration.between(last.get(), now).compareTo(lastFailoverMinute) < 0;
            if (recent && waiver.isPresent()) {
                log.warn(
                        "Last failover was done at {}, within last_failover_minute ({} min); the anti-flap rule is"
                                + " waived: {}",
                        MHA_TIME.format(last.get().atZone(ZoneId.systemDefault())),
                        lastFailoverMinute.toMinutes(),
                        waiver.get());
                return Optional.empty();
            }
            if (recent) {
                return Optional.of(new Block(
                        Block.Kind.TOO_EARLY,
                        complete,
                        last,
                        "Last failover was done at "
                                + MHA_TIME.format(last.get().atZone(ZoneId.systemDefault()))
                                + ". Current time is too early"
                                + " to do failover again. If you want to do failover, manually remove " + complete
                                + " (or "
                                + wording.acknowledge + ", or " + wording.ignore + ") and " + wording.retryLater
                                + "."));
            }
            deleteIfExists(complete);
        }
        return Optional.empty();
    }

    /** Records a successful failover (MHA writes it even after a partial one). */
    public void markComplete(Instant now) {
        touch(complete, now);
    }

    /** Records a failed failover; the next automatic one is blocked until this is cleared. */
    public void markError(Instant now, String why) {
        touch(error, now);
        append(error, now + " " + why);
    }

    /**
     * Clears the block deliberately.
     *
     * @return the flag files that were removed (empty if there was no block)
     * @throws IllegalArgumentException without a reason
     */
    public List<Path> acknowledge(Instant now, String who, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an acknowledgment needs a reason");
        }
        List<Path> removed = new ArrayList<>();
        for (Path p : List.of(error, complete)) {
            if (deleteIfExists(p)) {
                removed.add(p);
            }
        }
        append(acknowledgments, now + "\t" + who + "\tremoved " + removed + "\t" + reason.replace('\n', ' '));
        log.warn("Failover block acknowledged by {}: removed {}; reason: {}", who, removed, reason);
        return removed;
    }

    private static Optional<Instant> modified(Path p) {
        try {
            return Files.exists(p) ? Optional.of(Files.getLastModifiedTime(p).toInstant()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void touch(Path p, Instant now) {
        try {
            if (!Files.exists(p)) {
                Files.createFile(p);
            }
            Files.setLastModifiedTime(p, FileTime.from(now));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p, e);
        }
    }

    private static void append(Path p, String line) {
        try {
            Files.writeString(
                    p, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p, e);
        }
    }

    private static boolean deleteIfExists(Path p) {
        try {
            return Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + p, e);
        }
    }
}
