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
import io.mha4j.remote.RemoteShellException;
import io.mha4j.remote.RemoteShells;
import io.mha4j.server.Dialect;
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
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays saved events on the new master with the flavor's command-line client, which handles
 * everything the binlog tool prints (its delimiters, {@code BINLOG} statements, client commands).
 * From the manager's host when the client is there ({@code client_bindir}, else on PATH: MHA's
 * manager host has it, as the tutorial's symlink step shows): a local process fed from the saved
 * file, no SSH at all. Otherwise on the new master's host, as MHA does, in one remote command. On
 * either host one standard input carries the client's option file and then the events: no file
 * holds the password, no directory is created or removed.
 */
final class EventReplay {
    private static final Logger log = LoggerFactory.getLogger(EventReplay.class);
    static final Duration TIMEOUT = Duration.ofMinutes(30);
    /**
     * The client reads its option file from {@code /dev/fd/3}: a pipe that {@code dd} fills with
     * the first {@code $1} bytes of standard input ({@code bs=1} reads no byte more) and closes;
     * the client reads its options to their end before any statement, so the rest of standard input
     * ({@code 4}, restored as {@code 0}) is the events. The password is on no command line and in
     * no file: nothing is left behind however the command ends, a {@code kill -KILL} included.
     * {@code --line-numbers} (the default, which a host's {@code my.cnf} may turn off) makes a
     * statement's error say {@code at line N}: see {@link #neverConnected}.
     */
    static final String SCRIPT = "{ dd bs=1 count=\"$1\" 2>/dev/null | { \"$2\" --defaults-extra-file=/dev/fd/3"
            + " --binary-mode --line-numbers 3<&0 <&4 4<&-; }; } 4<&0";
    /**
     * What the MySQL and MariaDB clients print, exiting 1, when they could not connect or log in
     * (1040 too many connections, 1045 access denied, 1129 host blocked, 1130 host not allowed,
     * 1251/2059/1524 authentication plugin missing, 2002/2003 cannot connect, 2005 unknown host,
     * 2026 TLS error, 2061 secure connection required, 3159 insecure transport refused). In batch
     * mode, an error of a statement says {@code ERROR n (state) at line k:}: one of these without
     * a line was printed before any input was read.
     */
    private static final Pattern NOT_CONNECTED = Pattern.compile(
            "^ERROR (1040|1045|1129|1130|1251|1524|2002|2003|2005|2026|2059|2061|3159) \\([0-9A-Z]{5}\\): ");

    private EventReplay() {}

    /**
     * Replays {@code saved} on {@code newMaster}; if the manager's client could not even connect
     * (and none of {@code expected} is there), once more on the new master's host. Any other
     * failure — an error in the events, a timeout, an interruption — fails the replay: whether part
     * of it was applied is then unknown, and applying part of a set twice is what must never
     * happen (MariaDB would commit those transactions again).
     *
     * @return where and with what it was replayed, for the report
     */
    static String replay(ServerConnection newMaster, Path saved, GtidSet expected, RemoteShells shells) {
        ServerConfig target = newMaster.config();
        return replay(
                target,
                client(target, newMaster.dialect()),
                saved,
                expected,
                () -> newMaster.readState().gtid().executed(),
                () -> shells.shellFor(target),
                TIMEOUT);
    }

    /**
     * @param executed what the new master has executed now
     * @param host the new master's host
     */
    static String replay(
            ServerConfig target,
            String client,
            Path saved,
            GtidSet expected,
            Supplier<GtidSet> executed,
            Supplier<RemoteShell> host,
            Duration timeout) {
        Optional<Path> local = onThisMachine(client);
        if (local.isPresent()) {
            String program = local.get().toString();
            Optional<String> done = locally(
                    attempt(LocalShell.INSTANCE, target, program, saved, timeout), target, program, expected, executed);
            if (done.isPresent()) {
                return done.get();
            }
        } else {
            log.info(
                    "{}: no {} on the manager's PATH; replaying the saved events on its host",
                    target.displayName(),
                    client);
        }
        return onHost(target, client, saved, host, timeout);
    }

    /**
     * What became of a replay by the manager's own client ({@code r}): where it was replayed, or
     * empty when the client could not even connect and none of {@code expected} is on the new
     * master, so that its host may replay them instead.
     *
     * @throws Mha4jException when it failed otherwise: whether part was applied is then unknown
     */
    static Optional<String> locally(
            CommandResult r, ServerConfig target, String program, GtidSet expected, Supplier<GtidSet> executed) {
        if (r.succeeded()) {
            log.info(
                    "{}: replayed the saved events from the manager's host with {} in {} ms",
                    target.displayName(),
                    program,
                    r.took().toMillis());
            return Optional.of("with " + program + " on the manager's host");
        }
        if (!neverConnected(r)) {
            throw failed(r, target, program, "the manager's host");
        }
        GtidSet there = expected.intersect(executed.get());
        if (!there.isEmpty()) {
            throw new Mha4jException("replaying the saved events on " + target.displayName() + " from the manager's"
                    + " host failed to connect (" + errorLine(r) + "), yet " + there + " of them are there"
                    + " now: not replaying them again");
        }
        log.warn(
                "{}: the manager's {} could not connect ({}): nothing was replayed; replaying on its host",
                target.displayName(),
                program,
                errorLine(r));
        return Optional.empty();
    }

    /** Replays {@code saved} on the new master's host, with the flavor's client, in one remote command. */
    static String onHost(ServerConnection newMaster, Path saved, RemoteShells shells) {
        ServerConfig target = newMaster.config();
        return onHost(target, client(target, newMaster.dialect()), saved, () -> shells.shellFor(target), TIMEOUT);
    }

    /** The flavor's command-line client for {@code target}: in its {@code client_bindir}, else by name. */
    static String client(ServerConfig target, Dialect dialect) {
        return dialect.sqlClient(target.get(Parameter.CLIENT_BINDIR).orElse(""));
    }

    /** Replays {@code saved} on the new master's host, with its {@code client}, in one remote command. */
    static String onHost(ServerConfig target, String client, Path saved, Supplier<RemoteShell> host, Duration timeout) {
        RemoteShell shell = host.get();
        CommandResult r = attempt(shell, target, client, saved, timeout);
        if (!r.succeeded()) {
            throw failed(r, target, client, shell.target());
        }
        log.info(
                "{}: replayed the saved events on {} with {} in {} ms",
                target.displayName(),
                shell.target(),
                client,
                r.took().toMillis());
        return "with " + client + " on " + shell.target() + " (events streamed over SSH)";
    }

    /** Runs {@code client} on {@code shell}'s host, its standard input the option file, then the events. */
    static CommandResult attempt(RemoteShell shell, ServerConfig target, String client, Path saved, Duration timeout) {
        return attempt(shell, target, client, open(saved), saved.toString(), timeout);
    }

    /**
     * Runs {@code client} on {@code shell}'s host, its standard input the option file, then {@code
     * events} to their end.
     *
     * @param from where the events come from, for messages
     */
    static CommandResult attempt(
            RemoteShell shell, ServerConfig target, String client, InputStream events, String from, Duration timeout) {
        byte[] options = ClientOptions.text(target.user(), target.password(), target.address(), target.port())
                .getBytes(StandardCharsets.UTF_8);
        RemoteCommand replay = RemoteCommand.of("sh", "-c", SCRIPT, "sh", String.valueOf(options.length), client);
        try (InputStream in = new SequenceInputStream(new ByteArrayInputStream(options), events)) {
            return shell.run(replay, timeout, in, OutputStream.nullOutputStream());
        } catch (RemoteShellException e) {
            boolean mayHaveRun =
                    e.kind() == RemoteShellException.Kind.TIMEOUT || e.kind() == RemoteShellException.Kind.IO;
            throw new Mha4jException(
                    "replaying the saved events on " + target.displayName() + " with " + client
                            + " on " + shell.target() + " did not end normally (" + e.getMessage() + "): "
                            + (mayHaveRun
                                    ? "whether some were applied is unknown, so they are not replayed again"
                                    : "nothing was replayed"),
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the saved events " + from, e);
        }
    }

    /** Whether the client failed before it could have applied anything: it did not connect, or was refused. */
    static boolean neverConnected(CommandResult r) {
        List<String> errors =
                r.stderr().lines().filter(l -> l.startsWith("ERROR")).toList();
        return r.exitCode() == 1
                && errors.size() == 1
                && NOT_CONNECTED.matcher(errors.get(0)).find();
    }

    private static Mha4jException failed(CommandResult r, ServerConfig target, String client, String where) {
        return new Mha4jException("replaying the saved events on " + target.displayName() + " failed (" + client
                + " on " + where + " exited " + r.exitCode() + "): " + errorLine(r));
    }

    /** The client's first {@code ERROR} line, past warnings such as a deprecated program name; else its first line. */
    private static String errorLine(CommandResult r) {
        return r.stderr().lines().filter(l -> l.startsWith("ERROR")).findFirst().orElse(r.firstErrorLine());
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
}
