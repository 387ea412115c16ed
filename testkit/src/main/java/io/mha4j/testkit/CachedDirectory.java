package io.mha4j.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory under the sandbox root that is expensive to make and never changes once made
 * (a template datadir, an extracted server distribution), shared by every JVM on the machine.
 *
 * <p>It is built in a private {@code building-*} directory (with an {@link Owner} file, so a
 * killed builder's leftovers are reaped by {@link StaleSandboxReaper}) and renamed into place
 * atomically: a directory at the final name is always complete, and when two builders race,
 * the loser's rename fails and it uses the winner's directory.
 *
 * <p>The cache is bounded: each use stamps the directory's modification time (its contents
 * never change, so nothing else does), and building a new one prunes the others of its kind
 * ({@code template-}, {@code dist-}) beyond the {@code keep} most recently used, and any unused
 * for {@value #MAX_IDLE_DAYS} days — never one used within the last hour, which another JVM may
 * be copying or running servers from. Templates multiply with every server version and option
 * set; without this a few weeks of runs filled {@code /tmp} with them.
 */
final class CachedDirectory {

    private static final Logger log = LoggerFactory.getLogger(CachedDirectory.class);
    static final int MAX_IDLE_DAYS = 7;
    private static final Duration MAX_IDLE = Duration.ofDays(MAX_IDLE_DAYS);
    /** A directory used more recently than this may be in use by another JVM: never pruned. */
    private static final Duration IN_USE = Duration.ofHours(1);

    /** Fills a private working directory; returns the directory inside it to publish. */
    @FunctionalInterface
    interface Build {
        Path into(Path workDir) throws IOException;
    }

    private CachedDirectory() {}

    /**
     * {@code target} (a child of {@code root}, named {@code <kind>-<hash>}), built by {@code build}
     * first if missing; building it prunes the others of its kind to {@code keep} (it included).
     *
     * @param what names the directory in log lines and errors, e.g. "template datadir"
     * @throws SandboxException if it cannot be built; {@code build}'s own SandboxExceptions pass through
     */
    static Path obtain(Path root, Path target, String what, int keep, Build build) {
        if (Files.isDirectory(target)) {
            log.debug("Using cached {} {}", what, target);
            markUsed(target);
            return target;
        }
        Path made = build(root, target, what, build);
        prune(root, target, keep, Instant.now());
        return made;
    }

    private static Path build(Path root, Path target, String what, Build build) {
        long started = System.nanoTime();
        Path building = root.resolve("building-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            Files.createDirectories(building);
            Owner.current().writeTo(building);
            Path made = build.into(building);
            try {
                Files.move(made, target, StandardCopyOption.ATOMIC_MOVE);
                log.info("Built {} {} in {} ms", what, target, (System.nanoTime() - started) / 1_000_000);
            } catch (IOException e) {
                // Linux reports renaming onto a non-empty directory as a bare FileSystemException
                // (ENOTEMPTY), not DirectoryNotEmptyException: what counts is who got there.
                if (!Files.isDirectory(target)) {
                    throw e;
                }
                log.info("Another builder made {} {} first; using it", what, target);
            }
            return target;
        } catch (IOException e) {
            throw new SandboxException("Cannot build " + what + " " + target + " in " + building, e);
        } finally {
            try {
                DirectoryTree.delete(building);
            } catch (IOException e) {
                log.warn("Cannot delete {}: {}", building, e.toString());
            }
        }
    }

    /** Stamps {@code dir} as used now; best effort (another user's directory may refuse it). */
    private static void markUsed(Path dir) {
        try {
            Files.setLastModifiedTime(dir, FileTime.from(Instant.now()));
        } catch (IOException e) {
            log.debug("Cannot mark {} as used: {}", dir, e.toString());
        }
    }

    /**
     * Removes the directories of {@code kept}'s kind beyond the {@code keep} most recently used
     * ({@code kept} being one) and those idle for {@link #MAX_IDLE}, none used within {@link #IN_USE}.
     */
    static void prune(Path root, Path kept, int keep, Instant now) {
        String name = kept.getFileName().toString();
        String kind = name.substring(0, name.indexOf('-') + 1);
        List<Path> others;
        try (Stream<Path> children = Files.list(root)) {
            others = children.filter(
                            d -> d.getFileName().toString().startsWith(kind) && !d.equals(kept) && Files.isDirectory(d))
                    .sorted(Comparator.comparing(CachedDirectory::lastUsed).reversed())
                    .toList();
        } catch (IOException e) {
            log.warn("Cannot list {} to prune its cache: {}", root, e.toString());
            return;
        }
        for (int i = 0; i < others.size(); i++) {
            Path dir = others.get(i);
            Duration idle = Duration.between(lastUsed(dir).toInstant(), now);
            boolean tooMany = i + 1 >= keep;
            if (idle.compareTo(IN_USE) > 0 && (tooMany || idle.compareTo(MAX_IDLE) > 0)) {
                remove(
                        root,
                        dir,
                        tooMany
                                ? "more than " + keep + " " + kind + "* directories"
                                : "unused for " + idle.toDays() + " days");
            }
        }
    }

    private static FileTime lastUsed(Path dir) {
        try {
            return Files.getLastModifiedTime(dir);
        } catch (IOException e) {
            return FileTime.from(Instant.EPOCH);
        }
    }

    /** Moves {@code dir} into an owned {@code building-*} directory, then deletes it: a crash midway is reaped. */
    private static void remove(Path root, Path dir, String why) {
        Path trash = root.resolve("building-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            Files.createDirectories(trash);
            Owner.current().writeTo(trash);
            Files.move(dir, trash.resolve("pruned"), StandardCopyOption.ATOMIC_MOVE);
            log.info("Pruned cached {} ({})", dir, why);
        } catch (IOException e) {
            log.warn("Cannot prune {}: {}", dir, e.toString());
        } finally {
            try {
                DirectoryTree.delete(trash);
            } catch (IOException e) {
                log.warn("Cannot delete {}: {}", trash, e.toString());
            }
        }
    }

    /** A short name-safe digest of {@code text}: what a cached directory's contents depend on. */
    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
