package io.mha4j.manager;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.coordination.Coordination;
import io.mha4j.spi.CoordinationProvider;
import java.util.concurrent.CompletableFuture;

/**
 * {@code coordination=scripted} (core's tests only): a lead the test gives and takes with {@link
 * #lead()} and {@link #lose()}. The manager made next gets {@link #next}.
 */
public final class ScriptedCoordination implements Coordination {
    static volatile ScriptedCoordination next = new ScriptedCoordination();

    private boolean leader;
    private CompletableFuture<Void> leading = new CompletableFuture<>();
    private CompletableFuture<Void> notLeading = CompletableFuture.completedFuture(null);

    synchronized void lead() {
        leader = true;
        notLeading = new CompletableFuture<>();
        leading.complete(null);
    }

    synchronized void lose() {
        leader = false;
        leading = new CompletableFuture<>();
        notLeading.complete(null);
    }

    @Override
    public void start() {}

    @Override
    public synchronized boolean isLeader() {
        return leader;
    }

    @Override
    public synchronized CompletableFuture<Void> leading() {
        return leading;
    }

    @Override
    public synchronized CompletableFuture<Void> notLeading() {
        return notLeading;
    }

    @Override
    public String describe() {
        return isLeader() ? "scripted: leading" : "scripted: another leads";
    }

    @Override
    public void close() {
        lose();
    }

    /** The provider ServiceLoader finds in core's tests. */
    public static final class Provider implements CoordinationProvider {
        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public Coordination create(ApplicationConfig config) {
            return next;
        }
    }
}
