package io.mha4j.manager;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.coordination.Coordination;
import io.mha4j.coordination.CoordinationException;
import io.mha4j.coordination.FailoverRecord;
import io.mha4j.coordination.ManagerView;
import io.mha4j.spi.CoordinationProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code coordination=scripted} (core's tests only): a lead the test gives and takes with {@link
 * #lead()} and {@link #lose()}. The manager made next gets {@link #next}.
 */
public final class ScriptedCoordination implements Coordination {
    static volatile ScriptedCoordination next = new ScriptedCoordination();

    private boolean leader;
    private boolean connected = true;
    private final Map<String, ManagerView> views = new LinkedHashMap<>();
    private Optional<FailoverRecord> record = Optional.empty();
    private Optional<String> watched = Optional.empty();
    private boolean unreadable;
    /** Every record written, in order. */
    final List<FailoverRecord> written = new CopyOnWriteArrayList<>();

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

    /** Cuts this manager off from the others (false) or brings it back. */
    synchronized void connected(boolean connected) {
        this.connected = connected;
    }

    /** What another manager publishes. */
    synchronized void view(ManagerView view) {
        views.put(view.manager(), view);
    }

    /** A record another manager left. */
    synchronized void left(FailoverRecord left) {
        record = Optional.of(left);
    }

    @Override
    public void start() {}

    @Override
    public String id() {
        return "scripted-manager";
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public synchronized boolean connected() {
        return connected;
    }

    @Override
    public synchronized void publish(ManagerView view) {
        views.put(view.manager(), view);
    }

    @Override
    public synchronized List<ManagerView> views() {
        return List.copyOf(views.values());
    }

    /** Makes the shared record unreadable (true), as a coordination gone between two calls, or readable again. */
    synchronized void unreadable(boolean unreadable) {
        this.unreadable = unreadable;
    }

    @Override
    public synchronized Optional<FailoverRecord> lastFailover() {
        if (unreadable) {
            throw new CoordinationException("scripted: the record cannot be read", null);
        }
        return record;
    }

    @Override
    public synchronized boolean record(FailoverRecord next) {
        if (!leader || !connected) {
            return false;
        }
        record = Optional.of(next);
        written.add(next);
        return true;
    }

    @Override
    public synchronized void watching(String master) {
        watched = Optional.of(master);
    }

    @Override
    public synchronized void stoppedWatching() {
        watched = Optional.empty();
    }

    @Override
    public synchronized Optional<String> lastWatched() {
        return watched;
    }

    @Override
    public synchronized boolean acknowledge(FailoverRecord.Acknowledgement acknowledgement) {
        record = record.map(r -> r.acknowledge(acknowledgement));
        return record.isPresent();
    }

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
