package io.mha4j.gtid;

import java.util.List;
import java.util.Random;

/**
 * Random GTID sets for the laws. Few sources and small numbers, so that random sets overlap,
 * touch and contain each other often; now and then numbers at the very top of the range, where
 * {@code last + 1} would overflow; empty sets as often as any other size.
 */
final class GtidSetGenerators {

    static final String UUID_A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    static final String UUID_B = "8a94f357-aab4-11df-86ab-c80aa9429562";
    static final String UUID_C = "2174b383-5441-11e8-b90a-c80aa9429562";
    private static final List<String> UUIDS = List.of(UUID_A, UUID_B, UUID_C);
    private static final List<String> TAGS = List.of("", "", "alpha", "b_2");
    private static final List<Long> DOMAINS = List.of(0L, 1L, 4294967295L);

    private GtidSetGenerators() {}

    /** MySQL sets of up to 6 pieces over three UUIDs, each untagged or with one of two tags. */
    static MysqlGtidSet mysqlSet(Random random, boolean withHugeNumbers) {
        MysqlGtidSet.Builder builder = MysqlGtidSet.builder();
        for (int i = random.nextInt(7); i > 0; i--) {
            long[] interval = interval(random, withHugeNumbers);
            builder.add(pick(random, UUIDS), pick(random, TAGS), interval[0], interval[1]);
        }
        return builder.build();
    }

    /** MariaDB sets of up to 5 pieces over three domains and three servers: ranges or positions. */
    static MariadbGtidSet mariadbSet(Random random, boolean withHugeNumbers) {
        MariadbGtidSet.Builder builder = MariadbGtidSet.builder();
        for (int i = random.nextInt(6); i > 0; i--) {
            long[] seqs =
                    random.nextBoolean() ? interval(random, withHugeNumbers) : new long[] {1, smallNumber(random)};
            builder.addRange(pick(random, DOMAINS), serverId(random), seqs[0], seqs[1]);
        }
        return builder.build();
    }

    /** MariaDB positions of up to 4 domains: every domain holds 1..n. */
    static MariadbGtidSet mariadbPosition(Random random) {
        MariadbGtidSet.Builder builder = MariadbGtidSet.builder();
        for (int i = random.nextInt(5); i > 0; i--) {
            builder.addRange(pick(random, DOMAINS), serverId(random), 1, smallNumber(random));
        }
        return builder.build();
    }

    /** {first, last} with 1 ≤ first ≤ last ≤ first + {@code maxLength}, first in 1..{@code maxFirst}. */
    static long[] smallInterval(Random random, int maxFirst, int maxLength) {
        long first = 1 + random.nextInt(maxFirst);
        return new long[] {first, first + random.nextInt(maxLength + 1)};
    }

    private static long[] interval(Random random, boolean withHugeNumbers) {
        if (withHugeNumbers && random.nextInt(10) == 0) {
            long fromTop = random.nextInt(13);
            long first = Long.MAX_VALUE - fromTop;
            return new long[] {first, first + Math.min(random.nextInt(5), fromTop)};
        }
        return smallInterval(random, 40, 8);
    }

    private static long smallNumber(Random random) {
        return 1 + random.nextInt(40);
    }

    private static long serverId(Random random) {
        return 1 + random.nextInt(3);
    }

    private static <T> T pick(Random random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}
