package io.mha4j.internal.failover;

import static io.mha4j.internal.failover.ReplicaStates.UUID1;
import static io.mha4j.internal.failover.ReplicaStates.UUID2;
import static io.mha4j.internal.failover.ReplicaStates.UUID3;
import static io.mha4j.internal.failover.ReplicaStates.mariadb;
import static io.mha4j.internal.failover.ReplicaStates.mysql;
import static org.assertj.core.api.Assertions.assertThat;

import io.mha4j.gtid.MariadbGtidSet;
import io.mha4j.gtid.MysqlGtidSet;
import io.mha4j.server.ServerState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which survivors hold transactions the dead master (server 1) never wrote, on made-up states. */
class ErrantTransactionsTest {

    private static Map<String, ServerState> survivors(ServerState... states) {
        Map<String, ServerState> m = new LinkedHashMap<>();
        for (ServerState s : states) {
            m.put("server" + s.serverId(), s);
        }
        return m;
    }

    private static ErrantTransactions find(ServerState... states) {
        Map<String, ServerState> s = survivors(states);
        return ErrantTransactions.find(s, ErrantTransactions.deadMasterOf(s.values()));
    }

    @Test
    void aWriteOnAReplicaInItsOwnDomainIsErrant() {
        ErrantTransactions e = find(mariadb(2, 1, "0-1-100"), mariadb(3, 1, "0-1-100,3-3-1"));

        assertThat(e.deadMaster()).contains("1");
        assertThat(e.byServer()).containsOnlyKeys("server3");
        assertThat(e.byServer().get("server3")).isEqualTo(MariadbGtidSet.parse("3-3-1"));
    }

    @Test
    void aReplicaAheadWithTheDeadMastersTransactionsIsNotErrant() {
        ErrantTransactions e = find(mariadb(2, 1, "0-1-95"), mariadb(3, 1, "0-1-100"), mariadb(4, 1, "0-1-97"));

        assertThat(e.isEmpty()).isTrue();
    }

    @Test
    void aWriteInTheMastersDomainThatDivergedIsErrantOnTheSideTheMasterDidNotWrite() {
        // node3 wrote 0-3-101 itself; the master's 0-1-101 then reached node2 (and broke node3).
        ErrantTransactions e = find(mariadb(2, 1, "0-1-101"), mariadb(3, 1, "0-3-101"));

        assertThat(e.byServer()).containsOnlyKeys("server3");
        assertThat(e.byServer().get("server3")).isEqualTo(MariadbGtidSet.parse("0-3-101..101"));
    }

    @Test
    void aWriteInTheMastersDomainNobodyElseHasYetIsErrant() {
        ErrantTransactions e = find(mariadb(2, 1, "0-1-100"), mariadb(3, 1, "0-3-101"));

        assertThat(e.byServer()).containsOnlyKeys("server3");
        assertThat(e.byServer().get("server3")).isEqualTo(MariadbGtidSet.parse("0-3-101..101"));
    }

    @Test
    void whenEveryReplicaWroteItsOwnEachIsNamed() {
        ErrantTransactions e = find(mariadb(2, 1, "0-1-100,2-2-3"), mariadb(3, 1, "0-1-100,3-3-1"));

        assertThat(e.byServer()).containsOnlyKeys("server2", "server3");
        assertThat(e.byServer().get("server2")).isEqualTo(MariadbGtidSet.parse("2-2-3"));
    }

    @Test
    void withoutKnowingTheDeadMasterOnlyAReplicasOwnWritesCount() {
        Map<String, ServerState> s = survivors(mariadb(2, 0, "0-1-95"), mariadb(3, 0, "0-1-100,3-3-2"));
        assertThat(ErrantTransactions.deadMasterOf(s.values())).isEmpty();

        ErrantTransactions e = ErrantTransactions.find(s, Optional.empty());

        assertThat(e.byServer()).containsOnlyKeys("server3");
        assertThat(e.byServer().get("server3")).isEqualTo(MariadbGtidSet.parse("3-3-2"));
    }

    @Test
    void aLoneSurvivorHasNothingToBeComparedWith() {
        assertThat(find(mariadb(3, 1, "0-1-100,3-3-1")).isEmpty()).isTrue();
    }

    @Test
    void theDeadMasterIsWhomMostReplicasReplicateFrom() {
        assertThat(ErrantTransactions.deadMasterOf(List.of(mariadb(2, 1, ""), mariadb(3, 5, ""), mariadb(4, 1, ""))))
                .contains("1");
    }

    @Test
    void onMysqlTheUuidSaysWhoWroteATransaction() {
        ErrantTransactions e = find(
                mysql(2, UUID2, Optional.of(UUID1), UUID1 + ":1-95"),
                mysql(3, UUID3, Optional.of(UUID1), UUID1 + ":1-100," + UUID3 + ":1-2"));

        assertThat(e.deadMaster()).contains(UUID1);
        assertThat(e.byServer()).containsOnlyKeys("server3");
        assertThat(e.byServer().get("server3")).isEqualTo(MysqlGtidSet.parse(UUID3 + ":1-2"));
    }

    @Test
    void cleanRemovesOnlyTheServersOwnErrantTransactions() {
        ErrantTransactions e = find(mariadb(2, 1, "0-1-100"), mariadb(3, 1, "0-1-100,3-3-1"));

        assertThat(e.clean("server3", MariadbGtidSet.parse("0-1-100,3-3-1")))
                .isEqualTo(MariadbGtidSet.parse("0-1-100"));
        assertThat(e.clean("server2", MariadbGtidSet.parse("0-1-100"))).isEqualTo(MariadbGtidSet.parse("0-1-100"));
        assertThat(e.of("server2", MariadbGtidSet.parse("0-1-100")).isEmpty()).isTrue();
    }

    @Test
    void findingsOfTheCheckAndOfTheRecoveryAddUp() {
        ErrantTransactions atCheck = find(mariadb(2, 1, "0-1-100"), mariadb(3, 1, "0-1-100,3-3-1"));
        ErrantTransactions later = find(mariadb(2, 1, "0-1-101"), mariadb(3, 1, "0-3-101,3-3-1"));

        ErrantTransactions both = atCheck.and(later);

        assertThat(both.byServer().get("server3")).isEqualTo(MariadbGtidSet.parse("0-3-101..101,3-3-1"));
        assertThat(both.deadMaster()).contains("1");
    }
}
