package io.mha4j.internal.failover;

import io.mha4j.FailoverHook;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.FailoverContext;
import io.mha4j.failover.FailoverPhase;
import io.mha4j.failover.FailoverReport;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The failover's hooks in order: actors' failures stop the failover, observers' are only logged. */
public final class HookChain {
    private static final Logger log = LoggerFactory.getLogger(HookChain.class);
    private final List<FailoverHook> hooks;

    public HookChain(List<FailoverHook> hooks) {
        this.hooks = List.copyOf(hooks);
    }

    public List<String> names() {
        return hooks.stream().map(FailoverHook::name).toList();
    }

    public void beforePhase(FailoverPhase phase, FailoverContext context) {
        hooks.forEach(h -> h.beforePhase(phase, context));
    }

    public void isolate(FailoverContext context, boolean sshReachable) {
        hooks.forEach(h -> h.isolate(context, sshReachable));
    }

    /**
     * Every hook's {@link FailoverHook#fence}, in order (MHA runs its {@code shutdown_script}
     * whatever the dead master's state): whether at least one fenced it.
     */
    public boolean fence(FailoverContext context, boolean sshReachable) {
        boolean fenced = false;
        for (FailoverHook h : hooks) {
            if (h.fence(context, sshReachable)) {
                log.info("hook {} fenced {}", h.name(), context.deadMaster().displayName());
                fenced = true;
            }
        }
        return fenced;
    }

    public void beforeRewire(FailoverContext context, ServerConfig replica) {
        hooks.forEach(h -> h.beforeRewire(context, replica));
    }

    public void activate(FailoverContext context) {
        hooks.forEach(h -> h.activate(context));
    }

    public void afterPhase(FailoverPhase phase, FailoverContext context) {
        for (FailoverHook h : hooks) {
            observe(h, "afterPhase " + phase, () -> h.afterPhase(phase, context));
        }
    }

    public void report(FailoverContext context, FailoverReport report) {
        for (FailoverHook h : hooks) {
            observe(h, "report", () -> h.report(context, report));
        }
    }

    private static void observe(FailoverHook hook, String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn(
                    "hook {} failed in {} (ignored: observers cannot stop a failover): {}",
                    hook.name(),
                    what,
                    e.toString());
        }
    }
}
