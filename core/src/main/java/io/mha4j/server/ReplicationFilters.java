package io.mha4j.server;

/**
 * Binary log and replication filters. MHA requires them to be the same on every server
 * ({@code check_repl_filter}), as a filter on one replica means that replica lacks data.
 * Values are the comma-separated lists the server prints; empty means no filter.
 */
public record ReplicationFilters(
        String binlogDoDb,
        String binlogIgnoreDb,
        String replicateDoDb,
        String replicateIgnoreDb,
        String replicateDoTable,
        String replicateIgnoreTable,
        String replicateWildDoTable,
        String replicateWildIgnoreTable) {

    public static final ReplicationFilters NONE = new ReplicationFilters("", "", "", "", "", "", "", "");

    public ReplicationFilters {
        binlogDoDb = nullToEmpty(binlogDoDb);
        binlogIgnoreDb = nullToEmpty(binlogIgnoreDb);
        replicateDoDb = nullToEmpty(replicateDoDb);
        replicateIgnoreDb = nullToEmpty(replicateIgnoreDb);
        replicateDoTable = nullToEmpty(replicateDoTable);
        replicateIgnoreTable = nullToEmpty(replicateIgnoreTable);
        replicateWildDoTable = nullToEmpty(replicateWildDoTable);
        replicateWildIgnoreTable = nullToEmpty(replicateWildIgnoreTable);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The replicate filters alone. */
    public ReplicationFilters withoutBinlogFilters() {
        return new ReplicationFilters(
                "",
                "",
                replicateDoDb,
                replicateIgnoreDb,
                replicateDoTable,
                replicateIgnoreTable,
                replicateWildDoTable,
                replicateWildIgnoreTable);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }
}
