package io.mha4j.internal.failover;

import io.mha4j.DataCompensator;
import io.mha4j.Mha4jException;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.Compensation;
import io.mha4j.failover.CompensationRequest;
import io.mha4j.gtid.GtidSet;
import io.mha4j.internal.remote.PrivateDirectory;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShell;
import io.mha4j.server.BinlogPosition;
import io.mha4j.server.Dialect;
import io.mha4j.server.ServerConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MHA's {@code save_binary_logs} and {@code apply_diff_relay_logs}, by GTID: on the dead
 * master's host, the flavor's own binlog tool prints the transactions the new master lacks
 * ({@code mariadb-binlog --start-position=<its GTID position>}, {@code mysqlbinlog
 * --exclude-gtids}) from the file the latest replica was reading on; the text is streamed to
 * the manager (kept in {@code manager_workdir} as evidence) and on to the new master's host,
 * where the command-line client replays it. Replaying the vendor tool's output is what MHA
 * does and handles every event kind (row and statement events, DDL, transactions of any size)
 * with the original GTIDs, so the new master's binary log hands them on to the replicas.
 */
public final class BinlogCompensator implements DataCompensator {
    private static final Logger log = LoggerFactory.getLogger(BinlogCompensator.class);
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(30);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final Pattern NUMBERED = Pattern.compile("\\.\\d+$");

    @Override
    public String name() {
        return "binlog";
    }

    /** A host holding the dead master's binary logs: its own, or a binlog server's copy. */
    private record Source(ServerConfig server, RemoteShell shell, String what) {}

    @Override
    public Compensation compensate(CompensationRequest request) {
        ServerConfig dead = request.deadMaster();
        if (request.latestReceived().isEmpty()) {
            return Compensation.none("no replica ever received from the dead master: no binary log to start from");
        }
        BinlogPosition from = request.latestReceived().get();
        List<String> tried = new ArrayList<>();
        if (request.deadMasterShell().isEmpty()) {
            tried.add("the dead master's host " + dead.sshHost() + " does not answer over SSH");
        }
        for (Source source : sources(request)) {
            List<String> binlogs;
            try {
                binlogs = binlogsFrom(source.shell(), source.server(), from);
            } catch (RuntimeException e) {
                tried.add(source.what() + ": " + e.getMessage());
                log.warn("{}: cannot list binary logs: {}", source.what(), e.getMessage());
                continue;
            }
            if (binlogs.isEmpty()) {
                tried.add(source.what() + " has no binary log " + from.file() + " or later in master_binlog_dir "
                        + String.join(",", source.server().masterBinlogDirs()));
                continue;
            }
            // Starting from a later file would skip the purged one's tail unseen: that is not a check.
            if (!binlogs.get(0).endsWith("/" + from.file())) {
                tried.add(source.what() + " no longer has " + from.file() + " (purged?), where the latest replica"
                        + " stopped; its oldest later binary log is " + binlogs.get(0));
                continue;
            }
            try {
                return recover(request, source, from, binlogs);
            } catch (Unreadable e) {
                tried.add(source.what() + ": " + e.getMessage());
                log.warn("{}: cannot read the binary logs: {}", source.what(), e.getMessage());
            }
        }
        return Compensation.none(String.join("; ", tried) + ": transactions no replica received could not be"
                + " read" + (request.config().binlogServers().isEmpty() ? " (no [binlogN] server is configured)" : ""));
    }

    /** The dead master's host when it answers over SSH, then every configured binlog server. */
    private static List<Source> sources(CompensationRequest request) {
        List<Source> sources = new ArrayList<>();
        request.deadMasterShell().ifPresent(shell -> sources.add(new Source(request.deadMaster(), shell,
                "the dead master " + request.deadMaster().displayName())));
        for (ServerConfig binlog : request.config().binlogServers()) {
            try {
                sources.add(new Source(binlog, request.shells().shellFor(binlog), "binlog server [" + binlog.block()
                        + "] " + binlog.sshHost()));
            } catch (RuntimeException e) {
                log.warn("binlog server [{}] cannot be reached: {}", binlog.block(), e.getMessage());
            }
        }
        return sources;
    }

    private Compensation recover(CompensationRequest request, Source source, BinlogPosition from,
            List<String> binlogs) {
        ServerConfig dead = request.deadMaster();
        ServerConnection newMaster = request.newMaster();
        Dialect dialect = newMaster.dialect();
        GtidSet have = newMaster.readState().gtid().executed();
        String name = "saved_master_binlog_from_" + dead.hostname() + "_" + dead.port() + "_"
                + LocalDateTime.now().format(STAMP) + ".sql";
        Path saved = request.workdir().resolve(name);
        String what = "binary logs of " + dead.displayName() + " on " + source.what() + " from " + from.file()
                + " (" + binlogs.size() + " file(s))";

        try {
            saveTransactions(source.shell(), source.server(), source.what(), dialect, have, binlogs, saved);
        } catch (RuntimeException e) {
            throw new Unreadable(e);
        }
        List<String> printed = SavedEvents.gtids(saved);
        if (printed.isEmpty()) {
            log.info("{}: the binary logs on {} hold no transaction the new master lacks (saved in {})",
                    dead.displayName(), source.what(), saved);
            return new Compensation(what, Optional.empty(), Optional.of(saved.toString()),
                    "nothing to recover: the latest replica had received every transaction");
        }
        GtidSet toApply = dialect.parseGtids(String.join(",", printed)).subtract(have);
        log.info("{}: {} transaction(s) only the dead master had: {} (from {}, saved in {})", dead.displayName(),
                toApply.count(), toApply, source.what(), saved);
        apply(request, newMaster, saved, name);
        GtidSet after = newMaster.readState().gtid().executed();
        if (!after.contains(toApply)) {
            throw new Mha4jException("applying the saved events to " + newMaster.config().displayName()
                    + " left " + toApply.subtract(after) + " missing (saved events in " + saved + ")");
        }
        return new Compensation(what, Optional.of(toApply), Optional.of(saved.toString()),
                "applied on " + newMaster.config().displayName() + " with " + dialect.sqlClient(bindir(newMaster.config())));
    }

    /**
     * The binary logs from {@code from.file()} on, oldest first, found in {@code master_binlog_dir}
     * of {@code server}'s host (also what the old master's guard lists to save errant transactions).
     */
    public static List<String> binlogsFrom(RemoteShell shell, ServerConfig dead, BinlogPosition from) {
        String prefix = NUMBERED.matcher(from.file()).replaceFirst("");
        for (String dir : dead.masterBinlogDirs()) {
            CommandResult ls = shell.run(RemoteCommand.of("ls", "-1", dir), LIST_TIMEOUT);
            if (!ls.succeeded()) {
                continue;
            }
            List<String> files = Arrays.stream(ls.stdout().split("\n"))
                    .map(String::trim)
                    .filter(f -> f.startsWith(prefix + ".") && NUMBERED.matcher(f).find()
                            && f.substring(prefix.length() + 1).chars().allMatch(Character::isDigit))
                    .filter(f -> f.compareTo(from.file()) >= 0)
                    .sorted()
                    .map(f -> dir + "/" + f)
                    .toList();
            if (!files.isEmpty()) {
                return files;
            }
        }
        return List.of();
    }

    /**
     * Prints, with the flavor's own binlog tool on {@code server}'s host, the transactions of
     * {@code binlogs} that are not in {@code have}, and copies the text to {@code saved} on this
     * machine. Used for a dead master's last transactions and for an old master's errant ones.
     *
     * @param what the source, for messages
     */
    public static void saveTransactions(RemoteShell shell, ServerConfig server, String what, Dialect dialect,
            GtidSet have, List<String> binlogs, Path saved) {
        String name = saved.getFileName().toString();
        try (PrivateDirectory dir = PrivateDirectory.create(shell, server.remoteWorkdir())) {
            String remote = dir.resolve(name);
            RemoteCommand print = RemoteCommand.of(dialect.binlogToSql(bindir(server), have, binlogs, remote));
            CommandResult r = shell.run(print, TOOL_TIMEOUT);
            if (!r.succeeded()) {
                // A log cut off mid-event (a crash, a binlog server's copy in flight) ends in a read
                // error after every complete event was printed: keep those, the GTID check decides.
                if (shell.stat(remote).map(f -> f.size() > 0).orElse(false)) {
                    log.warn("{}: {} exited {} ({}); using the events it printed", what, print,
                            r.exitCode(), r.firstErrorLine());
                } else {
                    throw new Mha4jException("saving the binary logs of " + what + " failed on " + shell.target() + ": "
                            + print + " exited " + r.exitCode() + ": " + r.firstErrorLine());
                }
            }
            try (InputStream in = shell.read(remote, 0)) {
                Files.copy(in, saved, StandardCopyOption.REPLACE_EXISTING);
            }
            log.info("{}: saved the transactions the master lacks with {} ({} bytes, {})", what,
                    print, Files.size(saved), saved);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy saved events from " + shell.target() + " to " + saved, e);
        }
    }

    /** Copies the saved events to the new master's host and replays them there with the client. */
    private static void apply(CompensationRequest request, ServerConnection newMaster, Path saved, String name) {
        ServerConfig target = newMaster.config();
        RemoteShell shell = request.shells().shellFor(target);
        try (PrivateDirectory dir = PrivateDirectory.create(shell, target.remoteWorkdir())) {
            String events = dir.resolve(name);
            try (InputStream in = Files.newInputStream(saved)) {
                shell.write(events, in);
            }
            // The password goes into a file in a directory only we can enter, never on a command line.
            String credentials = dir.clientOptions(target.user(), target.password(), target.address(), target.port());
            String client = newMaster.dialect().sqlClient(bindir(target));
            RemoteCommand replay = RemoteCommand.of("sh", "-c", "exec " + RemoteCommand.quote(client)
                    + " --defaults-extra-file=" + RemoteCommand.quote(credentials) + " --binary-mode < "
                    + RemoteCommand.quote(events));
            CommandResult r = shell.run(replay, TOOL_TIMEOUT);
            if (!r.succeeded()) {
                throw new Mha4jException("replaying the saved events on " + target.displayName() + " failed ("
                        + client + " exited " + r.exitCode() + "): " + r.firstErrorLine());
            }
            log.info("{}: replayed the saved events with {} in {} ms", target.displayName(), client,
                    r.took().toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send saved events to " + shell.target(), e);
        }
    }



    /** The binary logs are listed but cannot be read (permissions, a file gone): the next source may do. */
    private static final class Unreadable extends RuntimeException {
        Unreadable(RuntimeException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static String bindir(ServerConfig server) {
        return server.get(Parameter.CLIENT_BINDIR).orElse("");
    }

}
