package io.mha4j.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An initialised datadir with the sandbox users, built once per server build and copied for
 * every node. Copying 26 MB takes milliseconds; initialising takes over a second per node.
 *
 * <p>The template is made by {@code install-db} and a {@code --bootstrap} run, neither of which
 * writes a binary log, so every node starts with an empty GTID position and the users exist
 * everywhere without replicating. It lives at {@code <root>/template-<hash>}, the hash
 * covering the server's path, size, modification time and version and the bootstrap SQL, so
 * an upgraded server or changed users get a new template. It is built in a private
 * {@code building-*} directory (with an {@link Owner} file so a killed builder's leftovers are
 * reaped) and renamed into place atomically: a directory at the final name is always complete,
 * and when two JVMs race, the loser's rename fails and it uses the winner's template.
 */
final class TemplateDataDir {

    private static final Logger log = LoggerFactory.getLogger(TemplateDataDir.class);
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);

    private TemplateDataDir() {
    }

    /** The template for this server under {@code root}, built first if missing. */
    static Path obtain(ServerBinaries binaries, Flavor flavor, SandboxCredentials credentials, Path root) {
        String sql = flavor.bootstrapSql(credentials);
        Path template = root.resolve("template-" + hash(binaries.fingerprint() + "\n"
                + flavor.initializeCommand(binaries, Path.of("D"), Path.of("T")) + "\n" + sql));
        if (Files.isDirectory(template)) {
            log.debug("Using cached template datadir {}", template);
            return template;
        }
        long started = System.nanoTime();
        Path building = root.resolve("building-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            Files.createDirectories(building);
            Owner.current().writeTo(building);
            Path data = building.resolve("data");
            Path tmp = Files.createDirectory(building.resolve("tmp"));
            Path logFile = building.resolve("initialize.log");
            new ExternalCommand(flavor.initializeCommand(binaries, data, tmp), STEP_TIMEOUT).run("", logFile);
            new ExternalCommand(flavor.bootstrapCommand(binaries, data, tmp), STEP_TIMEOUT).run(sql, logFile);
            try {
                Files.move(data, template, StandardCopyOption.ATOMIC_MOVE);
                log.info("Built template datadir {} in {} ms", template, (System.nanoTime() - started) / 1_000_000);
            } catch (IOException e) {
                // Linux reports renaming onto a non-empty directory as a bare FileSystemException
                // (ENOTEMPTY), not DirectoryNotEmptyException: what counts is who got there.
                if (!Files.isDirectory(template)) {
                    throw e;
                }
                log.info("Another builder made template datadir {} first; using it", template);
            }
            return template;
        } catch (IOException e) {
            throw new SandboxException("Cannot build template datadir " + template + " in " + building, e);
        } finally {
            try {
                DirectoryTree.delete(building);
            } catch (IOException e) {
                log.warn("Cannot delete {}: {}", building, e.toString());
            }
        }
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
