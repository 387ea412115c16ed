package io.mha4j;

import io.mha4j.failover.Candidate;
import io.mha4j.failover.Election;
import io.mha4j.spi.NamedProvider;
import java.util.List;

/**
 * Chooses the new master. Found with {@link java.util.ServiceLoader} and selected by the
 * {@code master_elector} parameter (default {@code mha}: MHA's rules). Called once per
 * failover with every surviving replica, read in one pass; it must not change any server.
 */
public interface MasterElector extends NamedProvider {

    /**
     * @param candidates every replica that could be read, in configuration order, with which of
     *     them received the most transactions
     * @return the winner and, for every other candidate, why it lost; no winner when no server
     *     may become master
     */
    Election elect(List<Candidate> candidates);
}
