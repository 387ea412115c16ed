package io.mha4j.guard;

/**
 * What a {@link io.mha4j.FailoverHook} says when a guarded server answers again, before mha4j
 * fences it ({@link io.mha4j.FailoverHook#returned}). The first hook that does not answer
 * {@link #PROCEED} decides.
 */
public enum GuardAction {
    /** mha4j fences it: read_only, offline_mode where the server has it, application sessions killed. */
    PROCEED,
    /** The hook fenced it its own way (a STONITH power-off, a firewall rule); mha4j does nothing to it. */
    FENCED_BY_HOOK,
    /**
     * Leave it alone: mha4j neither fences, rejoins nor parks it, and says so loudly. For a host
     * application that knows better (the server was returned to service on purpose).
     */
    VETO
}
