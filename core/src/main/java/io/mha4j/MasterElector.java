package io.mha4j;

import io.mha4j.failover.Election;
import io.mha4j.failover.ElectionContext;

/**
 * Chooses the new master. Made by the {@link io.mha4j.spi.MasterElectorProvider} the
 * {@code master_elector} parameter names (default {@code mha}: MHA's rules). Called once per
 * election with every surviving replica, read in one pass (phase 1 checks that someone could win,
 * phase 3 elects for real, an online switch elects once); it must not change any server.
 */
public interface MasterElector {

    /**
     * @param context the candidates, the master being replaced, the configuration and what the
     *     same failover's earlier election said
     * @return the winner and, for every other candidate, why it lost; no winner when no server
     *     may become master
     */
    Election elect(ElectionContext context);
}
