package io.mha4j.gtid;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random GTID sets for property tests. Few sources and small numbers, so that random sets
 * overlap, touch and contain each other often enough for the laws to be exercised; now and
 * then numbers at the very top of the range, where {@code last + 1} would overflow.
 */
final class GtidSetArbitraries {

    static final String UUID_A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    static final String UUID_B = "8a94f357-aab4-11df-86ab-c80aa9429562";
    static final String UUID_C = "2174b383-5441-11e8-b90a-c80aa9429562";

    private GtidSetArbitraries() {
    }

    /** MySQL sets over three UUIDs, each untagged or with one of two tags. */
    static Arbitrary<MysqlGtidSet> mysqlSets(boolean withHugeNumbers) {
        Arbitrary<String> uuids = Arbitraries.of(UUID_A, UUID_B, UUID_C);
        Arbitrary<String> tags = Arbitraries.of("", "", "alpha", "b_2");
        Arbitrary<MysqlPiece> pieces = Combinators.combine(uuids, tags, intervals(withHugeNumbers))
                .as(MysqlPiece::new);
        return pieces.list().ofMaxSize(6).map(GtidSetArbitraries::mysqlSetOf);
    }

    /** MariaDB sets over three domains and three servers, positions or not. */
    static Arbitrary<MariadbGtidSet> mariadbSets(boolean withHugeNumbers) {
        Arbitrary<MariadbPiece> ranges = Combinators.combine(domains(), serverIds(), intervals(withHugeNumbers))
                .as(MariadbPiece::new);
        Arbitrary<MariadbPiece> positions = Combinators.combine(domains(), serverIds(), smallNumbers())
                .as((domain, serverId, last) -> new MariadbPiece(domain, serverId, new long[] {1, last}));
        return Arbitraries.oneOf(ranges, positions).list().ofMaxSize(5).map(GtidSetArbitraries::mariadbSetOf);
    }

    /** MariaDB positions: every domain holds 1..n. */
    static Arbitrary<MariadbGtidSet> mariadbPositions() {
        Arbitrary<MariadbPiece> positions = Combinators.combine(domains(), serverIds(), smallNumbers())
                .as((domain, serverId, last) -> new MariadbPiece(domain, serverId, new long[] {1, last}));
        return positions.list().ofMaxSize(4).map(GtidSetArbitraries::mariadbSetOf);
    }

    private static Arbitrary<Long> domains() {
        return Arbitraries.of(0L, 1L, 4294967295L);
    }

    private static Arbitrary<Long> serverIds() {
        return Arbitraries.of(1L, 2L, 3L);
    }

    private static Arbitrary<Long> smallNumbers() {
        return Arbitraries.longs().between(1, 40);
    }

    /** {first, last} pairs with 1 ≤ first ≤ last. */
    private static Arbitrary<long[]> intervals(boolean withHugeNumbers) {
        Arbitrary<long[]> small = Combinators.combine(smallNumbers(), Arbitraries.longs().between(0, 8))
                .as((first, length) -> new long[] {first, first + length});
        if (!withHugeNumbers) {
            return small;
        }
        Arbitrary<long[]> top = Combinators.combine(Arbitraries.longs().between(0, 12), Arbitraries.longs().between(0, 4))
                .as((fromTop, length) -> {
                    long first = Long.MAX_VALUE - fromTop;
                    return new long[] {first, first + Math.min(length, fromTop)};
                });
        return Arbitraries.frequencyOf(
                Tuple.of(9, small),
                Tuple.of(1, top));
    }

    private static MysqlGtidSet mysqlSetOf(List<MysqlPiece> pieces) {
        MysqlGtidSet.Builder builder = MysqlGtidSet.builder();
        pieces.forEach(piece -> builder.add(piece.uuid(), piece.tag(), piece.interval()[0], piece.interval()[1]));
        return builder.build();
    }

    private static MariadbGtidSet mariadbSetOf(List<MariadbPiece> pieces) {
        MariadbGtidSet.Builder builder = MariadbGtidSet.builder();
        pieces.forEach(piece -> builder.addRange(piece.domain(), piece.serverId(), piece.seqs()[0], piece.seqs()[1]));
        return builder.build();
    }

    private record MysqlPiece(String uuid, String tag, long[] interval) {
    }

    private record MariadbPiece(long domain, long serverId, long[] seqs) {
    }
}
