package io.mha4j.coordination;

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
 */
public interface Coordination extends AutoCloseable {

    /** Joins the election; returns at once. */
    void start();

    /** Whether this manager leads now. */
    boolean isLeader();

    /** Completes when this manager leads: at once if it does now. */
    CompletableFuture<Void> leading();

    /** Completes when this manager does not lead: at once if it does not now (lost, or closed). */
    CompletableFuture<Void> notLeading();

    /** Who leads and who takes part, for logs and status, e.g. {@code leader host-a/4242}. */
    String describe();

    /** Leaves the election; another manager may lead. Idempotent. */
    @Override
    void close();
}
