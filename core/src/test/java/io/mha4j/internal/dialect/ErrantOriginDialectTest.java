package io.mha4j.internal.dialect;

import static io.mha4j.internal.dialect.DialectStatementsTest.MARIADB;
import static io.mha4j.internal.dialect.DialectStatementsTest.MYSQL_80;
import static io.mha4j.internal.dialect.DialectStatementsTest.MYSQL_84;
import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.gtid.MariadbGtidSet;
import io.mha4j.gtid.MysqlGtidSet;
import io.mha4j.server.ReplicaStatus;
import io.mha4j.server.Row;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who wrote a transaction, per flavor: what the failover's errant-transaction finder asks the dialect. */
class ErrantOriginDialectTest {
    private static final String M = "11111111-1111-1111-1111-111111111111";
    private static final String R = "33333333-3333-3333-3333-333333333333";

    private static ReplicaStatus status(io.mha4j.server.Dialect d, Map<String, String> columns) {
        Map<String, String> row = new HashMap<>(columns);
        return d.replicaStatus(Row.of(row), Row.of(Map.of()));
    }

    @Test
    void theSourcesOriginIsMasterServerIdOnMariadbAndTheSourceUuidOnMysql() {
        assertThat(MARIADB.sourceOrigin(status(MARIADB, Map.of("Master_Server_Id", "7"))))
                .contains("7");
        assertThat(MARIADB.sourceOrigin(status(MARIADB, Map.of("Master_Server_Id", "0"))))
                .as("never connected")
                .isEmpty();
        ReplicaStatus mysql = status(MYSQL_80, Map.of("Master_UUID", M, "Master_Server_Id", "1"));
        assertThat(mysql.sourceUuid()).contains(M);
        assertThat(MYSQL_80.sourceOrigin(mysql)).contains(M);
        assertThat(MYSQL_84.sourceOrigin(status(MYSQL_84, Map.of("Source_UUID", M))))
                .contains(M);
        assertThat(MYSQL_80.sourceOrigin(status(MYSQL_80, Map.of("Master_UUID", ""))))
                .isEmpty();
    }

    @Test
    void writtenByKeepsTheDomainsWhoseLastGtidCarriesTheServerIdOnMariadb() {
        MariadbGtidSet set = MariadbGtidSet.parse("0-1-100,3-3-2,5-1-4");

        assertThat(MARIADB.writtenBy(set, "1")).isEqualTo(MariadbGtidSet.parse("0-1-100,5-1-4"));
        assertThat(MARIADB.writtenBy(set, "3")).isEqualTo(MariadbGtidSet.parse("3-3-2"));
        assertThat(MARIADB.writtenBy(set, "9").isEmpty()).isTrue();
    }

    @Test
    void writtenByKeepsTheUuidsTransactionsWithAnyTagOnMysql() {
        MysqlGtidSet set = MysqlGtidSet.parse(M + ":1-10:tag_a:1-2," + R + ":1-3");

        assertThat(MYSQL_80.writtenBy(set, M)).isEqualTo(MysqlGtidSet.parse(M + ":1-10:tag_a:1-2"));
        assertThat(MYSQL_80.writtenBy(set, R.toUpperCase())).isEqualTo(MysqlGtidSet.parse(R + ":1-3"));
        assertThat(MYSQL_80.writtenBy(set, "").isEmpty()).isTrue();
    }

    @Test
    void divergedHistoriesAreOnesEndingOnTheSameSequenceNumberByDifferentServers() {
        MariadbGtidSet node3 = MariadbGtidSet.parse("0-3-101,3-3-1");
        MariadbGtidSet node2 = MariadbGtidSet.parse("0-1-101,3-3-1");

        assertThat(MARIADB.divergedFrom(node3, node2)).isEqualTo(MariadbGtidSet.parse("0-3-101..101"));
        assertThat(MARIADB.divergedFrom(node2, MariadbGtidSet.parse("0-1-100")).isEmpty())
                .isTrue();
        assertThat(MYSQL_80.divergedFrom(MysqlGtidSet.parse(M + ":1-5"), MysqlGtidSet.parse(R + ":1-5"))
                        .isEmpty())
                .isTrue();
    }

    @Test
    void errantTransactionsCollideWithTheMastersOnlyInASharedMariadbDomain() {
        MariadbGtidSet master = MariadbGtidSet.parse("0-1-100");

        assertThat(MARIADB.collides(MariadbGtidSet.parse("0-3-101..101"), master))
                .isTrue();
        assertThat(MARIADB.collides(MariadbGtidSet.parse("3-3-1"), master)).isFalse();
        assertThat(MYSQL_80.collides(MysqlGtidSet.parse(R + ":1"), MysqlGtidSet.parse(M + ":1-100")))
                .isFalse();
    }
}
