package io.mha4j.internal.failover;

import io.mha4j.DataCompensator;
import io.mha4j.Mha4jException;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.Compensation;
import io.mha4j.failover.CompensationRequest;
import io.mha4j.failover.TimedStep;
import io.mha4j.gtid.GtidSet;
import io.mha4j.gtid.MariadbGtidSet;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShell;
import io.mha4j.remote.RemoteShells;
import io.mha4j.server.BinlogPosition;
import io.mha4j.server.Dialect;
import io.mha4j.server.ServerConnection;
import io.mha4j.spi.DataCompensatorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MHA's {@code save_binary_logs} and {@code apply_diff_relay_logs}, by GTID: on the dead
 * master's host, the flavor's own binlog tool prints the transactions the new master lacks
 * ({@code mariadb-binlog --start-position=<its GTID position>}, {@code mysqlbinlog
 * --exclude-gtids}) from the file the latest replica was reading on — from where that replica
 * had executed when the new master holds all it had, not searched from the file's start; its output is streamed
 * straight into {@code manager_workdir} (kept as evidence: MHA's saved binlog file) and the
 * command-line client replays it on the new master — from the manager's host when the client is
 * there, else on the new master's host ({@link EventReplay}). Replaying the vendor tool's output is
 * what MHA does and handles every event kind (row and statement events, DDL, transactions of any
 * size) with the original GTIDs, so the new master's binary log hands them on to the replicas.
 *
 * <p>On the failover's critical path, the host's shell is {@linkplain RemoteShell#connect
 * connected} first — the monitor keeps the master's host connected with a warm shell, so neither
 * a connection nor a login shell is paid here; where it could not, phase 2's probe paid one login
 * shell while a warm shell started beside it — and then two commands run there (list the binary
 * logs, run the tool), with no file on the host and no second transfer. Each step is timed in
 * the {@link Compensation}'s steps.
 *
 * <p>With {@code merge_recovered_transactions=1} and the client on the manager's host, the merged
 * runs are replayed while the tool still prints ({@link LiveReplay}); if the tool's text then
 * proves untrustworthy, what was replayed stays and the result is {@link Compensation#partial}.
 */
public final class BinlogCompensator implements DataCompensator, DataCompensatorProvider {
    private static final Logger log = LoggerFactory.getLogger(BinlogCompensator.class);
    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(30);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final Pattern NUMBERED = Pattern.compile("\\.\\d+$");

    @Override
    public String name() {
        return "binlog";
    }

    /** Holds nothing of one application: its own provider. */
    @Override
    public DataCompensator create(ApplicationConfig config) {
        return this;
    }

    /** A host holding the dead master's binary logs: its own, or a binlog server's copy. */
    private record Source(ServerConfig server, RemoteShell shell, String what) {}

    /**
     * What the new master held when the tool printed what it lacked, what the tool printed, and
     * how it was merged as it arrived ({@code merge_recovered_transactions=1}).
     */
    private record Read(GtidSet have, BinlogText text, Optional<TransactionMerge.Result> merged) {}

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
        StepTimer steps = StepTimer.oneAfterAnother(dead.displayName() + ": compensation", System::nanoTime);
        // Replayed from a source whose text then proved untrustworthy: recovered, yet not everything was checked.
        Optional<Unreadable> partly = Optional.empty();
        for (Source source : sources(request)) {
            List<String> binlogs;
            try {
                // Reuses what the monitor prepared, starts no warm shell: the failover must not wait for a login shell.
                steps.time(
                        "connect",
                        () -> source.shell().connect(source.server().sshConnectionTimeout()),
                        how -> source.what() + ": " + how);
                binlogs = steps.time(
                        "locate",
                        () -> binlogsFrom(source.shell(), source.server(), from),
                        found -> found.size() + " binary log(s) from " + from.file() + " on " + source.what());
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
                Compensation c = recover(request, source, from, binlogs, steps);
                return partly.map(p -> p.before(c)).orElse(c);
            } catch (Unreadable e) {
                tried.add(source.what() + ": " + e.getMessage()
                        + e.replayed
                                .map(r -> " (" + r.count() + " transaction(s) it printed before were replayed: " + r
                                        + ")")
                                .orElse(""));
                log.warn("{}: cannot read the binary logs: {}", source.what(), e.getMessage());
                if (e.replayed.isPresent()) {
                    partly = Optional.of(partly.map(p -> p.and(e)).orElse(e));
                }
            }
        }
        String note = String.join("; ", tried) + ": transactions no replica received could not be" + " recovered"
                + (request.config().binlogServers().isEmpty() ? " (no [binlogN] server is configured)" : "");
        return partly.map(p -> p.partial(note, steps.list())).orElseGet(() -> Compensation.none(note, steps.list()));
    }

    /** The dead master's host when it answers over SSH, then every configured binlog server. */
    private static List<Source> sources(CompensationRequest request) {
        List<Source> sources = new ArrayList<>();
        request.deadMasterShell()
                .ifPresent(shell -> sources.add(new Source(
                        request.deadMaster(),
                        shell,
                        "the dead master " + request.deadMaster().displayName())));
        for (ServerConfig binlog : request.config().binlogServers()) {
            try {
                sources.add(new Source(
                        binlog,
                        request.shells().shellFor(binlog),
                        "binlog server [" + binlog.block() + "] " + binlog.sshHost()));
            } catch (RuntimeException e) {
                log.warn("binlog server [{}] cannot be reached: {}", binlog.block(), e.getMessage());
            }
        }
        return sources;
    }

    /**
     * Saves and replays what {@code source} holds that the new master lacks: read from where the
     * replica it caught up with had executed, when that is known to hold nothing it lacks before;
     * else, or when the text read from there cannot be trusted, from the first log's start.
     *
     * @throws Unreadable when the source's text cannot be trusted, with what was replayed of it
     */
    private Compensation recover(
            CompensationRequest request, Source source, BinlogPosition from, List<String> binlogs, StepTimer steps) {
        ServerConnection newMaster = request.newMaster();
        // Read before the tool's step and counted in it (steps are timed one after another): what the tool is
        // asked for, and what the live replay may not repeat.
        GtidSet have = newMaster.readState().gtid().executed();
        long offset = offset(request, source, from, have);
        if (offset == 0) {
            return recover(request, source, from, binlogs, steps, true, have, 0);
        }
        try {
            return recover(request, source, from, binlogs, steps, true, have, offset);
        } catch (Unreadable e) {
            log.warn(
                    "{}: the binary log {} read from byte {} cannot be trusted ({}); reading it from its start",
                    source.what(),
                    from.file(),
                    offset,
                    e.getMessage());
            return again(e, request, source, from, binlogs, steps, true);
        }
    }

    /**
     * The same logs read again from the first one's start, after {@code earlier} failed: what it
     * replayed stays (the new master's state is read again, so it is not printed twice) and is
     * part of the result, or of the failure.
     */
    private Compensation again(
            Unreadable earlier,
            CompensationRequest request,
            Source source,
            BinlogPosition from,
            List<String> binlogs,
            StepTimer steps,
            boolean mayMerge) {
        GtidSet have = request.newMaster().readState().gtid().executed();
        try {
            return earlier.before(recover(request, source, from, binlogs, steps, mayMerge, have, 0));
        } catch (Unreadable later) {
            throw earlier.and(later);
        }
    }

    /**
     * Where in {@code from}'s file the tool may start: the executed position of the replica the
     * new master caught up with, when the new master holds everything that replica had executed
     * (not so when it held errant transactions, which were not copied), in one replication
     * domain, the position is in the file the tool starts with, and the source is the dead
     * master's own host (a binlog server's copy could differ in bytes); else 0, the file's start.
     */
    private static long offset(CompensationRequest request, Source source, BinlogPosition from, GtidSet have) {
        if (!source.server().equals(request.deadMaster())
                || !request.newMaster().dialect().binlogToolStartsAtByte()
                || !oneDomain(have)) {
            return 0;
        }
        return request.latestExecuted()
                .filter(e -> e.position().file().equals(from.file())
                        && e.position().position() > 4
                        && e.position().position() <= from.position()
                        && have.contains(e.gtids()))
                .map(e -> e.position().position())
                .orElse(0L);
    }

    /**
     * Whether {@code have} is one MariaDB replication domain. With several, a replica applying in
     * parallel commits the domains' transactions out of their order in the log, so its executed
     * position need not have every transaction before it behind; and a domain printed nothing of
     * could not be checked for a gap ({@link BinlogText#gapAfter}).
     */
    private static boolean oneDomain(GtidSet have) {
        return have instanceof MariadbGtidSet m && m.domains().size() == 1;
    }

    /**
     * Saves and replays what {@code source} holds that the new master lacks, reading from {@code offset}.
     *
     * @param mayMerge whether {@code merge_recovered_transactions=1} may be followed (not after a
     *     merge of this source failed)
     * @param have what the new master holds, read just before
     * @throws Unreadable when the source's text cannot be trusted, with what was replayed of it
     */
    private Compensation recover(
            CompensationRequest request,
            Source source,
            BinlogPosition from,
            List<String> binlogs,
            StepTimer steps,
            boolean mayMerge,
            GtidSet have,
            long offset) {
        ServerConfig dead = request.deadMaster();
        ServerConnection newMaster = request.newMaster();
        Dialect dialect = newMaster.dialect();
        Path saved = unused(
                request.workdir(),
                "saved_master_binlog_from_" + dead.hostname() + "_" + dead.port() + "_"
                        + LocalDateTime.now().format(STAMP));
        String what = "binary logs of " + dead.displayName() + " on " + source.what() + " from " + from.file()
                + (offset > 0 ? " byte " + offset : "") + " (" + binlogs.size() + " file(s))";

        boolean merge = mayMerge
                && request.config().value(Parameter.MERGE_RECOVERED_TRANSACTIONS)
                && mergeable(dialect, newMaster);
        Path mergedFile = saved.resolveSibling(saved.getFileName().toString().replaceFirst("\\.sql$", "_merged.sql"));
        BinlogText.Scan scan = new BinlogText.Scan(offset);
        Optional<LiveReplay> live = merge ? LiveReplay.of(newMaster, mergedFile, scan, have) : Optional.empty();
        // Closed in reverse: the live client is waited for before the limit goes back.
        try (PacketLimit raised = PacketLimit.raise(newMaster);
                LiveReplay ending = live.orElse(null)) {
            Read read;
            try {
                read = steps.time(
                        "tool",
                        () -> print(
                                source,
                                dialect,
                                have,
                                binlogs,
                                offset,
                                saved,
                                scan,
                                merge,
                                mergedFile,
                                live,
                                newMaster),
                        r -> "printed on " + source.shell().target() + " and streamed to the manager: "
                                + SavedEvents.size(saved) + " bytes into " + saved
                                + r.merged()
                                        .map(m -> "; " + m.merged() + " transaction(s) merged into " + m.commits()
                                                + " commit(s) as they arrived, in " + mergedFile)
                                        .orElse("")
                                + live.map(l -> "; " + l.releasedSoFar() + " of it replayed on "
                                                + newMaster.config().displayName() + " while the tool printed")
                                        .orElse(""));
            } catch (Unreadable e) {
                throw e.replayed(replayedBeforeDistrust(live, newMaster, have, scan, steps), what, saved);
            }
            if (live.isPresent() && read.merged().isEmpty() && live.get().atRelease() > 0) {
                // What was released stays; the rest is asked of the same source again, printed as it is.
                Unreadable merging = new Unreadable(new Mha4jException("the merge of its text failed"))
                        .replayed(replayedBeforeDistrust(live, newMaster, have, scan, steps), what, saved);
                log.warn(
                        "{}: the merge failed after {} was replayed; printing the rest again, unmerged",
                        newMaster.config().displayName(),
                        merging.replayed.map(GtidSet::toString).orElse("nothing"));
                return again(merging, request, source, from, binlogs, steps, false);
            }
            GtidSet toApply;
            try {
                // Timed too: the steps' sum is what the report calls the compensation's time, so nothing may run
                // between them.
                toApply = steps.time(
                        "check",
                        () -> lacking(dialect, read, saved, offset),
                        lacking -> lacking.count() + " transaction(s) printed, none of them on the new master");
            } catch (Unreadable e) {
                throw e.replayed(replayedBeforeDistrust(live, newMaster, have, scan, steps), what, saved);
            }
            if (toApply.isEmpty()) {
                log.info(
                        "{}: the binary logs on {} hold no transaction the new master lacks (saved in {})",
                        dead.displayName(),
                        source.what(),
                        saved);
                return Compensation.checked(
                        what,
                        Optional.empty(),
                        Optional.of(saved.toString()),
                        "nothing to recover: the latest replica had received every transaction",
                        steps.list());
            }
            log.info(
                    "{}: {} transaction(s) only the dead master had: {} (from {}, saved in {})",
                    dead.displayName(),
                    toApply.count(),
                    toApply,
                    source.what(),
                    saved);
            Optional<TransactionMerge.Result> merged = read.merged().filter(m -> m.commits() > 0);
            Path events = read.merged().isPresent() && (live.isPresent() || merged.isPresent()) ? mergedFile : saved;
            String how = steps.time(
                    "replay",
                    () -> live.isPresent() && events == mergedFile
                            ? replayLive(live.get(), newMaster, mergedFile, toApply, request.shells())
                            : EventReplay.replay(newMaster, events, toApply, request.shells()),
                    h -> toApply.count() + " transaction(s) " + h);
            steps.time(
                    "verify",
                    () -> {
                        GtidSet after = newMaster.readState().gtid().executed();
                        if (!after.contains(toApply)) {
                            throw new Mha4jException("applying the saved events to "
                                    + newMaster.config().displayName() + " left " + toApply.subtract(after)
                                    + " missing (saved events in " + saved + ")");
                        }
                        return after;
                    },
                    after -> newMaster.config().displayName() + " holds all " + toApply.count() + " transaction(s)");
            return Compensation.checked(
                    what,
                    Optional.of(toApply),
                    Optional.of(saved.toString()),
                    "applied on " + newMaster.config().displayName() + " " + how
                            + merged.map(m -> "; " + m.merged() + " of them committed as " + m.commits()
                                            + " transaction(s), each under the last GTID it holds"
                                            + " (merge_recovered_transactions=1)")
                                    .orElse(""),
                    steps.list());
        }
    }

    /** {@code <name>.sql} in {@code dir}, or {@code <name>_2.sql} and so on when another source wrote it this second. */
    private static Path unused(Path dir, String name) {
        Path p = dir.resolve(name + ".sql");
        for (int n = 2; Files.exists(p); n++) {
            p = dir.resolve(name + "_" + n + ".sql");
        }
        return p;
    }

    /** The tool's step: its text streamed into {@code saved}, read by {@code scan}, merged (and replayed) as it arrives. */
    private static Read print(
            Source source,
            Dialect dialect,
            GtidSet have,
            List<String> binlogs,
            long offset,
            Path saved,
            BinlogText.Scan scan,
            boolean merge,
            Path mergedFile,
            Optional<LiveReplay> live,
            ServerConnection newMaster) {
        TransactionMerge.Writing merging = !merge
                ? null
                : live.isPresent() ? TransactionMerge.into(mergedFile, live.get()) : TransactionMerge.into(mergedFile);
        try {
            BinlogText text;
            try {
                text = SavedEvents.print(
                        source.shell(),
                        source.server(),
                        source.what(),
                        dialect,
                        have,
                        binlogs,
                        offset,
                        saved,
                        scan,
                        merging);
            } catch (SavedEvents.Untrusted e) {
                if (merging != null) {
                    // Read to its end, so no other thread writes the merge: the runs complete in it may be released.
                    merging.finish();
                }
                throw new Unreadable(e);
            } catch (RuntimeException e) {
                // The stream failed: the thread that hands on its lines may still be at work, so nothing more goes.
                live.ifPresent(l -> l.hold("the tool's output could not be read to its end: " + e.getMessage()));
                throw new Unreadable(e);
            }
            Optional<TransactionMerge.Result> merged = Optional.empty();
            if (merging != null) {
                merged = merging.finish();
                if (merged.isEmpty()) {
                    log.warn(
                            "{}: {}; replaying the saved events as printed",
                            newMaster.config().displayName(),
                            merging.failure());
                }
            }
            return new Read(have, text, merged);
        } finally {
            if (merging != null) {
                merging.close();
            }
        }
    }

    /**
     * The client replaying as the tool printed is given the rest (the whole text is trusted now)
     * and waited for. If it never ran or never connected, nothing of it is on the new master, and
     * the merged file is replayed as without it.
     */
    private static String replayLive(
            LiveReplay live, ServerConnection newMaster, Path mergedFile, GtidSet toApply, RemoteShells shells) {
        String before = live.releasedSoFar();
        Supplier<GtidSet> executed = () -> newMaster.readState().gtid().executed();
        Optional<CommandResult> r;
        try {
            r = live.end(SavedEvents.size(mergedFile));
        } catch (RuntimeException e) {
            if (!toApply.intersect(executed.get()).isEmpty()) {
                throw e;
            }
            log.warn(
                    "{}: the client replaying as the tool printed did not run ({}): nothing was replayed;"
                            + " replaying the merged events now",
                    newMaster.config().displayName(),
                    e.getMessage());
            return EventReplay.replay(newMaster, mergedFile, toApply, shells);
        }
        return r.flatMap(result -> EventReplay.locally(result, newMaster.config(), live.program(), toApply, executed))
                .map(h -> h + ", fed as the tool printed them (" + before + " before its end)")
                .orElseGet(() -> EventReplay.onHost(newMaster, mergedFile, shells));
    }

    /**
     * When the tool's text cannot be trusted whole: the live replay's input ends at its last
     * release and the client is waited for; what it committed of the transactions the tool printed
     * to their end — and none other — is recovered, and returned. Empty without a live replay.
     */
    private static GtidSet replayedBeforeDistrust(
            Optional<LiveReplay> live,
            ServerConnection newMaster,
            GtidSet have,
            BinlogText.Scan scan,
            StepTimer steps) {
        if (live.isEmpty()) {
            return newMaster.dialect().parseGtids("");
        }
        return steps.time(
                "replay",
                () -> {
                    try {
                        live.get()
                                .end(live.get().atRelease())
                                .filter(r -> !r.succeeded())
                                .ifPresent(r -> log.warn(
                                        "{}: the client replaying as the tool printed exited {}: {}",
                                        newMaster.config().displayName(),
                                        r.exitCode(),
                                        r.firstErrorLine()));
                    } catch (RuntimeException e) {
                        log.warn(
                                "{}: the client replaying as the tool printed failed: {}",
                                newMaster.config().displayName(),
                                e.getMessage());
                    }
                    GtidSet printed =
                            BinlogText.exactly(newMaster.dialect(), scan.done().transactions());
                    return newMaster
                            .readState()
                            .gtid()
                            .executed()
                            .subtract(have)
                            .intersect(printed);
                },
                replayed -> replayed.isEmpty()
                        ? "nothing replayed before the tool's text proved untrustworthy"
                        : replayed.count() + " transaction(s) (" + replayed + ") replayed as the tool printed them,"
                                + " before its text proved untrustworthy");
    }

    /** Whether the flavor reads merged transactions right: MariaDB's GTID positions do, MySQL's sets would not. */
    private static boolean mergeable(Dialect dialect, ServerConnection newMaster) {
        if (!dialect.gtidIsPosition()) {
            log.warn(
                    "{}: merge_recovered_transactions=1 is ignored on {}: its GTID sets would miss merged transactions;"
                            + " replaying each as committed",
                    newMaster.config().displayName(),
                    dialect.flavor());
        }
        return dialect.gtidIsPosition();
    }

    /**
     * The transactions printed to their end, none of which the new master holds. Refuses a file
     * that would commit a transaction twice: the client replays the whole file,
     * and a printed transaction the new master already holds would be committed again under its
     * GTID — MariaDB does not skip it as MySQL's {@code GTID_NEXT} does (with {@code
     * gtid_strict_mode} it stops half-way on the out-of-order GTID instead). The tools are asked
     * for what the new master lacks, so this happens only when its GTID state is not a plain
     * position (holes, several server ids in a domain). Not filtered: cutting transactions out of
     * the tool's text would have to find their bounds among format description, rotate and
     * BINLOG events by parsing what only the tool should parse, and a wrong cut replays half a
     * transaction. The file stays for a human; the failover reports the possible loss.
     */
    private static GtidSet lacking(Dialect dialect, Read read, Path saved, long offset) {
        GtidSet finished = BinlogText.exactly(dialect, read.text().transactions());
        GtidSet printed = finished.union(BinlogText.exactly(dialect, read.text().unfinished()));
        GtidSet twice = printed.intersect(read.have());
        if (!twice.isEmpty()) {
            throw new Unreadable(new Mha4jException("the binlog tool printed " + twice.count() + " transaction(s) the"
                    + " new master already holds (" + twice + "): replaying " + saved + " would commit them twice,"
                    + " so it is not replayed"));
        }
        String gap = offset > 0 ? BinlogText.gapAfter(read.have(), printed) : "";
        if (!gap.isEmpty()) {
            throw new Unreadable(new Mha4jException("read from byte " + offset + ", " + gap + ": transactions before"
                    + " that byte may be missing, so " + saved + " is not replayed"));
        }
        return finished;
    }

    /**
     * The binary logs from {@code from.file()} on, oldest first, found in {@code master_binlog_dir}
     * of {@code server}'s host (also what the old master's guard lists to save errant transactions).
     */
    public static List<String> binlogsFrom(RemoteShell shell, ServerConfig dead, BinlogPosition from) {
        String prefix = NUMBERED.matcher(from.file()).replaceFirst("");
        for (String dir : dead.masterBinlogDirs()) {
            CommandResult ls = shell.run(RemoteCommand.of("ls", "-1", dir).repeatable(), LIST_TIMEOUT);
            if (!ls.succeeded()) {
                continue;
            }
            List<String> files = Arrays.stream(ls.stdout().split("\n"))
                    .map(String::trim)
                    .filter(f -> f.startsWith(prefix + ".")
                            && NUMBERED.matcher(f).find()
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
     * {@code binlogs} that are not in {@code have}, streamed into {@code saved} on this machine.
     * Used for a dead master's last transactions and for an old master's errant ones.
     *
     * @param what the source, for messages
     */
    public static void saveTransactions(
            RemoteShell shell,
            ServerConfig server,
            String what,
            Dialect dialect,
            GtidSet have,
            List<String> binlogs,
            Path saved) {
        SavedEvents.print(shell, server, what, dialect, have, binlogs, 0, saved, new BinlogText.Scan(), null);
    }

    /**
     * The binary logs are listed but cannot be read (permissions, a file gone), or what the tool
     * printed cannot be trusted whole: the next source may do. Carries what was replayed of the
     * text before that (while the tool printed): recovered, though the rest could not be checked.
     */
    private static final class Unreadable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private transient Optional<GtidSet> replayed = Optional.empty();
        private String source = "none";
        private transient Optional<String> saved = Optional.empty();

        Unreadable(RuntimeException cause) {
            super(cause.getMessage(), cause);
        }

        /** With what was replayed (if anything) of {@code source}'s text, saved in {@code saved}. */
        Unreadable replayed(GtidSet applied, String source, Path saved) {
            if (!applied.isEmpty()) {
                this.replayed = Optional.of(applied);
                this.source = source;
                this.saved = Optional.of(saved.toString());
            }
            return this;
        }

        /** What this and {@code later} replayed, {@code later} failing as it did. */
        Unreadable and(Unreadable later) {
            if (replayed.isEmpty()) {
                return later;
            }
            Unreadable both = new Unreadable(later);
            both.replayed =
                    Optional.of(later.replayed.map(r -> r.union(replayed.get())).orElse(replayed.get()));
            both.source = later.replayed.isPresent() ? later.source : source;
            both.saved = later.replayed.isPresent() ? later.saved : saved;
            return both;
        }

        /** What was replayed, as a compensation that could not check the rest. */
        Compensation partial(String note, List<TimedStep> steps) {
            return Compensation.partial(source, replayed.orElseThrow(), saved, note, steps);
        }

        /** {@code c}, which also holds what was replayed here before it. */
        Compensation before(Compensation c) {
            if (replayed.isEmpty()) {
                return c;
            }
            GtidSet earlier = replayed.get();
            return new Compensation(
                    c.source(),
                    Optional.of(c.applied().map(a -> a.union(earlier)).orElse(earlier)),
                    c.savedEvents(),
                    (c.applied().isEmpty() ? "nothing more to recover" : c.note()) + "; " + earlier.count()
                            + " transaction(s) (" + earlier + ") had been replayed before from " + source
                            + saved.map(f -> " (saved in " + f + ")").orElse(""),
                    c.checked(),
                    c.steps());
        }
    }
}
