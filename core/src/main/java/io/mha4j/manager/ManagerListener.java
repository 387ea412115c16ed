package io.mha4j.manager;

/**
 * Receives a {@link MhaManager}'s events: on one thread of their own, one at a time, in the order
 * they were published. A listener that throws is logged and ignored; a slow one delays only the
 * events after it, never monitoring or a failover. To act inside a failover (veto it, fence, move
 * traffic before the new master is writable), write a {@link io.mha4j.FailoverHook} instead.
 *
 * <p>A {@link io.mha4j.failover.MasterSwitchover} tells its listeners on the switch's own thread
 * instead, while the switch waits ({@link io.mha4j.failover.MasterSwitchover.Builder#listener}).
 */
@FunctionalInterface
public interface ManagerListener {

    void onEvent(ManagerEvent event);
}
