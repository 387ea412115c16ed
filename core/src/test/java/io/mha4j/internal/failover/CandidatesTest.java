package io.mha4j.internal.failover;

import static io.mha4j.internal.failover.ReplicaStates.mariadb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mha4j.Mha4jException;
import io.mha4j.config.ApplicationConfig;
import io.mha4j.config.ServerConfig;
import io.mha4j.failover.Candidate;
import io.mha4j.gtid.MariadbGtidSet;
import io.mha4j.server.ServerState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The latest replica and what each lacks, errant transactions aside. */
class CandidatesTest {
    private static final ApplicationConfig CONFIG = ApplicationConfig.builder("app1")
            .user("mha")
            .password("pw")
            .server("server2", s -> s.hostname("127.0.0.1").port(3307))
            .server("server3", s -> s.hostname("127.0.0.1").port(3308))
            .server("server4", s -> s.hostname("127.0.0.1").port(3309))
            .build();

    private static List<Survivor> survivors(ServerState... states) {
        List<Survivor> result = new ArrayList<>();
        for (ServerState s : states) {
            ServerConfig c = CONFIG.server("server" + s.serverId()).orElseThrow();
            result.add(new Survivor(c, null, s));
        }
        return result;
    }

    private static ErrantTransactions errantOf(List<Survivor> survivors) {
        Map<String, ServerState> m = new LinkedHashMap<>();
        survivors.forEach(s -> m.put(s.config().block(), s.state()));
        return ErrantTransactions.find(m, ErrantTransactions.deadMasterOf(m.values()));
    }

    @Test
    void anErrantReplicaIsNotTheLatestForHoldingWhatTheMasterNeverWrote() {
        List<Survivor> s = survivors(mariadb(2, 1, "0-1-100"), mariadb(3, 1, "0-1-100,3-3-1"));
        ErrantTransactions errant = errantOf(s);

        assertThat(Candidates.latest(s, ErrantTransactions.NONE).name())
                .as("MHA's view")
                .contains("3308");
        Survivor latest = Candidates.latest(s, errant);
        assertThat(latest.config().block()).isEqualTo("server2");

        List<Candidate> c = Candidates.of(s, latest, Set.of("server2", "server3"), errant);
        assertThat(c).extracting(Candidate::latest).containsExactly(true, true);
        assertThat(c).extracting(Candidate::missing).containsExactly(0L, 0L);
        assertThat(c.get(0).hasErrantTransactions()).isFalse();
        assertThat(c.get(1).errant()).isEqualTo(MariadbGtidSet.parse("3-3-1"));
    }

    @Test
    void anErrantReplicaAheadInTheMastersDomainStaysTheLatestForTheRest() {
        List<Survivor> s = survivors(mariadb(2, 1, "0-1-95"), mariadb(3, 1, "0-1-100,3-3-1"));
        ErrantTransactions errant = errantOf(s);

        Survivor latest = Candidates.latest(s, errant);

        assertThat(latest.config().block()).isEqualTo("server3");
        List<Candidate> c = Candidates.of(s, latest, Set.of("server2", "server3"), errant);
        assertThat(c.get(0).missing()).isEqualTo(5);
        assertThat(c.get(0).latest()).isFalse();
        assertThat(c.get(1).latest()).isTrue();
    }

    @Test
    void divergedHistoriesWithoutAKnownOriginStillRefuseWithEveryServersSet() {
        List<Survivor> s = survivors(mariadb(2, 0, "0-1-100,1-2-5"), mariadb(3, 0, "0-1-101"));

        assertThat(Candidates.latestOf(s, ErrantTransactions.find(Map.of(), Optional.empty())))
                .isEmpty();
        assertThatThrownBy(() -> Candidates.latest(s, ErrantTransactions.NONE))
                .isInstanceOf(Mha4jException.class)
                .hasMessageContaining("histories diverged")
                .hasMessageContaining("0-1-101");
    }
}
