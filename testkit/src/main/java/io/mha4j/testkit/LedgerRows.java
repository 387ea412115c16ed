package io.mha4j.testkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One writer's ledger rows as read from one node in a single query, with a digest of their
 * content. The digest covers id, payload and creation time in id order; replication is
 * row-based, so an intact copy has the very same {@code created} values as the master.
 */
final class LedgerRows {

    private static final int NO_SUCH_TABLE = 1146;
    private static final int NO_SUCH_DATABASE = 1049;

    private final SortedSet<Long> ids;
    private final String checksum;

    private LedgerRows(SortedSet<Long> ids, String checksum) {
        this.ids = ids;
        this.checksum = checksum;
    }

    /** Reads {@code writer}'s rows on {@code node}; a node without the table has none. */
    static LedgerRows read(ReplicationNode node, String writer) {
        List<Map<String, String>> rows;
        try {
            rows = node.query("SELECT id, payload, created FROM " + WriteLedger.TABLE + " WHERE writer = '" + writer
                    + "' ORDER BY id");
        } catch (SandboxException e) {
            if (e.getCause() instanceof SQLException sql
                    && (sql.getErrorCode() == NO_SUCH_TABLE || sql.getErrorCode() == NO_SUCH_DATABASE)) {
                rows = List.of();
            } else {
                throw e;
            }
        }
        MessageDigest digest = sha256();
        SortedSet<Long> ids = new TreeSet<>();
        for (Map<String, String> row : rows) {
            ids.add(Long.parseLong(row.get("id")));
            digest.update((row.get("id") + "|" + row.get("payload") + "|" + row.get("created") + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return new LedgerRows(ids, HexFormat.of().formatHex(digest.digest(), 0, 8));
    }

    /** Compares these rows with what the ledger knows it wrote. */
    NodeLedger compare(String node, SortedSet<Long> acknowledged, SortedSet<Long> inDoubt) {
        List<Long> missing = new ArrayList<>();
        for (Long id : acknowledged) {
            if (!ids.contains(id)) {
                missing.add(id);
            }
        }
        List<Long> phantoms = new ArrayList<>();
        List<Long> inDoubtPresent = new ArrayList<>();
        for (Long id : ids) {
            if (inDoubt.contains(id)) {
                inDoubtPresent.add(id);
            } else if (!acknowledged.contains(id)) {
                phantoms.add(id);
            }
        }
        return new NodeLedger(node, ids.size(), missing, phantoms, inDoubtPresent, checksum);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
