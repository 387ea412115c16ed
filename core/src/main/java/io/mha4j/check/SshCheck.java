package io.mha4j.check;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.internal.concurrent.NamedDaemonThreads;
import io.mha4j.config.ServerConfig;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShell;
import io.mha4j.remote.RemoteShellException;
import io.mha4j.remote.RemoteShells;
import io.mha4j.remote.SshTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * check_ssh: can the manager reach every host, and can every host reach every other (the
 * pairs MHA tests, since recovery copies binary logs between hosts)? Host-to-host routes are
 * tested by running OpenSSH's client on the source host, with the target's configured
 * options and host key policy. Sources are tested in parallel; servers with
 * {@code skip_init_ssh_check=1} are skipped, as in MHA.
 */
public final class SshCheck {
    private static final Logger log = LoggerFactory.getLogger(SshCheck.class);

    private final ApplicationConfig config;
    private final RemoteShells shells;

    public SshCheck(ApplicationConfig config, RemoteShells shells) {
        this.config = config;
        this.shells = shells;
    }

    public SshCheckResult run() {
        List<ServerConfig> servers = config.servers().stream().filter(s -> !s.skipInitSshCheck()).toList();
        ExecutorService pool =
                Executors.newFixedThreadPool(Math.max(1, servers.size()), new NamedDaemonThreads("mha4j-check-ssh"));
        try {
            List<CompletableFuture<List<SshPair>>> perSource = servers.stream()
                    .map(src -> CompletableFuture.supplyAsync(() -> fromSource(src, servers), pool))
                    .toList();
            List<SshPair> managerRoutes = new ArrayList<>();
            List<SshPair> hostRoutes = new ArrayList<>();
            for (CompletableFuture<List<SshPair>> f : perSource) {
                List<SshPair> pairs = f.join();
                managerRoutes.add(pairs.get(0));
                hostRoutes.addAll(pairs.subList(1, pairs.size()));
            }
            List<SshPair> all = new ArrayList<>(managerRoutes);
            all.addAll(hostRoutes);
            return new SshCheckResult(all);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The manager's route to {@code src}, then {@code src}'s routes to every other server. */
    private List<SshPair> fromSource(ServerConfig src, List<ServerConfig> servers) {
        List<SshPair> pairs = new ArrayList<>();
        SshTarget from = SshTarget.of(src);
        long start = System.nanoTime();
        RemoteShell shell;
        try {
            shell = shells.shellFor(src);
            CommandResult r = shell.run(RemoteCommand.of("true"), from.connectTimeout().plusSeconds(5));
            if (!r.succeeded()) {
                throw new RemoteShellException(from.name(), RemoteShellException.Kind.IO,
                        "'true' exited with " + r.exitCode() + ": " + r.firstErrorLine(), null);
            }
        } catch (RemoteShellException e) {
            pairs.add(new SshPair(SshPair.MANAGER, from.name(), false, e.getMessage(), since(start)));
            log.error("SSH from the manager to {} failed: {}", from.name(), e.getMessage());
            for (ServerConfig dst : servers) {
                if (dst != src) {
                    pairs.add(new SshPair(from.name(), SshTarget.of(dst).name(), false,
                            "not tested: the manager cannot reach " + from.name(), Duration.ZERO));
                }
            }
            return pairs;
        }
        pairs.add(new SshPair(SshPair.MANAGER, from.name(), true, "", since(start)));
        for (ServerConfig dst : servers) {
            if (dst != src) {
                pairs.add(hostToHost(shell, from, SshTarget.of(dst)));
            }
        }
        return pairs;
    }

    private static SshPair hostToHost(RemoteShell shell, SshTarget from, SshTarget to) {
        long start = System.nanoTime();
        RemoteCommand ssh = openSshCommand(to, "exit", "0");
        try {
            CommandResult r = shell.run(ssh, to.connectTimeout().plusSeconds(10));
            if (r.succeeded()) {
                log.debug("SSH from {} to {}: ok", from.name(), to.name());
                return new SshPair(from.name(), to.name(), true, "", since(start));
            }
            String why = "ssh exited with " + r.exitCode() + (r.firstErrorLine().isEmpty() ? "" : ": " + r.firstErrorLine());
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
        return b.args("-p", Integer.toString(to.port()), to.user() + "@" + to.host()).args(remoteCommand).build();
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
