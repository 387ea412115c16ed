package io.mha4j.internal.guard;

import io.mha4j.FailoverHook;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverContext;
import io.mha4j.guard.GuardAction;
import io.mha4j.guard.GuardEvent;
import io.mha4j.remote.RemoteShells;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hooks' part in guarding: {@link FailoverHook#returned} as a chain (first answer other than
 * PROCEED wins; a hook that throws counts as PROCEED, so a broken hook never keeps a server
 * writable) and {@link FailoverHook#guarded} as an observer.
 */
public final class GuardHooks {
    private static final Logger log = LoggerFactory.getLogger(GuardHooks.class);
    private final List<FailoverHook> hooks;
    private final ApplicationConfig config;
    private final RemoteShells shells;
    private final Path workdir;

    public GuardHooks(List<FailoverHook> hooks, ApplicationConfig config, RemoteShells shells, Path workdir) {
        this.hooks = List.copyOf(hooks);
        this.config = config;
        this.shells = shells;
        this.workdir = workdir;
    }

    private FailoverContext context(ServerConfig server, ServerConfig master) {
        return new FailoverContext(config, server, Optional.of(master), shells, workdir);
    }

    /** The first hook's answer other than PROCEED, with its name; PROCEED when none has one. */
    public Answer returned(ServerConfig server, ServerConfig master) {
        for (FailoverHook h : hooks) {
            try {
                GuardAction a = h.returned(context(server, master), server);
                if (a != null && a != GuardAction.PROCEED) {
                    return new Answer(a, h.name());
                }
            } catch (RuntimeException e) {
                log.warn(
                        "hook {} failed in returned() for {}; taken as PROCEED (mha4j fences it): {}",
                        h.name(),
                        server.displayName(),
                        e.toString());
            }
        }
        return new Answer(GuardAction.PROCEED, "mha4j");
    }

    /** A hook's answer. */
    public record Answer(GuardAction action, String hook) {}

    public void guarded(GuardEvent event, ServerConfig master) {
        for (FailoverHook h : hooks) {
            try {
                h.guarded(context(event.server(), master), event);
            } catch (RuntimeException e) {
                log.warn(
                        "hook {} failed in guarded() (ignored: observers cannot change the guard): {}",
                        h.name(),
                        e.toString());
            }
        }
    }
}
