package io.mha4j.gtid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The {@link GtidSetLaws} for MySQL, and the laws only MySQL sets obey. */
class MysqlGtidSetLawsTest extends GtidSetLaws<MysqlGtidSet> {

    @Override
    @Provide
    Arbitrary<MysqlGtidSet> sets() {
        return GtidSetArbitraries.mysqlSets(true);
    }

    @Override
    @Provide
    Arbitrary<MysqlGtidSet> smallSets() {
        return GtidSetArbitraries.mysqlSets(false);
    }

    @Override
    MysqlGtidSet parse(String text) {
        return MysqlGtidSet.parse(text);
    }

    @Override
    MysqlGtidSet empty() {
        return MysqlGtidSet.empty();
    }

    @Property
    void setsThatContainEachOtherAreEqual(@ForAll("sets") MysqlGtidSet a, @ForAll("sets") MysqlGtidSet b) {
        assertThat(a.contains(b) && b.contains(a)).isEqualTo(a.equals(b));
    }

    @Property
    void beingAheadIsContainingAndNotBeingEqual(@ForAll("sets") MysqlGtidSet a, @ForAll("sets") MysqlGtidSet b) {
        assertThat(a.isAheadOf(b)).isEqualTo(a.contains(b) && !a.equals(b));
    }

    @Property
    void uuidsAndTagsAreReadInAnyCase(@ForAll("sets") MysqlGtidSet a) {
        assertThat(MysqlGtidSet.parse(a.toString().toUpperCase(Locale.ROOT))).isEqualTo(a);
    }

    @Property
    void theServersMultiLineOutputReadsLikeTheCanonicalText(@ForAll("sets") MysqlGtidSet a) {
        assertThat(MysqlGtidSet.parse(a.toString().replace(",", ",\n"))).isEqualTo(a);
    }
}
