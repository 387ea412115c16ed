package io.mha4j.testkit;

import java.util.List;

/**
 * What one node holds of a {@link WriteLedger}'s rows.
 *
 * @param node the node's name
 * @param rowCount this writer's rows on the node
 * @param missing acknowledged ids the node lacks (ascending): lost writes if the node is to serve
 * @param phantoms ids on the node that were never acknowledged nor in doubt (ascending)
 * @param inDoubtPresent in-doubt ids that did commit and reached the node (ascending)
 * @param checksum SHA-256 prefix over this writer's rows (id, payload, created) in id order
 */
public record NodeLedger(
        String node,
        int rowCount,
        List<Long> missing,
        List<Long> phantoms,
        List<Long> inDoubtPresent,
        String checksum) {

    public NodeLedger {
        missing = List.copyOf(missing);
        phantoms = List.copyOf(phantoms);
        inDoubtPresent = List.copyOf(inDoubtPresent);
    }

    /** Whether every acknowledged id is here. */
    public boolean nothingLost() {
        return missing.isEmpty();
    }
}
