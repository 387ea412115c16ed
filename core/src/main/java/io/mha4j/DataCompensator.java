package io.mha4j;

import io.mha4j.failover.Compensation;
import io.mha4j.failover.CompensationRequest;

/**
 * Recovers what only the dead master had: the transactions in its binary logs that no replica
 * received. Made by the {@link io.mha4j.spi.DataCompensatorProvider} the
 * {@code data_compensator} parameter names (default {@code binlog}). Called after the new master has
 * applied everything the latest replica had; it applies, on the new master, only transactions
 * whose GTIDs the new master lacks, with their original GTIDs.
 */
public interface DataCompensator {

    /**
     * @return what was applied, or why nothing could be. A compensator that read the dead
     *     master's binary logs to their end says so with {@link Compensation#checked(String,
     *     java.util.Optional, java.util.Optional, String, java.util.List)} (also when nothing was
     *     missing); one that could not look returns {@link Compensation#none(String)}, one that
     *     applied part and could not read the rest {@link Compensation#partial}: the failover goes
     *     on, ends {@code PARTIAL} and reports that transactions after the latest replica's
     *     position (and what was applied) may be lost. There is no default: a result is checked
     *     only when built as such
     * @throws Mha4jException when applying failed half-way: the new master must not be promoted
     */
    Compensation compensate(CompensationRequest request);
}
