/**
 * Never two masters: {@link io.mha4j.guard.OldMasterGuard} guards the servers a failover or an
 * online switch left behind — the old master, and the replicas the failover could not recover —
 * fencing each the moment it answers SQL again, then rejoining or parking it; what it did is a
 * {@link io.mha4j.guard.GuardEvent}. A {@link io.mha4j.FailoverHook} may veto or replace the
 * fence ({@link io.mha4j.guard.GuardAction}).
 */
package io.mha4j.guard;
