package io.mha4j.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What differs between server kinds: how a datadir is made, which options turn on GTIDs, and
 * the replication statements. Everything else in the sandbox is flavour-neutral.
 */
interface Flavor {

    /**
     * Creates the system tables in an empty {@code dataDir}, using {@code tmpDir} for
     * temporary tables: two servers sharing {@code /tmp} during bootstrap can trip over each
     * other's temporary files.
     */
    List<String> initializeCommand(ServerBinaries binaries, Path dataDir, Path tmpDir);

    /** Runs the SQL given on standard input against {@code dataDir} with no network and no binlog. */
    List<String> bootstrapCommand(ServerBinaries binaries, Path dataDir, Path tmpDir);

    /** Creates the sandbox users; run by {@link #bootstrapCommand}. */
    String bootstrapSql(SandboxCredentials credentials, List<String> clientHosts);

    /**
     * Writes what a node needs beside its copy of the template datadir into its directory,
     * once, before its first start.
     */
    void prepareNode(Path nodeDir) throws IOException;

    /** Server options naming what {@link #prepareNode} wrote. */
    List<String> nodeOptions(Path nodeDir);

    /** Server options for binary logging and GTIDs that every sandbox node gets. */
    List<String> replicationOptions();

    /** Points a stopped replica at {@code master} from the master's GTID position onwards. */
    String changeMasterByGtid(Endpoint master, Credentials replication);

    /** Points a stopped replica at {@code master} from the given binary log coordinates. */
    String changeMasterByFile(Endpoint master, Credentials replication, String file, long position);

    /**
     * Re-points a stopped server, which may have been a master, by GTID: its own binary log
     * counts as applied, so it neither re-applies nor skips anything.
     */
    String repointByGtid(Endpoint master, Credentials replication);

    String startReplica();

    String stopReplica();

    String stopReplicaIoThread();

    String stopReplicaSqlThread();

    /** One row while replication is configured, none otherwise. */
    String replicaStatus();

    /** One row with {@code File} and {@code Position} columns. */
    String masterStatus();

    /** The GTID position of everything in a master's binary log, as a string. */
    String masterPositionQuery();

    /** Whether {@code replicaNode} has applied everything up to {@code masterPosition}. */
    boolean hasApplied(SandboxNode replicaNode, String masterPosition);
}
