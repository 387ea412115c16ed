package io.mha4j.gtid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;

/** The {@link GtidSetLaws} for MySQL, and the laws only MySQL sets obey. */
class MysqlGtidSetLawsTest extends GtidSetLaws<MysqlGtidSet> {

    @Override
    MysqlGtidSet set(Random random) {
        return GtidSetGenerators.mysqlSet(random, true);
    }

    @Override
    MysqlGtidSet smallSet(Random random) {
        return GtidSetGenerators.mysqlSet(random, false);
    }

    @Override
    MysqlGtidSet parse(String text) {
        return MysqlGtidSet.parse(text);
    }

    @Override
    MysqlGtidSet empty() {
        return MysqlGtidSet.empty();
    }

    @Law
    void setsThatContainEachOtherAreEqual(long seed) {
        Random random = new Random(seed);
        MysqlGtidSet a = set(random);
        MysqlGtidSet b = set(random);

        assertThat(a.contains(b) && b.contains(a)).isEqualTo(a.equals(b));
    }

    @Law
    void beingAheadIsContainingAndNotBeingEqual(long seed) {
        Random random = new Random(seed);
        MysqlGtidSet a = set(random);
        MysqlGtidSet b = set(random);

        assertThat(a.isAheadOf(b)).isEqualTo(a.contains(b) && !a.equals(b));
    }

    @Law
    void uuidsAndTagsAreReadInAnyCase(long seed) {
        Random random = new Random(seed);
        MysqlGtidSet a = set(random);

        assertThat(MysqlGtidSet.parse(a.toString().toUpperCase(Locale.ROOT))).isEqualTo(a);
    }

    @Law
    void theServersMultiLineOutputReadsLikeTheCanonicalText(long seed) {
        Random random = new Random(seed);
        MysqlGtidSet a = set(random);

        assertThat(MysqlGtidSet.parse(a.toString().replace(",", ",\n"))).isEqualTo(a);
    }
}
