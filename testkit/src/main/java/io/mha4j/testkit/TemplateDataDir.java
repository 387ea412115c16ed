package io.mha4j.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * An initialised datadir with the sandbox users, built once per server build and copied for
 * every node. Copying 26 MB takes milliseconds; initialising takes over a second per node.
 *
 * <p>The template is made by {@code install-db} and a {@code --bootstrap} run, neither of which
 * writes a binary log, so every node starts with an empty GTID position and the users exist
 * everywhere without replicating. It lives at {@code <root>/template-<hash>}, the hash
 * covering the server's path, size, modification time and version and the bootstrap SQL, so
 * an upgraded server or changed users get a new template. It is a {@link CachedDirectory}:
 * built privately and renamed into place, so racing JVMs share one.
 */
final class TemplateDataDir {

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);
    /**
     * Templates kept (one per server version, bootstrap and client hosts; 26–55 MB each): mha4j's own suite
     * uses 9, so that a run of it rebuilds none.
     */
    private static final int KEEP = 10;

    private TemplateDataDir() {}

    /** The template for this server under {@code root}, built first if missing. */
    static Path obtain(
            ServerBinaries binaries,
            Flavor flavor,
            SandboxCredentials credentials,
            List<String> clientHosts,
            Path root) {
        String sql = flavor.bootstrapSql(credentials, clientHosts);
        Path template = root.resolve("template-"
                + CachedDirectory.hash(binaries.fingerprint() + "\n"
                        + flavor.initializeCommand(binaries, Path.of("D"), Path.of("T")) + "\n" + sql));
        return CachedDirectory.obtain(root, template, "template datadir", KEEP, building -> {
            Path data = building.resolve("data");
            Path tmp = Files.createDirectory(building.resolve("tmp"));
            Path logFile = building.resolve("initialize.log");
            new ExternalCommand(flavor.initializeCommand(binaries, data, tmp), STEP_TIMEOUT).run("", logFile);
            new ExternalCommand(flavor.bootstrapCommand(binaries, data, tmp), STEP_TIMEOUT).run(sql, logFile);
            return data;
        });
    }
}
