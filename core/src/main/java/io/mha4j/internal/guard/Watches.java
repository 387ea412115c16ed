package io.mha4j.internal.guard;

import io.mha4j.config.ServerConfig;
import io.mha4j.guard.GuardEvent;
import io.mha4j.guard.GuardedRole;
import io.mha4j.time.Scheduler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard's watches, one per server, and what they share: the current master, the hooks,
 * the listeners. Without an injected scheduler each watch gets a daemon thread of its own, so a
 * server whose host is down (every probe a connect timeout) never delays another's fence.
 */
public final class Watches implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Watches.class);

    private final String application;
    private final Scheduler shared;
    private final Executor decisions;
    private final ServerAccess access;
    private final GuardHooks hooks;
    private final WatchSettings settings;
    private final List<Consumer<GuardEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Watch> watches = new LinkedHashMap<>();
    private final Map<String, Scheduler> own = new LinkedHashMap<>();
    private volatile ServerConfig master;
    private boolean closed;

    /** @param shared null: a scheduler (one daemon thread) per watch */
    public Watches(
            String application,
            Scheduler shared,
            Executor decisions,
            ServerAccess access,
            GuardHooks hooks,
            WatchSettings settings) {
        this.application = application;
        this.shared = shared;
        this.decisions = decisions;
        this.access = access;
        this.hooks = hooks;
        this.settings = settings;
    }

    public void master(ServerConfig current) {
        ServerConfig before = master;
        master = current;
        if (before != null && !before.block().equals(current.block())) {
            log.info("Guarded servers must now replicate from {}", current.displayName());
        }
    }

    public ServerConfig master() {
        ServerConfig m = master;
        if (m == null) {
            throw new IllegalStateException("the guard of " + application + " has no master to compare with");
        }
        return m;
    }

    public void addListener(Consumer<GuardEvent> listener) {
        listeners.add(listener);
    }

    public synchronized void watch(ServerConfig server, GuardedRole role) {
        if (closed) {
            throw new IllegalStateException("the guard of " + application + " is closed");
        }
        master();
        stop(server.block());
        Scheduler s = shared;
        if (s == null) {
            s = Scheduler.system("mha4j-guard-" + application + "-" + server.block());
            own.put(server.block(), s);
        }
        Watch w = new Watch(
                server, role, new Watch.Tools(access, s, decisions, this::master, hooks, this::publish, settings));
        watches.put(server.block(), w);
        w.start();
    }

    public synchronized List<ServerConfig> guarded() {
        List<ServerConfig> out = new ArrayList<>();
        watches.values().stream().filter(w -> !w.isDone()).forEach(w -> out.add(w.server()));
        return out;
    }

    private void publish(GuardEvent e) {
        hooks.guarded(e, master());
        for (Consumer<GuardEvent> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                log.warn("a guard listener failed on {} (ignored): {}", e, ex.toString());
            }
        }
    }

    private void stop(String block) {
        Watch w = watches.remove(block);
        if (w != null) {
            w.close();
        }
        Scheduler s = own.remove(block);
        if (s != null) {
            s.close();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        new ArrayList<>(watches.keySet()).forEach(this::stop);
    }
}
