package io.mha4j.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
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
 */
final class CachedDirectory {

    private static final Logger log = LoggerFactory.getLogger(CachedDirectory.class);

    /** Fills a private working directory; returns the directory inside it to publish. */
    @FunctionalInterface
    interface Build {
        Path into(Path workDir) throws IOException;
    }

    private CachedDirectory() {
    }

    /**
     * {@code target} (a child of {@code root}), built by {@code build} first if missing.
     *
     * @param what names the directory in log lines and errors, e.g. "template datadir"
     * @throws SandboxException if it cannot be built; {@code build}'s own SandboxExceptions pass through
     */
    static Path obtain(Path root, Path target, String what, Build build) {
        if (Files.isDirectory(target)) {
            log.debug("Using cached {} {}", what, target);
            return target;
        }
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
