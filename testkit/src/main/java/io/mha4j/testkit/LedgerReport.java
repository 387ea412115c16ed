package io.mha4j.testkit;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * The verdict of {@link WriteLedger#verify}: for each node, which acknowledged writes it lost,
 * which rows it has that nobody wrote, and whether its content matches the other nodes'.
 *
 * <p>A report always covers at least one node: "nothing lost" over no node at all would be true
 * of any failover, so the constructor refuses an empty list. A claim that a failover lost
 * nothing needs two facts, that every survivor holds every acknowledged write and that the
 * survivors hold the same rows; {@link #nothingLostAndAgreed()} asks both at once.
 *
 * @param acknowledged how many writes the server acknowledged
 * @param inDoubt how many writes failed after being sent (they may or may not have committed)
 * @param nodes what each verified node holds; never empty
 */
public record LedgerReport(int acknowledged, int inDoubt, List<NodeLedger> nodes) {

    private static final int SHOWN_IDS = 10;

    /** @throws IllegalArgumentException if {@code nodes} is empty: such a report would prove nothing */
    public LedgerReport {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("A ledger report over no node proves nothing: name the nodes that"
                    + " must hold the acknowledged writes (e.g. every survivor of the failover)");
        }
    }

    /** Whether every node holds every acknowledged id. */
    public boolean nothingLost() {
        return nodes.stream().allMatch(NodeLedger::nothingLost);
    }

    /**
     * Whether every node holds every acknowledged id <em>and</em> all nodes hold the same rows: what
     * a test means by "the failover lost nothing" (survivors that hold every acknowledged write but
     * disagree on the in-doubt ones or on a row's content have diverged). Meant for assertions, with
     * {@link #toString()} as the message: {@code assertThat(r.nothingLostAndAgreed()).as(r.toString()).isTrue()}.
     */
    public boolean nothingLostAndAgreed() {
        return nothingLost() && checksumsAgree();
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
        return nodes.stream()
                .filter(n -> n.node().equals(name))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("No node " + name + " in " + nodes));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Ledger: ")
                .append(acknowledged)
                .append(" acknowledged, ")
                .append(inDoubt)
                .append(" in doubt; ")
                .append(nothingLost() ? "nothing lost" : "WRITES LOST")
                .append(checksumsAgree() ? ", checksums agree" : ", CHECKSUMS DIFFER");
        for (NodeLedger n : nodes) {
            s.append("\n  ")
                    .append(n.node())
                    .append(": ")
                    .append(n.rowCount())
                    .append(" rows, checksum ")
                    .append(n.checksum())
                    .append(", ")
                    .append(n.missing().size())
                    .append(" missing")
                    .append(firstIds(n.missing()))
                    .append(", ")
                    .append(n.phantoms().size())
                    .append(" phantoms")
                    .append(firstIds(n.phantoms()))
                    .append(", ")
                    .append(n.inDoubtPresent().size())
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
