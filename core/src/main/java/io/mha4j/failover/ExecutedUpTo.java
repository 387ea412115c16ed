package io.mha4j.failover;

import io.mha4j.gtid.GtidSet;
import io.mha4j.server.BinlogPosition;

/**
 * How far a replica had executed the dead master's binary log once it had applied everything it
 * received: every transaction of the dead master before {@code position} (in its file) is in
 * {@code gtids}. A new master holding all of {@code gtids} lacks nothing before {@code position},
 * so the binary log tool may start reading there instead of searching the file from its start
 * for a GTID (about 2 ms per MB of small transactions: seconds in a 1 GiB log).
 *
 * @param position the replica's executed position in the dead master's coordinates
 *     ({@code Relay_Master_Log_File}, {@code Exec_Master_Log_Pos}): an event's start
 * @param gtids what the replica had executed, read after that position (a read before it may miss
 *     the transaction committed in between): for the new master itself, what it held when read
 *     in the same state as the position, which the compensation's later read of it contains
 */
public record ExecutedUpTo(BinlogPosition position, GtidSet gtids) {}
