package io.mha4j.internal.failover;

import io.mha4j.Mha4jException;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.gtid.GtidSet;
import io.mha4j.internal.remote.ClientOptions;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.LocalShell;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShell;
import io.mha4j.remote.RemoteShells;
import io.mha4j.server.ServerConnection;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays saved events on the new master with the flavor's command-line client, which handles
 * everything the binlog tool prints (its delimiters, {@code BINLOG} statements, client commands).
 * From the manager's host when the client is there ({@code client_bindir}, else on PATH: MHA's
 * manager host has it, as the tutorial's symlink step shows): a local process fed from the saved
 * file, no SSH at all. Otherwise on the new master's host, as MHA does, in one remote command whose
 * standard input carries the client's option file and then the events: one login shell at most, no
 * file transfer, no directory to create or remove.
 */
final class EventReplay {
    private static final Logger log = LoggerFactory.getLogger(EventReplay.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(30);
    /**
     * On the new master's host: a private option file from the first {@code $1} bytes of standard
     * input ({@code dd bs=1} reads no byte more), then the client on the rest. The password never
     * appears on a command line.
     */
    private static final String REMOTE_SCRIPT = "umask 077; mkdir -p \"$3\"; f=$(mktemp \"$3/mha4j-client-XXXXXX\") || exit 125;"
            + " trap 'rm -f \"$f\"' EXIT; dd bs=1 count=\"$1\" of=\"$f\" 2>/dev/null"
            + " && \"$2\" --defaults-extra-file=\"$f\" --binary-mode";

    private EventReplay() {}

    /**
     * Replays {@code saved} on {@code newMaster}; if the manager's client fails without having
     * applied any of {@code expected}, once more on the new master's host. Applying part of a set
     * twice is what must never happen: MariaDB would commit those transactions again.
     *
     * @return where and with what it was replayed, for the report
     */
    static String replay(ServerConnection newMaster, Path saved, GtidSet expected, RemoteShells shells, Path workdir) {
        ServerConfig target = newMaster.config();
        String client = newMaster.dialect().sqlClient(target.get(Parameter.CLIENT_BINDIR).orElse(""));
        Optional<Path> local = onThisMachine(client);
        if (local.isPresent()) {
            try {
                return fromManager(target, local.get(), saved, workdir);
            } catch (RuntimeException e) {
                GtidSet now = newMaster.readState().gtid().executed();
                if (!expected.intersect(now).isEmpty()) {
                    throw e;
                }
                log.warn("{}: replaying with the manager's {} failed and applied nothing ({}); replaying on its host",
                        target.displayName(), local.get(), e.getMessage());
            }
        } else {
            log.info("{}: no {} on the manager's PATH; replaying the saved events on its host", target.displayName(),
                    client);
        }
        return onNewMasterHost(target, client, saved, shells.shellFor(target));
    }

    private static String fromManager(ServerConfig target, Path client, Path saved, Path workdir) {
        Path options = ClientOptions.writeLocal(workdir, target.user(), target.password(), target.address(),
                target.port());
        try {
            RemoteCommand replay = RemoteCommand.of(client.toString(), "--defaults-extra-file=" + options,
                    "--binary-mode");
            CommandResult r = run(LocalShell.INSTANCE, replay, () -> open(saved));
            check(r, target, client.toString());
            log.info("{}: replayed the saved events from the manager's host with {} in {} ms", target.displayName(),
                    client, r.took().toMillis());
            return "with " + client + " on the manager's host";
        } finally {
            delete(options);
        }
    }

    static String onNewMasterHost(ServerConfig target, String client, Path saved, RemoteShell shell) {
        byte[] options = ClientOptions.text(target.user(), target.password(), target.address(), target.port())
                .getBytes(StandardCharsets.UTF_8);
        RemoteCommand replay = RemoteCommand.of("sh", "-c", REMOTE_SCRIPT, "sh", String.valueOf(options.length),
                client, target.remoteWorkdir());
        CommandResult r = run(shell, replay, () -> new SequenceInputStream(new ByteArrayInputStream(options),
                open(saved)));
        check(r, target, client);
        log.info("{}: replayed the saved events on {} with {} in {} ms", target.displayName(), shell.target(), client,
                r.took().toMillis());
        return "with " + client + " on " + shell.target() + " (events streamed over SSH)";
    }

    private static CommandResult run(RemoteShell shell, RemoteCommand command, Supplier<InputStream> input) {
        try (InputStream in = input.get()) {
            return shell.run(command, TIMEOUT, in, OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the saved events", e);
        }
    }

    private static void check(CommandResult r, ServerConfig target, String client) {
        if (!r.succeeded()) {
            throw new Mha4jException("replaying the saved events on " + target.displayName() + " failed (" + client
                    + " exited " + r.exitCode() + "): " + r.firstErrorLine());
        }
    }

    /** {@code client} as a path on this machine: itself when it names a file here, else its name on PATH. */
    static Optional<Path> onThisMachine(String client) {
        Path named = Path.of(client);
        if (client.contains("/") && Files.isExecutable(named)) {
            return Optional.of(named);
        }
        String program = named.getFileName().toString();
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Optional.of(Path.of(dir, program));
            }
        }
        return Optional.empty();
    }

    private static InputStream open(Path saved) {
        try {
            return Files.newInputStream(saved);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the saved events " + saved, e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", file, e.getMessage());
        }
    }
}
