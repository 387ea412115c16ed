package io.mha4j.gtid;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class MixedFlavorTest {

    private static final GtidSet MYSQL = MysqlGtidSet.parse(GtidSetGenerators.UUID_A + ":1-5");
    private static final GtidSet MARIADB = MariadbGtidSet.parse("0-1-100");

    private static final List<BiFunction<GtidSet, GtidSet, Object>> OPERATIONS =
            List.of(GtidSet::union, GtidSet::subtract, GtidSet::intersect, GtidSet::contains, GtidSet::isAheadOf);

    @Test
    void everyOperationRefusesAMariadbSetForAMysqlSetNamingBoth() {
        for (BiFunction<GtidSet, GtidSet, Object> operation : OPERATIONS) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> operation.apply(MYSQL, MARIADB))
                    .withMessageContaining("MySQL GTID set '" + MYSQL + "'")
                    .withMessageContaining("MariaDB GTID set '" + MARIADB + "'")
                    .withMessageContaining("different flavors");
        }
    }

    @Test
    void everyOperationRefusesAMysqlSetForAMariadbSetNamingBoth() {
        for (BiFunction<GtidSet, GtidSet, Object> operation : OPERATIONS) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> operation.apply(MARIADB, MYSQL))
                    .withMessageContaining("MariaDB GTID set '" + MARIADB + "'")
                    .withMessageContaining("MySQL GTID set '" + MYSQL + "'");
        }
    }

    @Test
    void evenEmptySetsOfDifferentFlavorsDoNotMix() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> MysqlGtidSet.empty().union(MariadbGtidSet.empty()));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> MariadbGtidSet.empty().contains(MysqlGtidSet.empty()));
    }

    @Test
    void everyOperationRefusesNull() {
        for (BiFunction<GtidSet, GtidSet, Object> operation : OPERATIONS) {
            assertThatNullPointerException().isThrownBy(() -> operation.apply(MYSQL, null));
            assertThatNullPointerException().isThrownBy(() -> operation.apply(MARIADB, null));
        }
    }
}
