package io.mha4j.check;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.internal.check.RouteLimits;
import io.mha4j.internal.concurrent.NamedDaemonThreads;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShell;
import io.mha4j.remote.RemoteShellException;
import io.mha4j.remote.RemoteShells;
import io.mha4j.remote.SshTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * check_ssh: can the manager reach every host, and can every host reach every other (the
 * pairs MHA tests, since its recovery copies binary logs between hosts)? Host-to-host routes are
 * tested by running OpenSSH's client on the source host, with the target's configured
 * options and host key policy; servers with {@code skip_init_ssh_check=1} are skipped, as in MHA.
 *
 * <p>mha4j's own failover uses the manager's routes only (it streams the dead master's binary
 * logs through the manager and drains relay logs where they are), so {@link #managerRoutesOnly()}
 * is what {@code check_repl} and the manager's start test — as MHA does itself when GTID
 * auto-positioning is on. {@code check_ssh} tests every pair, as {@code masterha_check_ssh}.
 *
 * <p>MHA tests a source's routes one after another, so the check grows with n·(n−1) (8 nodes:
 * 7 s on one machine). Here every route runs at once, within {@link RouteLimits}: at most
 * {@value #ROUTES_PER_CONNECTION} over one source connection and {@value #ROUTES_PER_TARGET}
 * into one target sshd; a source's routes start once the manager reached it. They are started
 * round by round — round r sends source i to the r-th server after it — so that the routes of
 * one moment aim at different targets. Servers that share an SSH target (several instances on
 * one host: same address, port, user and options) share the manager's connection, so a route
 * between two such targets is the very same command on the very same connection: it runs once
 * and every pair it stands for reports its result. The result keeps MHA's order, one pair per
 * pair of servers.
 */
public final class SshCheck {
    private static final Logger log = LoggerFactory.getLogger(SshCheck.class);

    /** sshd's MaxSessions (10) per connection, less the SFTP session and one for killing a timed-out command. */
    static final int ROUTES_PER_CONNECTION = 8;
    /** Below sshd's MaxStartups (10 unauthenticated connections, then random drops). */
    static final int ROUTES_PER_TARGET = 8;

    private static final int MAX_THREADS = 64;

    private final ApplicationConfig config;
    private final RemoteShells shells;
    private final boolean hostToHost;

    /** The check of every route: the manager's, and between every pair of hosts. */
    public SshCheck(ApplicationConfig config, RemoteShells shells) {
        this(config, shells, true);
    }

    private SshCheck(ApplicationConfig config, RemoteShells shells, boolean hostToHost) {
        this.config = config;
        this.shells = shells;
        this.hostToHost = hostToHost;
    }

    /** The same check without the host-to-host routes: the manager's route to every host, all at once. */
    public SshCheck managerRoutesOnly() {
        return new SshCheck(config, shells, false);
    }

    public SshCheckResult run() {
        List<ServerConfig> servers =
                config.servers().stream().filter(s -> !s.skipInitSshCheck()).toList();
        int n = servers.size();
        RouteLimits limits = new RouteLimits(ROUTES_PER_CONNECTION, ROUTES_PER_TARGET);
        ExecutorService pool = Executors.newFixedThreadPool(
                Math.max(1, Math.min(MAX_THREADS, n * n)), new NamedDaemonThreads("mha4j-check-ssh"));
        try {
            // Servers with one SSH target (several instances on one host) share its shell: one test each.
            Map<SshTarget, CompletableFuture<Reached>> reaching = new HashMap<>();
            List<CompletableFuture<Reached>> manager = servers.stream()
                    .map(src -> reaching.computeIfAbsent(
                            SshTarget.of(src), t -> CompletableFuture.supplyAsync(() -> fromManager(src), pool)))
                    .toList();
            // routes[i][j]: from servers[i] to servers[j], started in rounds of distinct targets; a route
            // between the same two targets is the same command on the same connection, run once.
            Map<List<SshTarget>, CompletableFuture<SshPair>> tested = new HashMap<>();
            List<List<CompletableFuture<SshPair>>> routes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                routes.add(new ArrayList<>(Collections.nCopies(n, null)));
            }
            for (int round = 1; hostToHost && round < n; round++) {
                for (int i = 0; i < n; i++) {
                    CompletableFuture<Reached> source = manager.get(i);
                    ServerConfig dst = servers.get((i + round) % n);
                    routes.get(i)
                            .set(
                                    (i + round) % n,
                                    tested.computeIfAbsent(
                                            List.of(SshTarget.of(servers.get(i)), SshTarget.of(dst)),
                                            k -> route(source, dst, limits, pool)));
                }
            }
            List<SshPair> all = new ArrayList<>();
            manager.forEach(f -> all.add(f.join().pair()));
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (hostToHost && i != j) {
                        all.add(routes.get(i).get(j).join());
                    }
                }
            }
            return new SshCheckResult(all);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The route from a source to {@code dst} once the manager reached the source, else "not tested". */
    private static CompletableFuture<SshPair> route(
            CompletableFuture<Reached> source, ServerConfig dst, RouteLimits limits, ExecutorService pool) {
        return source.thenComposeAsync(
                reached -> reached.shell()
                        .map(shell -> CompletableFuture.supplyAsync(
                                () -> limits.run(
                                        reached.target(),
                                        endpoint(dst),
                                        () -> hostToHost(shell, reached.target(), SshTarget.of(dst))),
                                pool))
                        .orElseGet(() -> CompletableFuture.completedFuture(notTested(reached.target(), dst))),
                pool);
    }

    /** The manager's route to a source: its shell when it works. */
    private record Reached(SshTarget target, Optional<RemoteShell> shell, SshPair pair) {}

    private Reached fromManager(ServerConfig src) {
        SshTarget from = SshTarget.of(src);
        long start = System.nanoTime();
        try {
            RemoteShell shell = shells.shellFor(src);
            CommandResult r = shell.run(
                    RemoteCommand.of("true").repeatable(), from.connectTimeout().plusSeconds(5));
            if (!r.succeeded()) {
                throw new RemoteShellException(
                        from.name(),
                        RemoteShellException.Kind.IO,
                        "'true' exited with " + r.exitCode() + ": " + r.firstErrorLine(),
                        null);
            }
            return new Reached(
                    from, Optional.of(shell), new SshPair(SshPair.MANAGER, from.name(), true, "", since(start)));
        } catch (RemoteShellException e) {
            log.error("SSH from the manager to {} failed: {}", from.name(), e.getMessage());
            return new Reached(
                    from,
                    Optional.empty(),
                    new SshPair(SshPair.MANAGER, from.name(), false, e.getMessage(), since(start)));
        }
    }

    private static SshPair notTested(SshTarget from, ServerConfig dst) {
        return new SshPair(
                from.name(),
                SshTarget.of(dst).name(),
                false,
                "not tested: the manager cannot reach " + from.name(),
                Duration.ZERO);
    }

    /** The target sshd a route connects to: its address and port. */
    private static String endpoint(ServerConfig server) {
        SshTarget t = SshTarget.of(server);
        return t.host() + ":" + t.port();
    }

    private static SshPair hostToHost(RemoteShell shell, SshTarget from, SshTarget to) {
        long start = System.nanoTime();
        RemoteCommand ssh = openSshCommand(to, "exit", "0").repeatable();
        try {
            CommandResult r = shell.run(ssh, to.connectTimeout().plusSeconds(10));
            if (r.succeeded()) {
                log.debug("SSH from {} to {}: ok", from.name(), to.name());
                return new SshPair(from.name(), to.name(), true, "", since(start));
            }
            String why =
                    "ssh exited with " + r.exitCode() + (r.firstErrorLine().isEmpty() ? "" : ": " + r.firstErrorLine());
            log.error("SSH from {} to {} failed: {}", from.name(), to.name(), why);
            return new SshPair(from.name(), to.name(), false, why, since(start));
        } catch (RemoteShellException e) {
            return new SshPair(from.name(), to.name(), false, e.getMessage(), since(start));
        }
    }

    /**
     * An OpenSSH client command line for a database host to reach {@code to}: batch mode (never
     * a prompt), the target's host key policy, timeout and options, then the remote command.
     */
    public static RemoteCommand openSshCommand(SshTarget to, String... remoteCommand) {
        RemoteCommand.Builder b = RemoteCommand.builder("ssh")
                .args("-o", "BatchMode=yes")
                .args("-o", "StrictHostKeyChecking=" + to.hostKeyPolicy().openSshValue())
                .args("-o", "ConnectTimeout=" + Math.max(1, to.connectTimeout().toSeconds()))
                .args(to.openSshOptions());
        return b.args("-p", Integer.toString(to.port()), to.user() + "@" + to.host())
                .args(remoteCommand)
                .build();
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
