package io.mha4j.server;

import io.mha4j.gtid.GtidSet;
import java.time.Duration;
import java.util.List;

/**
 * Everything that differs between MySQL 5.7, 8.0, 8.4+ and MariaDB 10.x/11.x, in one place:
 * the statements that read and steer replication, and how their answers are read. One is
 * chosen per server from its version ({@code Dialects.forVersion}) when mha4j connects; no
 * other code asks which flavor a server is.
 *
 * <p>Statements carrying a password are {@link SqlStatement}s whose shown form masks it.
 */
public interface Dialect {

    ServerVersion version();

    default Flavor flavor() {
        return version().flavor();
    }

    // ---- reading state ----

    /** One query for every global variable the snapshot needs; rows are (Variable_name, Value). */
    SqlStatement globalVariables();

    /** {@code SHOW MASTER STATUS} or {@code SHOW BINARY LOG STATUS}. */
    SqlStatement binaryLogStatus();

    /** {@code SHOW SLAVE STATUS} or {@code SHOW REPLICA STATUS}. */
    SqlStatement replicaStatus();

    /** Parses a GTID set or position as this flavor prints it. */
    GtidSet parseGtids(String text);

    /** GTID configuration and positions from the variables of {@link #globalVariables()}. */
    GtidState gtidState(Row variables);

    /** {@code log_slave_updates} under whichever name this version uses. */
    boolean logReplicaUpdates(Row variables);

    /** {@code super_read_only}, empty where the server has none. */
    java.util.Optional<Boolean> superReadOnly(Row variables);

    /** The replica status column holding the source's host; empty when replication was reset. */
    String replicaStatusHostColumn();

    /** Reads one row of {@link #replicaStatus()}; {@code variables} supply what the row lacks. */
    ReplicaStatus replicaStatus(Row row, Row variables);

    // ---- watching replication ----

    /**
     * A query answered as one row with the columns {@code Received} (heartbeats received from
     * the source), {@code Period} ({@code MASTER_HEARTBEAT_PERIOD}, seconds) and {@code
     * Net_timeout} ({@code slave_net_timeout}, seconds): MariaDB's {@code
     * Slave_received_heartbeats}/{@code Slave_heartbeat_period} status, MySQL's performance_schema
     * tables of the default channel. A source sends a heartbeat after the period without events,
     * so a growing count proves a live source even when nothing is written, and a count that
     * stays still for clearly longer than the period proves it silent.
     */
    SqlStatement heartbeatStatus();

    /** Reads the rows of {@link #heartbeatStatus()}; what the server leaves NULL is empty. */
    HeartbeatStatus heartbeatStatus(List<Row> rows);

    /** Sets only {@code MASTER_HEARTBEAT_PERIOD} of a stopped replica (the fix check_repl suggests). */
    SqlStatement changeHeartbeatPeriod(Duration period);

    // ---- steering replication ----

    SqlStatement stopReplica();

    SqlStatement stopReplicaIoThread();

    SqlStatement stopReplicaSqlThread();

    SqlStatement startReplica();

    SqlStatement startReplicaIoThread();

    SqlStatement startReplicaSqlThread();

    /** Forgets the source entirely ({@code RESET SLAVE ALL}): what a new master does. */
    SqlStatement resetReplicaAll();

    /** Points a stopped replica at {@code source} by GTID (MySQL auto-position, MariaDB MASTER_USE_GTID). */
    SqlStatement changeSourceByGtid(ReplicationSource source, GtidStart start);

    /**
     * {@link #changeSourceByGtid(ReplicationSource, GtidStart)} with {@code MASTER_HEARTBEAT_PERIOD}
     * set, so that the replica's heartbeat count can tell a silent source from an idle one.
     */
    SqlStatement changeSourceByGtid(ReplicationSource source, GtidStart start, Duration heartbeatPeriod);

    /** Points a stopped replica at {@code source} from a binlog file and position. */
    SqlStatement changeSourceByPosition(ReplicationSource source, BinlogPosition position);

    /**
     * A query that blocks until this server has executed every GTID of {@code gtids}, or the
     * timeout passes. It returns one row with one column: {@code 0} when the GTIDs were reached,
     * anything else (timeout, NULL) when they were not.
     */
    SqlStatement waitForGtids(GtidSet gtids, Duration timeout);

    /** Makes the server refuse writes from ordinary users, and from SUPER where the server can. */
    List<SqlStatement> enableReadOnly();

    /** Makes the server writable. */
    List<SqlStatement> disableReadOnly();

    // ---- errant transactions: who wrote a transaction ----

    /**
     * Whose transactions this replica receives, as {@link #writtenBy} names an origin: MariaDB
     * {@code Master_Server_Id}, MySQL {@code Master_UUID}/{@code Source_UUID}; empty before the
     * replica first connected.
     */
    java.util.Optional<String> sourceOrigin(ReplicaStatus replica);

    /** How this server's own writes are named: its {@code server_id} (MariaDB) or {@code server_uuid} (MySQL). */
    String origin(ServerState server);

    /**
     * The transactions of {@code gtids} that {@code origin} wrote: MySQL, those of its UUID;
     * MariaDB, every domain whose highest sequence number carries that server id (a position
     * names the writer of no other transaction).
     */
    GtidSet writtenBy(GtidSet gtids, String origin);

    /**
     * The last transaction of each domain where {@code mine} and {@code theirs} end on the same
     * sequence number written by different servers: histories that diverged (MariaDB, a local
     * write on a replica in its master's domain); always empty on MySQL, whose transactions are
     * named by their writer's UUID.
     */
    GtidSet divergedFrom(GtidSet mine, GtidSet theirs);

    /**
     * Whether a replica holding {@code errant} collides with what {@code master} writes: MariaDB,
     * when they share a domain (the master's next sequence numbers there are taken, which
     * gtid_strict_mode refuses and which silently diverges without it); never on MySQL, whose
     * transactions are named by their writer's UUID.
     */
    boolean collides(GtidSet errant, GtidSet master);

    // ---- fencing a server that must take no more writes ----

    /**
     * Bounds how long this session waits for a lock. {@code SET GLOBAL read_only=1} waits for
     * running statements and for the commit lock (MariaDB, and MySQL for transactions holding
     * locks); with a short bound it fails fast instead, and the caller kills the sessions in the
     * way and tries again. Rounded up to whole seconds, at least one.
     */
    SqlStatement lockWaitTimeout(Duration timeout);

    /**
     * Makes the server drop ordinary users' sessions at their next statement and refuse new ones
     * ({@code offline_mode=ON}, MySQL 5.7.5+); empty where the server has no such switch (MariaDB).
     */
    List<SqlStatement> enableOfflineMode();

    /** A query for every session but the caller's own, answered with {@code ID}, {@code USER}, {@code COMMAND} rows. */
    SqlStatement sessions();

    /**
     * The ids, among the rows of {@link #sessions()}, of the sessions an application or a person
     * holds: never replication threads (the receiver and applier of a replica, a replica's
     * binlog dump on a source), system threads or the event scheduler.
     */
    List<Long> applicationSessions(List<Row> sessions);

    /** Ends a session: {@code KILL CONNECTION <id>}. */
    SqlStatement killSession(long id);

    // ---- client tools on a database host ----

    /**
     * The arguments (program first) that print, as SQL a client can replay, the transactions in
     * {@code binlogs} that are not in {@code have}, with their original GTIDs, into
     * {@code resultFile} (standard output when empty): {@code mariadb-binlog --start-position=<gtid position>} or
     * {@code mysqlbinlog --exclude-gtids=<set>}. The tool of the server's own flavor reads its
     * binary logs byte-exactly (row and statement events, DDL, large transactions).
     *
     * @param bindir where the client programs are ({@code client_bindir}); empty: on PATH
     */
    List<String> binlogToSql(String bindir, GtidSet have, List<String> binlogs, String resultFile);

    /** Whether {@link #binlogToSqlFrom} may be used: the flavor's tool is run from a byte here. */
    default boolean binlogToolStartsAtByte() {
        return false;
    }

    /**
     * {@link #binlogToSql} with the first of {@code binlogs} read from byte {@code offset}, an
     * event's start before which the caller knows every transaction to be in {@code have}: to find
     * a GTID position the tools read a log from its start. Only where {@link
     * #binlogToolStartsAtByte}. MariaDB's tool cannot start at a byte and also leave out {@code
     * have}: it prints whatever follows, so the caller must refuse text holding a transaction of
     * {@code have}.
     */
    default List<String> binlogToSqlFrom(String bindir, GtidSet have, List<String> binlogs, long offset) {
        throw new UnsupportedOperationException(
                "the binlog tool is not run from a byte for " + version() + ": use binlogToSql");
    }

    /** The command-line client, program only: {@code mariadb} or {@code mysql}. */
    String sqlClient(String bindir);

    /**
     * Whether a server's GTID state is a position per replication domain (MariaDB's {@code 0-1-42}
     * is everything of domain 0 up to 42) rather than the set of every transaction (MySQL): then
     * transactions replayed under fewer GTIDs, the last one's, leave every server's position right
     * ({@code merge_recovered_transactions}).
     */
    boolean gtidIsPosition();

    /**
     * The arguments (program first) of a binlog server: a raw copy of {@code source}'s binary
     * logs from {@code firstFile} on, written into {@code directory} and kept current until the
     * connection ends ({@code mariadb-binlog}/{@code mysqlbinlog --read-from-remote-server --raw
     * --stop-never}). The login comes from {@code optionFile}, never from the command line.
     */
    List<String> binlogFollow(
            String bindir, String optionFile, String sourceHost, int sourcePort, String directory, String firstFile);
}
