package io.mha4j.internal.check;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Two bounds on SSH routes tested at once, so that running them concurrently never turns a
 * check into a failure of its own making:
 * <ul>
 *   <li>per source connection: each route is a command on the manager's one SSH connection to
 *       the source host, a session of it, and sshd allows {@code MaxSessions} (10) sessions
 *       per connection, one of which the SFTP session may hold;</li>
 *   <li>per target sshd: each route is a new connection to the target, unauthenticated until
 *       its key exchange is done, and sshd drops new connections at random beyond
 *       {@code MaxStartups} (10) unauthenticated ones — a route refused that way would be
 *       reported as broken.</li>
 * </ul>
 * A route takes its source's permit, then its target's, and gives both back when it ends; a
 * route waiting for a target holds only a source permit while every target permit belongs to a
 * route that runs, so routes never wait on each other in a circle.
 */
public final class RouteLimits {
    private final int perSource;
    private final int perTarget;
    private final Map<Object, Semaphore> sources = new ConcurrentHashMap<>();
    private final Map<Object, Semaphore> targets = new ConcurrentHashMap<>();

    /**
     * @param perSource routes at once over one source connection
     * @param perTarget routes at once into one target sshd
     */
    public RouteLimits(int perSource, int perTarget) {
        if (perSource < 1 || perTarget < 1) {
            throw new IllegalArgumentException("route limits must be at least 1: " + perSource + ", " + perTarget);
        }
        this.perSource = perSource;
        this.perTarget = perTarget;
    }

    /**
     * Runs {@code route} once both bounds allow it.
     *
     * @param source what identifies the source connection (routes with equal keys share it)
     * @param target what identifies the target sshd
     */
    public <T> T run(Object source, Object target, Supplier<T> route) {
        Semaphore from = sources.computeIfAbsent(source, k -> new Semaphore(perSource));
        Semaphore to = targets.computeIfAbsent(target, k -> new Semaphore(perTarget));
        from.acquireUninterruptibly();
        try {
            to.acquireUninterruptibly();
            try {
                return route.get();
            } finally {
                to.release();
            }
        } finally {
            from.release();
        }
    }
}
