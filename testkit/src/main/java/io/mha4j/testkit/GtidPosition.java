package io.mha4j.testkit;

import java.util.Map;
import java.util.TreeMap;

/**
 * A MariaDB GTID position ({@code domain-server-sequence}, comma-separated, one per domain),
 * reduced to the highest sequence number per domain. Within a domain sequence numbers only
 * grow (the sandbox runs with {@code gtid_strict_mode}), so comparing them per domain answers
 * "has this server applied that one's transactions" without string comparison.
 *
 * <p>The testkit keeps its own parser on purpose: it judges mha4j-core, so it must not share
 * core's GTID code.
 */
final class GtidPosition {

    private final Map<Long, Long> sequenceByDomain;

    private GtidPosition(Map<Long, Long> sequenceByDomain) {
        this.sequenceByDomain = Map.copyOf(sequenceByDomain);
    }

    /**
     * Parses {@code 0-1-42,1-3-7}; {@code null} and blank mean the empty position.
     *
     * @throws IllegalArgumentException for anything else
     */
    static GtidPosition parse(String text) {
        Map<Long, Long> byDomain = new TreeMap<>();
        if (text != null && !text.isBlank()) {
            for (String gtid : text.split(",")) {
                String[] parts = gtid.trim().split("-");
                if (parts.length != 3) {
                    throw new IllegalArgumentException("Not a MariaDB GTID: '" + gtid + "' in '" + text + "'");
                }
                try {
                    long domain = Long.parseUnsignedLong(parts[0]);
                    Long.parseUnsignedLong(parts[1]);
                    byDomain.merge(domain, Long.parseUnsignedLong(parts[2]), GtidPosition::max);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Not a MariaDB GTID: '" + gtid + "' in '" + text + "'", e);
                }
            }
        }
        return new GtidPosition(byDomain);
    }

    private static long max(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    /** The highest sequence of each domain in either position. */
    GtidPosition union(GtidPosition other) {
        Map<Long, Long> merged = new TreeMap<>(sequenceByDomain);
        other.sequenceByDomain.forEach((domain, seq) -> merged.merge(domain, seq, GtidPosition::max));
        return new GtidPosition(merged);
    }

    /** Whether, in every domain of {@code other}, this position has reached other's sequence. */
    boolean covers(GtidPosition other) {
        return other.sequenceByDomain.entrySet().stream().allMatch(e -> {
            Long mine = sequenceByDomain.get(e.getKey());
            return mine != null && Long.compareUnsigned(mine, e.getValue()) >= 0;
        });
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GtidPosition other && sequenceByDomain.equals(other.sequenceByDomain);
    }

    @Override
    public int hashCode() {
        return sequenceByDomain.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        new TreeMap<>(sequenceByDomain)
                .forEach((d, seq) -> s.append(s.length() == 0 ? "" : ",")
                        .append(d)
                        .append("-*-")
                        .append(Long.toUnsignedString(seq)));
        return s.toString();
    }
}
