package io.mha4j.internal.coordination;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.coordination.Coordination;
import io.mha4j.spi.CoordinationProvider;
import java.util.concurrent.CompletableFuture;

/**
 * {@code coordination=local} (the default), MHA's way: one manager, always the leader; the lock
 * file in {@code manager_workdir} keeps a second one for the same application out.
 */
public final class LocalCoordination implements CoordinationProvider {

    @Override
    public String name() {
        return "local";
    }

    @Override
    public Coordination create(ApplicationConfig config) {
        return new Coordination() {
            private final CompletableFuture<Void> closed = new CompletableFuture<>();

            @Override
            public void start() {}

            @Override
            public String id() {
                return ProcessHandle.current().pid() + "@local";
            }

            @Override
            public boolean isLeader() {
                return !closed.isDone();
            }

            @Override
            public CompletableFuture<Void> leading() {
                return closed.isDone() ? new CompletableFuture<>() : CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> notLeading() {
                return closed;
            }

            @Override
            public String describe() {
                return "this manager alone (coordination=local)";
            }

            @Override
            public void close() {
                closed.complete(null);
            }
        };
    }
}
