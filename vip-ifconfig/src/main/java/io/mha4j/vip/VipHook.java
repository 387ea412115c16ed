package io.mha4j.vip;

import io.mha4j.FailoverHook;
import io.mha4j.Mha4jException;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverContext;
import io.mha4j.remote.CommandResult;
import io.mha4j.remote.RemoteCommand;
import io.mha4j.remote.RemoteShell;
import io.mha4j.spi.FailoverHookProvider;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The virtual IP follows the master ({@code failover_hooks=vip}). Fencing: when the dead
 * master's host answers over SSH, the VIP is removed there (absent already is fine); when it does
 * not, nothing can be done on it and only a {@code shutdown_script} can fence it — logged
 * loudly. Activation: the VIP is added on the new master's host and announced with gratuitous
 * ARP, so that clients reach the new master at once; a failure to add it fails the failover as
 * MHA's {@code master_ip_failover --command=start} does. {@link #status} is what check_repl
 * asks: the VIP must be on the master's host.
 */
public final class VipHook implements FailoverHook, FailoverHookProvider {
    private static final Logger log = LoggerFactory.getLogger(VipHook.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Override
    public String name() {
        return "vip";
    }

    /** Holds nothing of one application: its own provider. */
    @Override
    public FailoverHook create(ApplicationConfig config) {
        return this;
    }

    @Override
    public void isolate(FailoverContext context, boolean sshReachable) {
        ServerConfig dead = context.deadMaster();
        VipCommands vip = VipCommands.of(context.config(), dead);
        if (!sshReachable) {
            log.warn(
                    "{}: its host does not answer over SSH: the VIP {} cannot be removed there; only"
                            + " shutdown_script can fence it",
                    dead.displayName(),
                    vip.vip());
            return;
        }
        RemoteShell shell = context.shells().shellFor(dead);
        if (!vip.shownIn(run(shell, vip.show(), false).stdout())) {
            log.info("{}: the VIP {} is not on its host; nothing to remove", dead.displayName(), vip.vip());
            return;
        }
        run(shell, vip.remove(), true);
        log.info("{}: removed the VIP {} ({})", dead.displayName(), vip.vip(), vip.remove());
    }

    @Override
    public void activate(FailoverContext context) {
        moveTo(context, context.requireNewMaster());
    }

    /** Adds the VIP on {@code server}'s host (unless there already) and announces it. */
    public void moveTo(FailoverContext context, ServerConfig server) {
        VipCommands vip = VipCommands.of(context.config(), server);
        RemoteShell shell = context.shells().shellFor(server);
        if (!vip.shownIn(run(shell, vip.show(), false).stdout())) {
            run(shell, vip.add(), true);
        }
        log.info("{}: the VIP {} is on its host ({})", server.displayName(), vip.vip(), vip.label());
        vip.announce().ifPresent(arping -> {
            CommandResult r = shell.run(arping, TIMEOUT);
            if (r.succeeded()) {
                log.info(
                        "{}: announcing the VIP with gratuitous ARP in the background ({})",
                        server.displayName(),
                        arping);
            } else {
                log.warn(
                        "{}: gratuitous ARP failed ({} exited {}: {}); neighbours learn the new owner when their"
                                + " ARP entries expire",
                        server.displayName(),
                        arping,
                        r.exitCode(),
                        r.firstErrorLine());
            }
        });
    }

    /**
     * check_repl's question: is the VIP on the master's host?
     *
     * @throws Mha4jException saying where it is not
     */
    @Override
    public void status(FailoverContext context, ServerConfig master) {
        VipCommands vip = VipCommands.of(context.config(), master);
        RemoteShell shell = context.shells().shellFor(master);
        if (!vip.shownIn(run(shell, vip.show(), false).stdout())) {
            throw new Mha4jException("the VIP " + vip.vip() + " is not on the master " + master.displayName() + " ("
                    + vip.device() + ")");
        }
    }

    private static CommandResult run(RemoteShell shell, RemoteCommand command, boolean required) {
        CommandResult r = shell.run(command, TIMEOUT);
        if (required && !r.succeeded()) {
            throw new Mha4jException(
                    command + " failed on " + shell.target() + " (exit " + r.exitCode() + "): " + r.firstErrorLine());
        }
        return r;
    }
}
