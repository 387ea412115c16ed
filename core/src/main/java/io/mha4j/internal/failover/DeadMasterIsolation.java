package io.mha4j.internal.failover;

import io.mha4j.config.Parameter;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverContext;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShell;
import io.mha4j.server.ServerConnection;
import io.mha4j.server.ServerState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase 2: freeze what the replicas received (IO threads stopped, so "latest" cannot move),
 * learn whether the dead master's host answers over SSH, fence it through the hooks (VIP away,
 * {@code shutdown_script}), and make it read-only should it answer SQL again.
 */
public final class DeadMasterIsolation {
    private static final Logger log = LoggerFactory.getLogger(DeadMasterIsolation.class);
    private final FailoverSetup setup;
    private CompletableFuture<Void> readOnlyAttempt = CompletableFuture.completedFuture(null);

    public DeadMasterIsolation(FailoverSetup setup) {
        this.setup = setup;
    }

    /** @return a shell on the dead master's host when it answers over SSH */
    public Optional<RemoteShell> run(FailoverContext context, List<Survivor> survivors) {
        ServerConfig dead = context.deadMaster();
        // Each of these may wait for a timeout on an unreachable host; none depends on another.
        CompletableFuture<Optional<RemoteShell>> ssh = CompletableFuture.supplyAsync(() -> reachable(dead),
                setup.pool());
        // Against a powered-off host this costs a connect timeout, so the promotion does not wait for it;
        // the failover waits for it before it ends (finish()), so that it never ends with two writable masters.
        readOnlyAttempt = CompletableFuture.runAsync(() -> readOnlyIfAnswering(dead), setup.pool());
        CompletableFuture.allOf(survivors.stream()
                .map(s -> CompletableFuture.runAsync(() -> freeze(s), setup.pool()))
                .toArray(CompletableFuture[]::new)).join();
        Optional<RemoteShell> shell = ssh.join();
        setup.hooks().isolate(context, shell.isPresent());
        return shell;
    }

    /** Waits for the attempt to make the dead master read-only, should it answer. */
    public void finish() {
        readOnlyAttempt.join();
    }

    /** Stops the receiver; starts an applier that was stopped without error, as MHA does. */
    private static void freeze(Survivor s) {
        ServerConnection c = s.connection();
        c.execute(c.dialect().stopReplicaIoThread());
        ServerState st = c.readState();
        st.replica().filter(r -> !r.sqlThreadRunning() && !r.lastSqlError().isPresent()).ifPresent(r -> {
            c.execute(c.dialect().startReplicaSqlThread());
            log.info("{}: SQL thread was stopped; started it so that it applies its relay log", s.name());
        });
        log.info("{}: IO thread stopped", s.name());
    }

    private Optional<RemoteShell> reachable(ServerConfig dead) {
        Duration timeout = Duration.ofSeconds(dead.get(Parameter.SSH_CONNECTION_TIMEOUT).orElse(5) + 5L);
        try {
            RemoteShell shell = setup.shells().shellFor(dead);
            if (shell.run(RemoteCommand.of("true"), timeout).succeeded()) {
                log.info("{}: its host answers over SSH ({}): its binary logs can be saved", dead.displayName(),
                        shell.target());
                return Optional.of(shell);
            }
            log.warn("{}: its host answered SSH but could not run a command", dead.displayName());
        } catch (RuntimeException e) {
            log.warn("{}: its host does not answer over SSH: {}", dead.displayName(), e.getMessage());
        }
        return Optional.empty();
    }

    private void readOnlyIfAnswering(ServerConfig dead) {
        try (ServerConnection c = ServerConnection.open(dead, setup.clock())) {
            c.execute(c.dialect().enableReadOnly());
            log.warn("{}: answered SQL again; made it read-only so that it takes no more writes", dead.displayName());
        } catch (RuntimeException e) {
            log.debug("{}: still does not answer SQL: {}", dead.displayName(), e.getMessage());
        }
    }
}
