package io.mha4j.testkit;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * The verdict of {@link WriteLedger#verify}: for each node, which acknowledged writes it lost,
 * which rows it has that nobody wrote, and whether its content matches the other nodes'.
 */
public record LedgerReport(int acknowledged, int inDoubt, List<NodeLedger> nodes) {

    private static final int SHOWN_IDS = 10;

    public LedgerReport {
        nodes = List.copyOf(nodes);
    }

    /** Whether every node holds every acknowledged id. */
    public boolean nothingLost() {
        return nodes.stream().allMatch(NodeLedger::nothingLost);
    }

    /** Whether no node holds an id that was neither acknowledged nor in doubt. */
    public boolean noPhantoms() {
        return nodes.stream().allMatch(n -> n.phantoms().isEmpty());
    }

    /** Whether all nodes hold exactly the same rows. */
    public boolean checksumsAgree() {
        return nodes.stream().map(NodeLedger::checksum).distinct().count() <= 1;
    }

    /**
     * The result for the node named {@code name}.
     *
     * @throws NoSuchElementException if it was not verified
     */
    public NodeLedger node(String name) {
        return nodes.stream().filter(n -> n.node().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("No node " + name + " in " + nodes));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Ledger: ").append(acknowledged).append(" acknowledged, ")
                .append(inDoubt).append(" in doubt; ")
                .append(nothingLost() ? "nothing lost" : "WRITES LOST")
                .append(checksumsAgree() ? ", checksums agree" : ", CHECKSUMS DIFFER");
        for (NodeLedger n : nodes) {
            s.append("\n  ").append(n.node()).append(": ").append(n.rowCount()).append(" rows, checksum ")
                    .append(n.checksum()).append(", ").append(n.missing().size()).append(" missing")
                    .append(firstIds(n.missing())).append(", ").append(n.phantoms().size()).append(" phantoms")
                    .append(firstIds(n.phantoms())).append(", ").append(n.inDoubtPresent().size())
                    .append(" in-doubt present");
        }
        return s.toString();
    }

    private static String firstIds(List<Long> ids) {
        if (ids.isEmpty()) {
            return "";
        }
        List<Long> shown = ids.subList(0, Math.min(SHOWN_IDS, ids.size()));
        return " " + shown + (ids.size() > SHOWN_IDS ? " ..." : "");
    }
}
