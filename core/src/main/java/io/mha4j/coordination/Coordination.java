package io.mha4j.coordination;

import io.mha4j.config.ApplicationConfig;
import io.mha4j.internal.plugin.Plugins;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Which of the managers of one application acts: the leader monitors and fails over, the others
 * stand by. Made per manager by the {@link io.mha4j.spi.CoordinationProvider} that {@code
 * coordination} names: {@code local} (the default: one manager, always the leader, its lock file
 * keeping a second one on the same host out) or {@code zookeeper} (module
 * mha4j-coordination-zookeeper: Curator's leader election across hosts).
 *
 * <p>A manager acts only while it leads, and asks again before each change it makes: one whose
 * coordination is lost (a ZooKeeper session expired, the quorum gone) stops acting before its next
 * change.
 *
 * <p>Shared state, for managers of several: what each sees of the master ({@link #publish}, {@link
 * #views}), and the record of the last failover ({@link #lastFailover}, {@link #record}) — fenced:
 * only a leader writes it — so that the manager that leads next neither starts a second failover on
 * top of an unfinished one nor forgets the anti-flap rule. With {@code local} there is nothing to
 * share: the defaults say so.
 */
public interface Coordination extends AutoCloseable {

    /**
     * The coordination {@code config}'s {@code coordination} names, made and not started: what a tool
     * uses to {@link #acknowledge} or read the shared state without joining the election.
     *
     * @throws io.mha4j.config.ConfigException when the plugin is missing or its settings are
     */
    static Coordination of(ApplicationConfig config) {
        return Plugins.coordination(config).create(config);
    }

    /** Joins the election; returns at once. */
    void start();

    /** Whether this manager leads now. */
    boolean isLeader();

    /** Completes when this manager leads: at once if it does now. */
    CompletableFuture<Void> leading();

    /** Completes when this manager does not lead: at once if it does not now (lost, or closed). */
    CompletableFuture<Void> notLeading();

    /** This manager's name among the managers, e.g. {@code 4242@host-a/1f3e}. */
    String id();

    /**
     * Whether other managers may lead this application ({@code local}: no). With several, a master
     * may have died while none led (the leader went with it): the next leader monitors a master the
     * start-up check finds dead, rather than refusing to start as a lone manager does (MHA's rule).
     */
    default boolean shared() {
        return false;
    }

    /**
     * Whether this manager is in touch with the others now ({@code local}: always). Cut off, it goes
     * on monitoring and alerting, and fails nothing over: another may lead.
     */
    default boolean connected() {
        return true;
    }

    /** Tells the other managers what this one sees; never waits (dropped while not connected). */
    default void publish(ManagerView view) {}

    /** What every manager taking part last published, this one's included; empty when alone or cut off. */
    default List<ManagerView> views() {
        return List.of();
    }

    /** The record of the application's last failover, if there is a shared one. */
    default Optional<FailoverRecord> lastFailover() {
        return Optional.empty();
    }

    /**
     * Writes the failover record, only while this manager leads and over the record as this manager
     * last read ({@link #lastFailover}) or wrote it: false, and nothing written, when it does not lead,
     * did not read it first, or another wrote it since (fenced).
     */
    default boolean record(FailoverRecord record) {
        return isLeader();
    }

    /**
     * A human's acknowledgement of the last failover's anti-flap block, whoever leads; works on a
     * coordination not started. False when there is no shared record to acknowledge.
     */
    default boolean acknowledge(FailoverRecord.Acknowledgement acknowledgement) {
        return false;
    }

    /**
     * Records that the leader monitors {@code master} (a configuration block), until {@link
     * #stoppedWatching}: so that the next leader knows whether a master it finds dead died while
     * watched (its leader went with it) or after everyone stopped on purpose. Never waits.
     */
    default void watching(String master) {}

    /** Records that nobody watches the master any more: the leader stopped cleanly. */
    default void stoppedWatching() {}

    /** The master a leader was watching when it went without stopping cleanly, if any. */
    default Optional<String> lastWatched() {
        return Optional.empty();
    }

    /** Who leads and who takes part, for logs and status, e.g. {@code leader host-a/4242}. */
    String describe();

    /** Leaves the election; another manager may lead. Idempotent. */
    @Override
    void close();
}
